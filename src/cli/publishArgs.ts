/**
 * `publish <id> --version 3`: the program's own `--version` flag would print
 * the CLI version wherever it appears, so after `publish` it is passed as
 * `--version=3`, which only the subcommand reads.
 */
export function publishVersionArgs(argv: string[]): string[] {
  const out = [...argv];
  let i = 0;
  while (i < out.length && out[i]!.startsWith('-')) i += out[i] === '--root' ? 2 : 1;
  if (out[i] !== 'publish') return out;
  for (let j = i + 1; j < out.length - 1; j++) {
    if (out[j] === '--') break;
    if (out[j] === '--version') out.splice(j, 2, `--version=${out[j + 1]}`);
  }
  return out;
}
