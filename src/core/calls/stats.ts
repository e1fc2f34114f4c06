import type { CallRecord } from './callLog';

export interface CallStatsRow {
  /** The prompt id or the model, by grouping. */
  key: string;
  calls: number;
  passed: number;
  failed: number;
  errors: number;
  /** passed ÷ calls, 0–1. */
  passRate: number;
  p50LatencyMs: number;
  p95LatencyMs: number;
  tokensIn: number;
  tokensOut: number;
  /** Sum over calls with a known price. */
  costUsd: number;
  /** Calls whose model had no price, so `costUsd` leaves them out. */
  unpriced: number;
}

export interface CallStats {
  rows: CallStatsRow[];
  total: CallStatsRow;
  /** llm-rubric grading calls: counted apart, so they do not skew a prompt's pass rate. */
  grader: { calls: number; costUsd: number };
}

export function callStats(records: CallRecord[], opts: { by: 'prompt' | 'model'; since?: Date }): CallStats {
  const since = opts.since?.getTime();
  const kept = records.filter((r) => since === undefined || Date.parse(r.ts) >= since);
  const cases = kept.filter((r) => r.kind !== 'grader');
  const graders = kept.filter((r) => r.kind === 'grader');
  const groups = new Map<string, CallRecord[]>();
  for (const r of cases) {
    const key = opts.by === 'model' ? r.model : r.promptId;
    const list = groups.get(key);
    if (list) list.push(r);
    else groups.set(key, [r]);
  }
  const rows = [...groups].map(([key, list]) => row(key, list)).sort((a, b) => a.key.localeCompare(b.key));
  return {
    rows,
    total: row('total', cases),
    grader: { calls: graders.length, costUsd: graders.reduce((n, r) => n + (r.costUsd ?? 0), 0) },
  };
}

function row(key: string, list: CallRecord[]): CallStatsRow {
  const latencies = list.map((r) => r.latencyMs).sort((a, b) => a - b);
  const count = (s: CallRecord['status']) => list.filter((r) => r.status === s).length;
  const passed = count('pass');
  return {
    key,
    calls: list.length,
    passed,
    failed: count('fail'),
    errors: count('error'),
    passRate: list.length ? passed / list.length : 0,
    p50LatencyMs: percentile(latencies, 50),
    p95LatencyMs: percentile(latencies, 95),
    tokensIn: list.reduce((n, r) => n + (r.tokensIn ?? 0), 0),
    tokensOut: list.reduce((n, r) => n + (r.tokensOut ?? 0), 0),
    costUsd: list.reduce((n, r) => n + (r.costUsd ?? 0), 0),
    unpriced: list.filter((r) => r.costUsd === undefined && r.status !== 'error').length,
  };
}

/** Nearest-rank percentile of sorted values; 0 for none. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}
