/** One case as a host reported it: enough for the end-of-run summary and "Re-run Failed". */
export interface ReportedCase {
  id: string;
  state: 'passed' | 'failed' | 'errored' | 'skipped';
  costUsd?: number;
  model?: string;
}

/** What a finished run amounts to; each host words it ("38 passed, 2 failed on gpt-4o-mini · $0.012 · 8.1 s"). */
export interface RunOutcome {
  passed: number;
  /** Failed or errored: what "Re-run Failed" runs again. */
  failed: number;
  skipped: number;
  /** The models that answered, in first-seen order. */
  models: string[];
  /** Undefined when no answered case had a price. */
  costUsd?: number;
  durationMs: number;
  /** Ids of the failed or errored cases, in run order. */
  failedIds: string[];
}

export function runOutcome(cases: ReportedCase[], durationMs: number): RunOutcome {
  const failedIds = cases.filter((c) => c.state === 'failed' || c.state === 'errored').map((c) => c.id);
  const priced = cases.filter((c) => c.costUsd !== undefined);
  return {
    passed: cases.filter((c) => c.state === 'passed').length,
    failed: failedIds.length,
    skipped: cases.filter((c) => c.state === 'skipped').length,
    models: [...new Set(cases.map((c) => c.model).filter((m): m is string => !!m))],
    costUsd: priced.length ? priced.reduce((n, c) => n + c.costUsd!, 0) : undefined,
    durationMs,
    failedIds,
  };
}

/** "Failed last time": the failed cases of the previous run that still exist in the project. */
export function failedLastTime(previous: RunOutcome | undefined, exists: (id: string) => boolean): string[] {
  return (previous?.failedIds ?? []).filter(exists);
}
