import { formatCount, formatMs, formatRate, formatUsd } from '../format/numbers';
import { code, esc, table } from '../review/markdownText';
import type { CallStats, CallStatsRow } from '../calls/stats';

export type StatsGrouping = 'prompt' | 'model';

/** The columns of `calls stats`, in order: the CLI pads them, the editor puts them in a Markdown table. */
export function statsHeaders(by: StatsGrouping): string[] {
  return [by === 'model' ? 'MODEL' : 'PROMPT', 'CALLS', 'PASS RATE', 'P50', 'P95', 'TOKENS IN', 'TOKENS OUT', 'COST'];
}

/** One row's cells, formatted as every view of the stats shows them (the key first, unescaped). */
export function statsCells(r: CallStatsRow): string[] {
  return [
    r.key,
    String(r.calls),
    formatRate(r.passRate),
    formatMs(r.p50LatencyMs),
    formatMs(r.p95LatencyMs),
    formatCount(r.tokensIn),
    formatCount(r.tokensOut),
    formatUsd(r.costUsd),
  ];
}

/** What to say when the log has nothing to count. */
export function noCallsMessage(since?: Date): string {
  return `No calls logged${since ? ` since ${since.toISOString()}` : ''} (.prompt-registry/calls/). Run "prompt-registry run" to make some.`;
}

/** The grading calls, counted apart from the prompts' own; undefined when there were none. */
export function graderNote(stats: CallStats): string | undefined {
  return stats.grader.calls
    ? `plus ${stats.grader.calls} llm-rubric grading calls (${formatUsd(stats.grader.costUsd)})`
    : undefined;
}

/** `calls stats` as a Markdown document: a title, the table with a bold total row, and the grading note. */
export function statsMarkdown(stats: CallStats, by: StatsGrouping, since?: Date): string {
  const title = `### Call statistics by ${by}${since ? ` since ${code(since.toISOString())}` : ''}`;
  if (stats.total.calls === 0) return [title, '', esc(noCallsMessage(since)), ''].join('\n');
  const rows = stats.rows.map((r) => {
    const [key, ...rest] = statsCells(r);
    return [code(key!), ...rest];
  });
  const [, ...total] = statsCells(stats.total);
  rows.push(['**total**', ...total.map((c) => `**${c}**`)]);
  const out = [title, '', ...table(statsHeaders(by), rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r']), ''];
  const note = graderNote(stats);
  if (note) out.push(`_${esc(note)}_`, '');
  return out.join('\n');
}
