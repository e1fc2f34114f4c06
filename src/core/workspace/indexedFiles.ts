import * as path from 'node:path';
import { FileIndex } from './fileIndex';

/**
 * A set of files chosen by globs (prompts, suites), parsed through a FileIndex:
 * the editor-facing operations both sets share, so they follow one set of rules.
 */
export abstract class IndexedFiles<T> {
  protected readonly index = new FileIndex<T>(
    (abs, text) => this.parseFile(abs, text),
    (abs, stamp) => this.reuses(abs, stamp),
  );

  protected abstract parseFile(abs: string, text: string): T;
  /** True when a file's result for this stamp is already known, so it need not be read now. */
  protected reuses(_abs: string, _stamp: string): boolean {
    return false;
  }
  /** Whether `file` belongs to the set by its path (globs and ignores), whatever is on disk. */
  abstract contains(file: string): boolean;
  /** The files on disk that belong to the set, absolute and sorted. */
  abstract list(): string[];

  /** Lists the files and (re)parses those that changed since the last scan. */
  scan(): void {
    this.index.sync(this.list());
  }

  /** Brings one file up to date after a change on disk. Returns false when it is not (or no longer) in the set. */
  refreshFile(file: string): boolean {
    const abs = path.resolve(file);
    if (this.index.hasOverlay(abs)) return true;
    if (!this.contains(abs)) return false;
    return this.index.load(abs);
  }

  /** Tracks a file outside the globs, e.g. one named on the command line. */
  include(file: string): void {
    this.index.include(file);
  }

  /** Unsaved editor text wins over the file on disk until `clearOverlay`. */
  setOverlay(file: string, text: string): void {
    this.index.setOverlay(file, text);
  }

  /** The disk is the truth again for `file` (its editor was saved, reverted or closed). */
  clearOverlay(file: string): void {
    const abs = path.resolve(file);
    this.index.clearOverlay(abs);
    if (!this.contains(abs)) this.index.remove(abs);
  }

  remove(file: string): void {
    this.index.remove(file);
  }

  /** Forgets every file under a deleted folder; returns how many there were. */
  removeUnder(dir: string): number {
    return this.index.removeUnder(dir);
  }

  get(file: string): T | undefined {
    return this.index.get(file);
  }

  get fileCount(): number {
    return this.index.size;
  }
}
