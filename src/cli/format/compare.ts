import { bestModels, compareCells, UNPRICED_NOTE, type CompareRow } from '../../core/run/compare';
import { style } from '../style';

/** The comparison table for a terminal: pass rate, p50 latency, tokens and cost per model. */
export function formatCompare(rows: CompareRow[]): string[] {
  const best = bestModels(rows);
  const cells = rows.map(compareCells);
  const head = ['MODEL', 'PASS RATE', 'PASSED', 'P50 LATENCY', 'TOKENS', 'COST'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const pad = (c: string[]) => c.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!)));
  return [
    style.bold(pad(head).join('  ')),
    ...rows.map((r, i) => {
      const c = pad(cells[i]!);
      if (best.has(r.model)) c[1] = style.green(c[1]!);
      return c.join('  ');
    }),
    ...(rows.some((r) => r.totals.unpriced) ? [style.dim(UNPRICED_NOTE)] : []),
  ];
}
