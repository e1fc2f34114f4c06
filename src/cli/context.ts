export type Print = (line: string) => void;

/** What every command gets from main; a command returns its exit code and never sets process.exitCode. */
export interface CliContext {
  root: string;
  out: Print;
  err: Print;
  /** Aborted by Ctrl-C for the commands that can stop cleanly (run, diff --run). */
  signal: AbortSignal;
}

/**
 * Runs `body` with Ctrl-C turned into an abort of its signal, so what finished
 * is still reported. `again: 'exit'` lets a second Ctrl-C stop the process at
 * once; 'abort' keeps catching it, for a command that must clean up first
 * (diff --run removes its temporary worktrees).
 */
export async function withInterrupt<T>(again: 'exit' | 'abort', body: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  if (again === 'exit') process.once('SIGINT', onSigint);
  else process.on('SIGINT', onSigint);
  try {
    return await body(ac.signal);
  } finally {
    process.off('SIGINT', onSigint);
  }
}
