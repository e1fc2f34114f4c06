import type { CaseResult, Totals } from '../../core/run/results';
import { summarize } from '../../core/run/results';
import { style } from '../style';
import { formatCount, formatMs, formatRate, formatUsd } from './money';

export interface CompareRow {
  model: string;
  totals: Totals;
}

/** Per model of `--compare`: its cases across every suite, summarized. */
export function compareRows(models: string[], cases: CaseResult[]): CompareRow[] {
  return models.map((model) => ({ model, totals: summarize(cases.filter((c) => c.model === model)) }));
}

/** The comparison table: pass rate, p50 latency, tokens and cost per model. */
export function formatCompare(rows: CompareRow[]): string[] {
  const w = Math.max(5, ...rows.map((r) => r.model.length));
  const head = `${'MODEL'.padEnd(w)}  ${'PASS RATE'.padStart(9)}  ${'PASSED'.padStart(9)}  ${'P50 LATENCY'.padStart(11)}  ${'TOKENS'.padStart(9)}  ${'COST'.padStart(10)}`;
  const best = Math.max(...rows.map((r) => r.totals.passRate));
  return [
    style.bold(head),
    ...rows.map((r) => {
      const t = r.totals;
      const rate = formatRate(t.passRate).padStart(9);
      return `${r.model.padEnd(w)}  ${t.passRate === best ? style.green(rate) : rate}  ${`${t.passed}/${t.cases}`.padStart(9)}  ${formatMs(t.p50LatencyMs).padStart(11)}  ${formatCount(t.tokensIn + t.tokensOut).padStart(9)}  ${(formatUsd(t.costUsd) + (t.unpriced ? '*' : '')).padStart(10)}`;
    }),
    ...(rows.some((r) => r.totals.unpriced) ? [style.dim('* some answers have no price in the model catalog and are not counted')] : []),
  ];
}
