import * as path from 'node:path';
import type { Diagnostic } from '../text/diagnostics';
import { readPromptFile, statFile } from './readPromptFile';

/** One tracked file: its parse, or why it could not be read. Replaced (never mutated) when the file changes. */
export interface IndexedFile<T> {
  stamp: string;
  value?: T;
  readError?: Diagnostic;
}

/**
 * Text files parsed once and re-parsed only when their stamp (mtime and size)
 * changes, with editor overlays: unsaved text wins until `clearOverlay`.
 * Shared by prompts and suites so both follow the same rules.
 */
export class FileIndex<T> {
  private readonly entries = new Map<string, IndexedFile<T>>();
  private readonly overlays = new Set<string>();
  private overlayVersion = 0;

  /**
   * `reuse` says a file's result is already known for this stamp (a persistent cache): the file is
   * then read and parsed only if something asks for its value.
   */
  constructor(
    private readonly parse: (abs: string, text: string) => T,
    private readonly reuse: (abs: string, stamp: string) => boolean = () => false,
  ) {}

  /** Makes the index hold exactly `listed` (plus overlays), re-reading what changed. */
  sync(listed: Iterable<string>): void {
    const keep = new Set(listed);
    for (const f of this.overlays) keep.add(f);
    for (const f of [...this.entries.keys()]) if (!keep.has(f)) this.entries.delete(f);
    for (const f of keep) this.load(f);
  }

  /** Parses `abs` unless its stamp is unchanged; one stat per file, as scans of 10,000 files feel every syscall. */
  load(file: string): boolean {
    const abs = path.resolve(file);
    if (this.overlays.has(abs)) return true;
    const st = statFile(abs);
    if (!st || !st.stats.isFile()) {
      this.entries.delete(abs);
      return false;
    }
    if (this.entries.get(abs)?.stamp === st.stamp) return true;
    if (this.reuse(abs, st.stamp)) {
      this.entries.set(abs, this.deferred(abs, st.stamp));
      return true;
    }
    const read = readPromptFile(abs, st.stats);
    if (read.ok) this.entries.set(abs, { stamp: read.stamp, value: this.parse(abs, read.text) });
    else if (read.missing) this.entries.delete(abs);
    else this.entries.set(abs, { stamp: read.stamp, readError: read.diagnostic });
    return this.entries.has(abs);
  }

  private deferred(abs: string, stamp: string): IndexedFile<T> {
    let done: { value?: T; readError?: Diagnostic } | undefined;
    const get = () => {
      if (done) return done;
      const read = readPromptFile(abs);
      done = read.ok ? { value: this.parse(abs, read.text) } : { readError: read.diagnostic };
      return done;
    };
    return {
      stamp,
      get value() {
        return get().value;
      },
      get readError() {
        return get().readError;
      },
    };
  }

  /** Tracks a file whatever the globs say, e.g. one named on the command line. */
  include(file: string): void {
    const abs = path.resolve(file);
    if (!this.entries.has(abs)) this.load(abs);
  }

  setOverlay(file: string, text: string): void {
    const abs = path.resolve(file);
    this.overlays.add(abs);
    // A fresh stamp per edit: caches keyed on stamps must see every change.
    this.entries.set(abs, { stamp: `overlay:${++this.overlayVersion}`, value: this.parse(abs, text) });
  }

  /** The disk is the truth again for `file` (its editor was saved, reverted or closed). */
  clearOverlay(file: string): void {
    const abs = path.resolve(file);
    if (this.overlays.delete(abs)) this.entries.delete(abs);
    this.load(abs);
  }

  hasOverlay(file: string): boolean {
    return this.overlays.has(path.resolve(file));
  }

  remove(file: string): void {
    const abs = path.resolve(file);
    this.entries.delete(abs);
    this.overlays.delete(abs);
  }

  /** Forgets every file under a deleted folder (editor overlays stay); returns how many there were. */
  removeUnder(dir: string): number {
    const prefix = path.resolve(dir) + path.sep;
    let n = 0;
    for (const f of [...this.entries.keys()]) {
      if (f.startsWith(prefix) && !this.overlays.has(f)) {
        this.entries.delete(f);
        n++;
      }
    }
    return n;
  }

  entry(file: string): IndexedFile<T> | undefined {
    return this.entries.get(path.resolve(file));
  }

  get(file: string): T | undefined {
    return this.entries.get(path.resolve(file))?.value;
  }

  has(file: string): boolean {
    return this.entries.has(path.resolve(file));
  }

  all(): IterableIterator<[string, IndexedFile<T>]> {
    return this.entries.entries();
  }

  values(): T[] {
    const out: T[] = [];
    for (const e of this.entries.values()) if (e.value !== undefined) out.push(e.value);
    return out;
  }

  get size(): number {
    return this.entries.size;
  }
}
