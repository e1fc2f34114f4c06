import * as fs from 'node:fs';

/**
 * Past this age a file's mtime is trusted: a later write gets a later mtime.
 * Younger stamps are "racy" (as in git's racy-clean check): filesystems stamp
 * with a coarse clock (a kernel tick on Linux, 1–2 s on FAT/HFS+), so a
 * same-size rewrite within one tick keeps the stamp, and the content must be compared.
 */
export const RACY_MS = 2500;

/** What one stat says of a file: identity, size and times ('-' when missing). */
export function statKey(file: string): { key: string; mtimeMs: number } {
  const st = fs.statSync(file, { throwIfNoEntry: false });
  if (!st) return { key: '-', mtimeMs: 0 };
  return { key: `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`, mtimeMs: Math.max(st.mtimeMs, st.ctimeMs) };
}

export interface Taken {
  keys: string;
  newest: number;
}

/**
 * A change detector over a few files that costs one stat each per check.
 * A state is trusted once its content was verified more than RACY_MS after
 * the newest mtime; until then every check asks the caller to re-read.
 */
export class Stamp {
  private keys = '';
  private trusted = false;

  constructor(readonly files: string[]) {}

  /** Undefined when nothing changed; else the state to re-read and pass to `verified`. */
  changed(): Taken | undefined {
    const now = this.current();
    return this.trusted && now.keys === this.keys ? undefined : now;
  }

  /** Records `taken` (stat'ed before the caller read the files) as verified at `now`. */
  verified(taken: Taken, now = Date.now()): void {
    this.keys = taken.keys;
    this.trusted = now - taken.newest > RACY_MS;
  }

  current(): Taken {
    let keys = '';
    let newest = 0;
    for (const f of this.files) {
      const s = statKey(f);
      keys += `${s.key}|`;
      newest = Math.max(newest, s.mtimeMs);
    }
    return { keys, newest };
  }
}
