import type { AssertionOutcome } from '../assert/evaluate';
import { percentile } from '../calls/stats';

export type CaseStatus = 'pass' | 'fail' | 'error' | 'cancelled';

export interface CaseResult {
  id: string;
  suite: string;
  suiteFile: string;
  caseName: string;
  caseIndex: number;
  promptId?: string;
  /** The model the case asked for. */
  model?: string;
  /** The model that produced the answer: `model`, or the fallback. */
  answeredBy?: string;
  provider?: string;
  /** True when the fallback model answered. */
  fallback: boolean;
  status: CaseStatus;
  output?: string;
  assertions: AssertionOutcome[];
  /** Why there is no answer (provider fault, timeout, render problem…). */
  error?: string;
  errorKind?: string;
  /** The answering call (retries included); the recorded one for a cached answer. */
  latencyMs: number;
  tokens: { input: number; output: number };
  costUsd?: number;
  cached: boolean;
  /** Wall time of the whole case: calls, fallback, grading. */
  durationMs: number;
}

export interface Totals {
  cases: number;
  passed: number;
  failed: number;
  errors: number;
  cancelled: number;
  /** passed ÷ cases, 0–1. */
  passRate: number;
  p50LatencyMs: number;
  p95LatencyMs: number;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  /** Answered cases whose model has no price (left out of costUsd). */
  unpriced: number;
  cached: number;
}

export interface SuiteResult {
  suite: string;
  file: string;
  /** Set when the run overrode the model. */
  model?: string;
  promptId?: string;
  /** Suite-level errors (file:line:col message) that stopped it. */
  problems: string[];
  totals: Totals;
}

export interface RunResult {
  startedAt: string;
  durationMs: number;
  cancelled: boolean;
  cases: CaseResult[];
  suites: SuiteResult[];
  totals: Totals;
}

export function summarize(results: CaseResult[]): Totals {
  const answered = results.filter((r) => r.output !== undefined);
  const count = (s: CaseResult['status']) => results.filter((r) => r.status === s).length;
  const latencies = answered.map((r) => r.latencyMs).sort((a, b) => a - b);
  const passed = count('pass');
  return {
    cases: results.length,
    passed,
    failed: count('fail'),
    errors: count('error'),
    cancelled: count('cancelled'),
    passRate: results.length ? passed / results.length : 0,
    p50LatencyMs: percentile(latencies, 50),
    p95LatencyMs: percentile(latencies, 95),
    tokensIn: results.reduce((n, r) => n + r.tokens.input, 0),
    tokensOut: results.reduce((n, r) => n + r.tokens.output, 0),
    costUsd: results.reduce((n, r) => n + (r.costUsd ?? 0), 0),
    unpriced: answered.filter((r) => r.costUsd === undefined).length,
    cached: results.filter((r) => r.cached).length,
  };
}

/** True when every case passed and no suite was stopped: exit code 0. */
export function runPassed(r: RunResult): boolean {
  return r.totals.cases === r.totals.passed && r.suites.every((s) => s.problems.length === 0);
}
