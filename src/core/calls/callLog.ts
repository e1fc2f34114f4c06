import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const CALLS_DIR = path.join('.prompt-registry', 'calls');
const CURRENT = 'calls.jsonl';
/** A log file is rotated past this size, so no one file grows without bound. */
export const DEFAULT_MAX_LOG_BYTES = 5 * 1024 * 1024;

/**
 * One provider call (seed 002): the prompt by id and version, never its text
 * or the vars' values, so the log can be kept and shared without leaking inputs.
 */
export interface CallRecord {
  ts: string;
  /** `case`: a suite case's answer; `grader`: an llm-rubric grading call. */
  kind: 'case' | 'grader';
  promptId: string;
  /** git blob sha of the prompt file as rendered. */
  promptVersion: string;
  /** HEAD, when the prompt file was clean in git. */
  promptCommit?: string;
  provider: string;
  model: string;
  /** True when the fallback model answered. */
  fallback: boolean;
  /** sha256 of the vars (canonical JSON), first 16 hex digits: equal inputs, equal hash; the values are not recoverable. */
  varsHash: string;
  tokensIn: number;
  tokensOut: number;
  costUsd?: number;
  latencyMs: number;
  /** pass/fail: the verdict on the answer; error: no usable answer. */
  status: 'pass' | 'fail' | 'error';
  error?: string;
  suite?: string;
  case?: string;
}

/** Canonical JSON (sorted keys) hashed, so `{a, b}` and `{b, a}` hash the same. */
export function hashVars(vars: Record<string, unknown>): string {
  return createHash('sha256').update(canonical(vars)).digest('hex').slice(0, 16);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/**
 * Appends records to `.prompt-registry/calls/calls.jsonl`, one JSON line each,
 * in batches (a run of 1,000 cases is a handful of writes, not 1,000). Appends
 * use O_APPEND, so a VS Code window and a CLI run logging at once interleave
 * whole lines. Past `maxBytes` the file is renamed `calls-<time>.jsonl`.
 */
export class CallLog {
  readonly dir: string;
  private pending: string[] = [];
  private writing: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;

  constructor(root: string, private readonly maxBytes = DEFAULT_MAX_LOG_BYTES) {
    this.dir = path.join(root, CALLS_DIR);
  }

  append(record: CallRecord): void {
    this.pending.push(`${JSON.stringify(record)}\n`);
    // Batch what arrives within a moment; flush() at the end of a run writes the rest.
    this.timer ??= setTimeout(() => void this.flush(), 200);
  }

  /** Writes everything appended so far. Never throws: a log that cannot be written must not fail a run. */
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
    const file = path.join(this.dir, CURRENT);
    const size = (await fs.promises.stat(file).catch(() => undefined))?.size ?? 0;
    if (size > 0 && size + Buffer.byteLength(batch) > this.maxBytes) {
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      // Another process may have rotated it a moment ago; then there is nothing to move.
      await fs.promises.rename(file, path.join(this.dir, `calls-${stamp}-${process.pid}.jsonl`)).catch(() => undefined);
    }
    await fs.promises.appendFile(file, batch, { encoding: 'utf8', flag: 'a' });
  }
}

/** Every record in the log files, oldest file first; lines that do not parse (a torn write) are skipped. */
export function readCallRecords(root: string): CallRecord[] {
  const dir = path.join(root, CALLS_DIR);
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.jsonl'));
  } catch {
    return [];
  }
  // Rotated files carry their time in the name; the current one is newest.
  names.sort((a, b) => (a === CURRENT ? 1 : b === CURRENT ? -1 : a.localeCompare(b)));
  const out: CallRecord[] = [];
  for (const n of names) {
    for (const line of fs.readFileSync(path.join(dir, n), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const r = JSON.parse(line) as CallRecord;
        if (r && typeof r === 'object' && typeof r.promptId === 'string' && typeof r.model === 'string') out.push(r);
      } catch {
        // skip
      }
    }
  }
  return out;
}
