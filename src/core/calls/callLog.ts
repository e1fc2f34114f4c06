import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JsonlAppender, jsonlFiles } from '../fs/jsonlAppender';

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
  /** `case`: a suite case's answer; `grader`: an llm-rubric grading call; `app`: an application's call (prompt-registry/runtime). */
  kind: 'case' | 'grader' | 'app';
  promptId: string;
  /** git blob sha of the prompt file as rendered. */
  promptVersion: string;
  /** Version N (the Nth commit that touched the file), when the content was committed; runtime records only. */
  promptVersionNumber?: number;
  /** HEAD, when the prompt file was clean in git; for runtime records, the commit the prompt was read at. */
  promptCommit?: string;
  /** The publish label the prompt was loaded at; runtime records only. */
  promptLabel?: string;
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
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** Appends records to `.prompt-registry/calls/calls.jsonl`, rotated to `calls-<time>.jsonl` past `maxBytes`. */
export class CallLog {
  private readonly out: JsonlAppender;

  constructor(root: string, maxBytes = DEFAULT_MAX_LOG_BYTES) {
    this.out = new JsonlAppender(path.join(root, CALLS_DIR), { current: CURRENT, rotatedPrefix: 'calls', maxBytes });
  }

  append(record: CallRecord): void {
    this.out.append(JSON.stringify(record));
  }

  /** Writes everything appended so far. Never throws: a log that cannot be written must not fail a run. */
  flush(): Promise<void> {
    return this.out.flush();
  }
}

/** Every record in the log files, oldest file first; lines that do not parse (a torn write) are skipped. */
export function readCallRecords(root: string): CallRecord[] {
  const out: CallRecord[] = [];
  for (const file of jsonlFiles(path.join(root, CALLS_DIR), CURRENT)) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
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
