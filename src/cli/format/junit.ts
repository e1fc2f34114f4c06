import type { CaseResult, RunResult } from '../../core/run/results';

/**
 * JUnit XML as Jenkins, GitLab, GitHub test reporters and Azure read it:
 * <testsuites> of <testsuite> (one per suite and model) of <testcase>, with
 * <failure> for failed assertions, <error> for cases without an answer,
 * <skipped> for cancelled ones, and the answer in <system-out>.
 */
export function formatJUnit(run: RunResult): string {
  const t = run.totals;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="prompt-registry" tests="${t.cases + problemCount(run)}" failures="${t.failed}" errors="${t.errors + problemCount(run)}" skipped="${t.cancelled}" time="${seconds(run.durationMs)}" timestamp="${attr(run.startedAt)}">`,
  ];
  let offset = 0;
  for (const s of run.suites) {
    const cases = run.cases.slice(offset, (offset += s.totals.cases));
    const name = s.model ? `${s.suite} [${s.model}]` : s.suite;
    const time = cases.reduce((n, c) => n + c.durationMs, 0);
    lines.push(
      `  <testsuite name="${attr(name)}" tests="${cases.length + s.problems.length}" failures="${s.totals.failed}" errors="${s.totals.errors + s.problems.length}" skipped="${s.totals.cancelled}" time="${seconds(time)}" timestamp="${attr(run.startedAt)}">`,
    );
    for (const p of s.problems) {
      lines.push(
        `    <testcase classname="${attr(name)}" name="(suite)" time="0">`,
        `      <error message="${attr(p)}" type="suite-invalid">${text(p)}</error>`,
        '    </testcase>',
      );
    }
    for (const c of cases) lines.push(...testcase(c, name));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

function testcase(c: CaseResult, classname: string): string[] {
  const out = [
    `    <testcase classname="${attr(classname)}" name="${attr(c.caseName)}" time="${seconds(c.durationMs)}">`,
  ];
  if (c.status === 'fail') {
    const failed = c.assertions.filter((a) => a.status !== 'pass');
    const body = failed
      .map((a) =>
        [
          a.message,
          a.expected !== undefined ? `expected:\n${a.expected}` : '',
          a.actual !== undefined ? `actual:\n${a.actual}` : '',
        ]
          .filter(Boolean)
          .join('\n'),
      )
      .join('\n\n');
    out.push(
      `      <failure message="${attr(failed[0]?.message ?? 'failed')}" type="${attr(failed[0]?.type ?? 'assertion')}">${text(body)}</failure>`,
    );
  } else if (c.status === 'error') {
    const msg = c.error ?? c.assertions.find((a) => a.status === 'error')?.message ?? 'error';
    out.push(`      <error message="${attr(msg)}" type="${attr(c.errorKind ?? 'error')}">${text(msg)}</error>`);
  } else if (c.status === 'cancelled') {
    out.push(`      <skipped message="${attr(c.error ?? 'cancelled')}"/>`);
  }
  const props = [
    `model=${c.answeredBy ?? c.model ?? ''}`,
    c.fallback ? 'fallback=true' : '',
    `latencyMs=${c.latencyMs}`,
    `tokens=${c.tokens.input}+${c.tokens.output}`,
    c.costUsd !== undefined ? `costUsd=${c.costUsd}` : '',
    c.cached ? 'cached=true' : '',
  ]
    .filter(Boolean)
    .join(' ');
  out.push(`      <system-out>${text(`${props}${c.output !== undefined ? `\n\n${c.output}` : ''}`)}</system-out>`);
  out.push('    </testcase>');
  return out;
}

function problemCount(run: RunResult): number {
  return run.suites.reduce((n, s) => n + s.problems.length, 0);
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

// Characters XML 1.0 cannot hold at all (most C0 controls, lone surrogates, U+FFFE/FFFF): dropped, since no escape exists.
const INVALID_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Escapes text content. */
export function text(s: string): string {
  return s.replace(INVALID_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes an attribute value; newlines and tabs become character references so parsers keep them. */
export function attr(s: string): string {
  return text(s)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}
