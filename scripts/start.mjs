// `npm start`: build, lint the sample prompts, run their test suites on echo, and tour them. Offline: no key, no network.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyFixtureWorkspace } from './fixtureWorkspace.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist', 'cli.js');

function run(title, args, { mayFail = false } = {}) {
  console.log(`\n\x1b[1m▶ ${title}\x1b[0m\n  $ ${args.join(' ')}\n`);
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0 && !mayFail) {
    console.error(`\n✖ "${args.join(' ')}" exited with ${r.status}`);
    process.exit(r.status ?? 1);
  }
}

run('Build the extension and the CLI', ['esbuild.mjs']);
run('Check every prompt under prompts/ against the committed model catalog', [cli, 'check']);
run('List the prompts with their model, price and inputs', [cli, 'list']);
run('Render one prompt to chat messages (defaults fill the inputs you leave out)', [
  cli,
  'render',
  'support/triage',
  '--var',
  'ticket=I was charged twice for my March invoice and need it fixed today.',
]);
run('Run the sample test suites (prompts/**/*.suite.yaml) offline, on the built-in echo provider', [
  cli,
  'run',
  '--provider',
  'echo',
]);
run("Compare two models on one suite (echo answers; tokens and cost use each model's catalog prices)", [
  cli,
  'run',
  '--provider',
  'echo',
  '--prompt',
  'support/triage',
  '--compare',
  'gpt-4o,gpt-4o-mini',
]);
run('Call statistics from the call log (.prompt-registry/calls: ids, versions and numbers, never prompt text)', [
  cli,
  'calls',
  'stats',
]);
// A copy of the fixture, so its "retiring" model is still retiring on today's date (it is dated for the unit tests).
const fixture = copyFixtureWorkspace();
run(
  'What problems look like: a fixture workspace with one broken prompt per rule',
  [cli, '--root', fixture, 'check', path.join(fixture, 'prompts/models'), path.join(fixture, 'prompts/format')],
  { mayFail: true },
);
fs.rmSync(fixture, { recursive: true, force: true });
console.log(
  '\nDone. Open this folder in VS Code with the extension installed to see the same diagnostics live (README: "Install the extension").',
);
