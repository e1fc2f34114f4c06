import * as fs from 'node:fs';
import * as path from 'node:path';

export interface JsonlAppenderOptions {
  /** The file appended to, e.g. `calls.jsonl`. */
  current: string;
  /** Rotated files are named `<prefix>-<time>-<pid>-<seq>.jsonl`. */
  rotatedPrefix: string;
  /** Past this size the current file is rotated. */
  maxBytes: number;
  /** Keep at most this many rotated files (oldest deleted); all when absent. */
  keepRotated?: number;
}

let rotations = 0;

/**
 * Appends lines to a JSONL file in batches (1,000 lines are a handful of
 * writes, not 1,000), rotating it by size. Appends use O_APPEND, so two
 * processes writing at once interleave whole batches. Never throws: losing a
 * log line or a cache entry must not fail a run.
 */
export class JsonlAppender {
  private pending: string[] = [];
  private writing: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;

  constructor(
    readonly dir: string,
    private readonly opts: JsonlAppenderOptions,
  ) {}

  /** `line` must be one line of JSON without its newline. */
  append(line: string): void {
    this.pending.push(`${line}\n`);
    // Batch what arrives within a moment; flush() writes the rest.
    this.timer ??= setTimeout(() => void this.flush(), 200);
  }

  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending.join('');
    this.pending = [];
    if (batch) this.writing = this.writing.then(() => this.write(batch)).catch(() => undefined);
    return this.writing;
  }

  private async write(batch: string): Promise<void> {
    await fs.promises.mkdir(this.dir, { recursive: true });
    const file = path.join(this.dir, this.opts.current);
    const size = (await fs.promises.stat(file).catch(() => undefined))?.size ?? 0;
    if (size > 0 && size + Buffer.byteLength(batch) > this.opts.maxBytes) {
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      // A sequence number too: two rotations in one millisecond must not rename onto the same
      // file, which would silently replace (lose) the first. Names still sort oldest first.
      const seq = String(++rotations).padStart(6, '0');
      // Another process may have rotated it a moment ago; then there is nothing to move.
      await fs.promises
        .rename(file, path.join(this.dir, `${this.opts.rotatedPrefix}-${stamp}-${process.pid}-${seq}.jsonl`))
        .catch(() => undefined);
      if (this.opts.keepRotated !== undefined) await this.prune(this.opts.keepRotated);
    }
    await fs.promises.appendFile(file, batch, { encoding: 'utf8', flag: 'a' });
  }

  private async prune(keep: number): Promise<void> {
    const rotated = (await fs.promises.readdir(this.dir))
      .filter((n) => n.startsWith(`${this.opts.rotatedPrefix}-`) && n.endsWith('.jsonl'))
      .sort();
    for (const n of rotated.slice(0, Math.max(0, rotated.length - keep)))
      await fs.promises.rm(path.join(this.dir, n), { force: true });
  }
}

/** The JSONL files of `dir` oldest first: rotated ones by the time in their name, then the current one. */
export function jsonlFiles(dir: string, current: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.jsonl'));
  } catch {
    return [];
  }
  names.sort((a, b) => (a === current ? 1 : b === current ? -1 : a.localeCompare(b)));
  return names.map((n) => path.join(dir, n));
}
