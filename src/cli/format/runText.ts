import type { CaseResult, RunResult, SuiteResult, Totals } from '../../core/run/results';
import { style } from '../style';
import { formatCount, formatMs, formatRate, formatUsd } from './money';
import { plural } from '../../core/text/plural';

const MARK: Record<CaseResult['status'], () => string> = {
  pass: () => style.green('✔'),
  fail: () => style.red('✖'),
  error: () => style.red('!'),
  cancelled: () => style.yellow('○'),
};

/** One line per finished case, for progress in CI logs. */
export function caseLine(r: CaseResult, done: number, total: number): string {
  const model = r.answeredBy ?? r.model ?? '';
  const why =
    r.status === 'error' || r.status === 'cancelled'
      ? ` — ${r.error}`
      : r.status === 'fail'
        ? ` — ${firstFailure(r)}`
        : '';
  return `[${done}/${total}] ${MARK[r.status]()} ${r.suite} › ${r.caseName} ${style.dim(`(${model}${r.fallback ? ', fallback' : ''}${r.cached ? ', cached' : ''}, ${formatMs(r.latencyMs)})`)}${why}`;
}

function firstFailure(r: CaseResult): string {
  return r.assertions.find((a) => a.status !== 'pass')?.message ?? '';
}

/** The text report: each suite with its cases and what failed, then the totals. */
export function formatRunText(run: RunResult): string[] {
  const out: string[] = [];
  let offset = 0;
  for (const s of run.suites) {
    const cases = run.cases.slice(offset, (offset += s.totals.cases));
    out.push(
      '',
      style.bold(`${s.suite}`) + style.dim(`  (${[s.promptId, s.model].filter(Boolean).join(' · ') || 'no prompt'})`),
    );
    for (const p of s.problems) out.push(`  ${style.red('error')} ${p}`);
    for (const r of cases) {
      const facts =
        r.output !== undefined
          ? style.dim(
              `${r.answeredBy}${r.fallback ? ' (fallback)' : ''} · ${formatMs(r.latencyMs)} · ${formatCount(r.tokens.input)}→${formatCount(r.tokens.output)} tok · ${formatUsd(r.costUsd)}${r.cached ? ' · cached' : ''}`,
            )
          : '';
      out.push(`  ${MARK[r.status]()} ${r.caseName}  ${facts}`);
      // A stopped suite already said why, once, above its cases.
      if (s.problems.length) continue;
      if (r.status === 'error' || r.status === 'cancelled')
        out.push(`      ${r.status === 'error' ? style.red(r.error ?? '') : style.yellow(r.error ?? '')}`);
      for (const a of r.assertions)
        if (a.status !== 'pass') out.push(`      ${a.status === 'error' ? style.red(a.message) : a.message}`);
    }
    out.push(`  ${style.dim(totalsLine(s.totals))}`);
  }
  out.push('', summaryLine(run));
  return out;
}

export function totalsLine(t: Totals): string {
  const parts = [
    `${t.passed} passed`,
    t.failed ? `${t.failed} failed` : '',
    t.errors ? plural(t.errors, 'error') : '',
    t.cancelled ? `${t.cancelled} cancelled` : '',
    `p50 ${formatMs(t.p50LatencyMs)}`,
    `p95 ${formatMs(t.p95LatencyMs)}`,
    `${formatCount(t.tokensIn + t.tokensOut)} tokens`,
    formatUsd(t.costUsd) + (t.unpriced ? ` (+${t.unpriced} unpriced)` : ''),
    t.cached ? `${t.cached} cached` : '',
  ];
  return parts.filter(Boolean).join(' · ');
}

export function summaryLine(run: RunResult): string {
  const t = run.totals;
  const problems = run.suites.filter((s: SuiteResult) => s.problems.length).length;
  const ok = t.cases === t.passed && problems === 0;
  const mark = ok ? style.green('✔') : style.red('✖');
  const stopped = problems ? `, ${plural(problems, 'suite')} not run` : '';
  return `${mark} ${plural(t.cases, 'case')} in ${plural(run.suites.length, 'suite')}${stopped}: ${totalsLine(t)} · ${formatRate(t.passRate)} pass · ${formatMs(run.durationMs)}${run.cancelled ? style.yellow(' · cancelled') : ''}`;
}
