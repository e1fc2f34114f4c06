import { readCallRecords } from '../../core/calls/callLog';
import { callStats } from '../../core/calls/stats';
import { formatCount, formatMs, formatRate, formatUsd } from '../../core/format/numbers';
import { style } from '../style';
import { EXIT, UsageError } from '../usage';
import type { CliContext } from '../context';

/** `prompt-registry calls stats`: calls, pass rate, p50/p95 latency, tokens and cost from .prompt-registry/calls. */
export function runCallsStats(
  ctx: CliContext,
  opts: { by: 'prompt' | 'model'; since?: string; json: boolean },
): number {
  const { root, out } = ctx;
  let since: Date | undefined;
  if (opts.since !== undefined) {
    since = new Date(/^\d{4}-\d{2}-\d{2}$/.test(opts.since) ? `${opts.since}T00:00:00Z` : opts.since);
    if (Number.isNaN(since.getTime()))
      throw new UsageError(`--since takes a date such as 2026-11-01 or 2026-11-01T12:00:00Z; got "${opts.since}"`);
  }
  const stats = callStats(readCallRecords(root), { by: opts.by, since });
  if (opts.json) {
    out(JSON.stringify(stats, null, 2));
    return EXIT.ok;
  }
  if (stats.total.calls === 0) {
    out(
      `No calls logged${since ? ` since ${since.toISOString()}` : ''} (.prompt-registry/calls/). Run "prompt-registry run" to make some.`,
    );
    return EXIT.ok;
  }
  const label = opts.by === 'model' ? 'MODEL' : 'PROMPT';
  const w = Math.max(label.length, 5, ...stats.rows.map((r) => r.key.length));
  out(
    style.bold(
      `${label.padEnd(w)}  ${'CALLS'.padStart(6)}  ${'PASS RATE'.padStart(9)}  ${'P50'.padStart(7)}  ${'P95'.padStart(7)}  ${'TOKENS IN'.padStart(9)}  ${'TOKENS OUT'.padStart(10)}  ${'COST'.padStart(9)}`,
    ),
  );
  for (const r of [...stats.rows, stats.total]) {
    const line = `${r.key.padEnd(w)}  ${String(r.calls).padStart(6)}  ${formatRate(r.passRate).padStart(9)}  ${formatMs(r.p50LatencyMs).padStart(7)}  ${formatMs(r.p95LatencyMs).padStart(7)}  ${formatCount(r.tokensIn).padStart(9)}  ${formatCount(r.tokensOut).padStart(10)}  ${formatUsd(r.costUsd).padStart(9)}`;
    out(r === stats.total ? style.bold(line) : line);
  }
  if (stats.grader.calls)
    out(style.dim(`plus ${stats.grader.calls} llm-rubric grading calls (${formatUsd(stats.grader.costUsd)})`));
  return EXIT.ok;
}
