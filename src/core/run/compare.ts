import { formatCount, formatMs, formatRate, formatUsd } from '../format/numbers';
import { summarize, type CaseResult, type Totals } from './results';

/** One model's line in "compare models": its cases across every suite, summarized. */
export interface CompareRow {
  model: string;
  totals: Totals;
}

export function compareRows(models: string[], cases: CaseResult[]): CompareRow[] {
  return models.map((model) => ({ model, totals: summarize(cases.filter((c) => c.model === model)) }));
}

/** The models with the highest pass rate (ties share it); none when nothing ran. */
export function bestModels(rows: CompareRow[]): Set<string> {
  const ran = rows.filter((r) => r.totals.cases > 0);
  const best = Math.max(...ran.map((r) => r.totals.passRate));
  return new Set(ran.filter((r) => r.totals.passRate === best).map((r) => r.model));
}

/** The cells of a comparison table, formatted, in column order. */
export const COMPARE_COLUMNS = ['Model', 'Pass rate', 'Passed', 'p50 latency', 'Tokens', 'Cost'] as const;

export function compareCells(r: CompareRow): string[] {
  const t = r.totals;
  return [
    r.model,
    formatRate(t.passRate),
    `${t.passed}/${t.cases}`,
    formatMs(t.p50LatencyMs),
    formatCount(t.tokensIn + t.tokensOut),
    formatUsd(t.costUsd) + (t.unpriced ? '*' : ''),
  ];
}

export const UNPRICED_NOTE = '* some answers have no price in the model catalog and are not counted';

/** A Markdown table (GitHub flavour), the best pass rate in bold. */
export function compareMarkdown(rows: CompareRow[]): string {
  const best = bestModels(rows);
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    `| ${COMPARE_COLUMNS.join(' | ')} |`,
    `|${COMPARE_COLUMNS.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`,
  ];
  for (const r of rows) {
    const cells = compareCells(r).map(esc);
    if (best.has(r.model)) cells[1] = `**${cells[1]}**`;
    lines.push(`| ${cells.join(' | ')} |`);
  }
  if (rows.some((r) => r.totals.unpriced)) lines.push('', `\\${UNPRICED_NOTE}`);
  return lines.join('\n');
}

/** How each case did on each model: the detail under the comparison table. */
export interface CaseMatrixRow {
  suite: string;
  caseName: string;
  /** In the order of the models given; undefined when the case did not run on that model. */
  cells: (Pick<CaseResult, 'status' | 'latencyMs' | 'costUsd' | 'error'> | undefined)[];
}

export function caseMatrix(models: string[], cases: CaseResult[]): CaseMatrixRow[] {
  const rows = new Map<string, CaseMatrixRow>();
  for (const c of cases) {
    const col = models.indexOf(c.model ?? '');
    if (col < 0) continue;
    const key = `${c.suiteFile}\u0000${c.caseIndex}`;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { suite: c.suite, caseName: c.caseName, cells: models.map(() => undefined) }));
    row.cells[col] = { status: c.status, latencyMs: c.latencyMs, costUsd: c.costUsd, error: c.error };
  }
  return [...rows.values()];
}
