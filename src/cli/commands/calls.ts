import { readCallRecords } from '../../core/calls/callLog';
import { callStats } from '../../core/calls/stats';
import { graderNote, noCallsMessage, statsCells, statsHeaders } from '../../core/app/statsMarkdown';
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
    out(noCallsMessage(since));
    return EXIT.ok;
  }
  const headers = statsHeaders(opts.by);
  // The key column is as wide as its longest key; the others as their header in the first version of this table.
  const widths = [Math.max(headers[0]!.length, 5, ...stats.rows.map((r) => r.key.length)), 6, 9, 7, 7, 9, 10, 9];
  const line = (cells: string[]) => cells.map((c, i) => (i ? c.padStart(widths[i]!) : c.padEnd(widths[0]!))).join('  ');
  out(style.bold(line(headers)));
  for (const r of [...stats.rows, stats.total]) {
    const text = line(statsCells(r));
    out(r === stats.total ? style.bold(text) : text);
  }
  const note = graderNote(stats);
  if (note) out(style.dim(note));
  return EXIT.ok;
}
