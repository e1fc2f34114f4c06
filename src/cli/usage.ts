/** A mistake in how the command was called: exit code 2, one clear line. */
export class UsageError extends Error {}

export const EXIT = { ok: 0, problems: 1, usage: 2 } as const;

/** A flag's value as a whole number from 1 (undefined when the flag was not given). */
export function positiveInt(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} takes a positive whole number; got "${v}"`);
  return n;
}
