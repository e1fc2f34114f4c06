/** A mistake in how the command was called: exit code 2, one clear line. */
export class UsageError extends Error {}

export const EXIT = { ok: 0, problems: 1, usage: 2 } as const;
