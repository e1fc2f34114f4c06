import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { retirementWindow } from '../catalog/lookup';
import type { Catalog } from '../catalog/types';
import type { ResolvedConfig } from '../config/load';
import { writeFileAtomicallySync } from '../fs/atomic';
import type { Diagnostic } from '../text/diagnostics';

/** Where `check` keeps what it found, under the root (gitignored by `init`). */
export const CHECK_CACHE_FILE = '.prompt-registry/cache/check.json';
/** Bumped when what an entry holds changes shape. */
const FORMAT = 1;
/**
 * A file changed this recently may change again within its timestamps' granularity, keeping the
 * same stamp (git's "racy" files): it is not stored, so the next run reads it again.
 */
const RACY_MS = 2000;

/** What a prompt file alone yields: its id (duplicate ids are worked out across files each run) and its diagnostics. */
export interface CachedPrompt {
  id: string;
  diagnostics: Diagnostic[];
}

interface Entry extends CachedPrompt {
  stamp: string;
}

interface CacheFile {
  format: number;
  key: string;
  /** The times between which the model checks say the same (no retirement gets a day closer or further). */
  validFrom: number | null;
  validUntil: number | null;
  files: Record<string, Entry>;
}

/** Everything a prompt's diagnostics depend on besides its own text. */
export interface CheckCacheInputs {
  /** The folder the prompt paths are under. */
  root: string;
  /** Anything that identifies the code that produced the results (its version, and its build when known). */
  toolVersion: string;
  config: ResolvedConfig;
  /** The configured catalog the checks use, and catalog.json as stored. */
  catalog?: Catalog;
  stored?: Catalog;
  now: Date;
  /** The wall clock racy stamps are judged by (tests move it on rather than wait). */
  clock?: () => number;
}

/**
 * The persistent check cache (like `eslint --cache`): per prompt file, keyed by its stamp (mtime,
 * size, ctime, inode), under a key made of the tool version, the resolved config and both
 * catalogs. A file that is missing, unreadable, truncated or made by another key counts as empty
 * and is rewritten by `save`.
 */
export class CheckCache {
  private readonly key: string;
  private readonly window: { from?: number; until?: number };
  /** Files are stored relative to this folder, so a moved checkout keeps its cache. */
  private readonly base: string;
  /** The day models are checked against (tests fix it); racy stamps are judged by the clock. */
  private readonly now: number;
  private readonly clock: () => number;
  private readonly old: Map<string, Entry>;
  private readonly next = new Map<string, Entry>();
  private changed = false;

  constructor(
    readonly file: string,
    inputs: CheckCacheInputs,
  ) {
    this.now = inputs.now.getTime();
    this.clock = inputs.clock ?? Date.now;
    this.key = createHash('sha256')
      .update(
        JSON.stringify([FORMAT, inputs.toolVersion, inputs.config, inputs.catalog ?? null, inputs.stored ?? null]),
      )
      .digest('hex');
    this.window = retirementWindow([...(inputs.catalog?.models ?? []), ...(inputs.stored?.models ?? [])], inputs.now);
    this.base = path.resolve(inputs.root) + path.sep;
    this.old = this.read();
  }

  /** The stored result for `file` at `stamp`, or undefined when there is none or it may be stale. */
  lookup(abs: string, stamp: string): CachedPrompt | undefined {
    const file = this.keyOf(abs);
    const e = this.next.get(file) ?? this.old.get(file);
    if (!e || e.stamp !== stamp) return undefined;
    this.next.set(file, e);
    return e;
  }

  record(abs: string, stamp: string, value: CachedPrompt): void {
    const file = this.keyOf(abs);
    if (isRacy(stamp, this.clock())) {
      this.changed ||= this.old.has(file);
      return;
    }
    const e = this.next.get(file);
    if (e && e.stamp === stamp) return;
    this.next.set(file, { stamp, id: value.id, diagnostics: value.diagnostics });
    this.changed = true;
  }

  /** Writes what this run used and found (files gone since are dropped), when that differs from what was read. */
  save(): void {
    if (!this.changed && this.next.size === this.old.size) return;
    const out: CacheFile = {
      format: FORMAT,
      key: this.key,
      validFrom: this.window.from ?? null,
      validUntil: this.window.until ?? null,
      files: Object.fromEntries(this.next),
    };
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      writeFileAtomicallySync(this.file, JSON.stringify(out));
    } catch {
      // A read-only checkout still gets its check; it just cannot be faster next time.
    }
  }

  /** `path.relative` for the usual case by slicing: it is called for every file, several times a run. */
  private keyOf(abs: string): string {
    return abs.startsWith(this.base) ? abs.slice(this.base.length) : path.relative(this.base, abs);
  }

  private read(): Map<string, Entry> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(this.file, 'utf8'));
    } catch {
      return new Map();
    }
    if (!isCacheFile(parsed) || parsed.format !== FORMAT || parsed.key !== this.key) return new Map();
    if (parsed.validFrom !== null && this.now < parsed.validFrom) return new Map();
    if (parsed.validUntil !== null && this.now >= parsed.validUntil) return new Map();
    const out = new Map<string, Entry>();
    const files = parsed.files;
    for (const file in files) if (Object.hasOwn(files, file) && isEntry(files[file])) out.set(file, files[file]);
    return out;
  }
}

/** Stamps are `mtime:size:ctime:inode` (readPromptFile.stampOf). */
function isRacy(stamp: string, now: number): boolean {
  const [mtime, , ctime] = stamp.split(':').map(Number);
  if (!Number.isFinite(mtime) || !Number.isFinite(ctime)) return true;
  return Math.max(mtime!, ctime!) > now - RACY_MS;
}

function isCacheFile(v: unknown): v is CacheFile {
  if (!v || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  return (
    typeof o.format === 'number' &&
    typeof o.key === 'string' &&
    (o.validFrom === null || typeof o.validFrom === 'number') &&
    (o.validUntil === null || typeof o.validUntil === 'number') &&
    !!o.files &&
    typeof o.files === 'object' &&
    !Array.isArray(o.files)
  );
}

function isEntry(v: unknown): v is Entry {
  if (!v || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  return typeof o.stamp === 'string' && typeof o.id === 'string' && Array.isArray(o.diagnostics);
}
