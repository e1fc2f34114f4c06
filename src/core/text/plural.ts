/** "1 prompt", "3 prompts", "0 prompts". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${wordFor(n, one, many)}`;
}

/** The word alone, for "1 prompt uses" / "2 prompts use". */
export function wordFor(n: number, one: string, many = `${one}s`): string {
  return n === 1 || n === -1 ? one : many;
}
