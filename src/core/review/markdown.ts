import { formatRate } from '../format/numbers';
import type { Totals } from '../run/results';
import type { CostImpact } from './costImpact';
import type { InputChange, InputFacts, ModelChange, NumberDelta, SemanticDiff } from './diffTypes';
import { formatUsd } from '../format/numbers';
import { code, esc, fenced, html, table, value } from './markdownText';
import type { ReviewEntry, ReviewReport } from './report';
import type { ProviderChange } from './providerChanges';
import type { RunComparison } from './runTypes';
import { signedPercent, tokens } from './summary';
import { plural } from '../text/plural';

/** GitHub rejects comments over 65,536 characters; details stop before that. */
export const COMMENT_LIMIT = 60_000;
const MAX_BODY_LINES = 40;
/** Marks the comment, so CI can find and replace its own previous one. */
export const REVIEW_MARKER = '<!-- prompt-registry-diff -->';

export interface ReviewMarkdownOptions {
  /** Where each prompt's row links (the editor opens the prompt's diff); no link when it returns undefined. */
  promptLink?: (e: ReviewEntry, index: number) => string | undefined;
}

/**
 * The review as a pull-request comment: a headline, a table with one row per
 * prompt, the suite pass rates when suites ran, then a collapsed details
 * section per prompt (as many as fit in `limit` characters).
 */
export function reviewMarkdown(r: ReviewReport, limit = COMMENT_LIMIT, opts: ReviewMarkdownOptions = {}): string {
  const head: string[] = [
    REVIEW_MARKER,
    `### Prompt changes: ${code(r.base.ref)} → ${code(r.head.ref)}`,
    '',
    ...providerSection(r.providerChanges),
    headline(r),
    '',
  ];
  if (r.entries.length) {
    head.push(
      ...table(
        ['Prompt', 'Change', 'What changed', 'At HEAD'],
        r.entries.map((e, i) => [
          linked(promptCell(e), opts.promptLink?.(e, i)),
          e.status,
          esc(e.summary),
          statusCell(e),
        ]),
      ),
      '',
    );
  }
  if (r.validation.untouchedWithErrors.length) {
    head.push(
      `❌ Prompts not touched here with errors at HEAD: ${r.validation.untouchedWithErrors.map((p) => `${code(p.id)} (${p.errors})`).join(', ')}`,
      '',
    );
  }
  for (const p of r.validation.workspace)
    head.push(`- ${icon(p.severity)} ${code(`${p.file}:${p.line}`)} ${code(p.code)} ${esc(p.message)}`);
  if (r.validation.workspace.length) head.push('');
  if (r.run) head.push(...runSection(r.run), '');

  // One line: "<sub>" alone on a line would start an HTML block, where Markdown escapes are not read.
  const foot = [`<sub>${[r.cost.method, ...r.validation.notices].map(esc).join('<br>')}</sub>`];
  const out = [...head];
  let size = [...head, ...foot].join('\n').length;
  let shown = 0;
  for (const e of r.entries) {
    const block = details(e).join('\n');
    if (size + block.length + 200 > limit) break;
    out.push(block, '');
    size += block.length + 1;
    shown++;
  }
  if (shown < r.entries.length) {
    out.push(
      `_Details of ${r.entries.length - shown} more prompts are left out to fit one comment: run ${code(`prompt-registry diff ${r.base.ref} ${r.head.ref} --format json`)} for all of them._`,
      '',
    );
  }
  return [...out, ...foot].join('\n');
}

/** First, because a changed endpoint decides where prompts and keys go. */
function providerSection(changes: readonly ProviderChange[]): string[] {
  if (!changes.length) return [];
  const cell = (v: string | undefined) => (v === undefined ? '—' : code(v));
  const what = (c: ProviderChange) =>
    c.field === 'provider' ? (c.before === undefined ? 'added' : 'removed') : code(c.field);
  return [
    '#### ⚠ Provider changes',
    '',
    'This change edits where requests go (`providers` or `grader` in prompt-registry.yaml). Check each endpoint before running suites with secrets.',
    '',
    ...table(
      ['Provider', 'Change', 'Before', 'After'],
      changes.map((c) => [code(c.provider), what(c), cell(c.before), cell(c.after)]),
    ),
    '',
  ];
}

function headline(r: ReviewReport): string {
  const c = r.counts;
  const total = c.added + c.removed + c.renamed + c.changed;
  const parts = [`${code(r.base.commit.slice(0, 7))} → ${code(r.head.commit.slice(0, 7))}`];
  if (!total) parts.push('no prompt changed');
  else
    parts.push(
      `**${plural(total, 'prompt')}**: ${(['changed', 'added', 'removed', 'renamed'] as const)
        .filter((k) => c[k])
        .map((k) => `${c[k]} ${k}`)
        .join(', ')}`,
    );
  const v = r.validation;
  parts.push(
    v.errors
      ? `❌ ${plural(v.errors, 'error')} at HEAD`
      : v.warnings
        ? `⚠️ ${plural(v.warnings, 'warning')} at HEAD`
        : '✅ valid at HEAD',
  );
  if (r.cost.delta)
    parts.push(
      `est. cost of model changes ≈ ${formatUsd(r.cost.beforePer1kCalls)} → ${formatUsd(r.cost.afterPer1kCalls)} per 1,000 calls (${signedPercent(r.cost.delta)})`,
    );
  if (r.run) parts.push(`suites ${rate(r.run.base)} → ${rate(r.run.head)}`);
  return parts.join(' · ');
}

function promptCell(e: ReviewEntry): string {
  return e.previous ? `${code(e.id)} ← ${code(e.previous.path)}` : code(e.id);
}

/** A link whose destination cannot end early: parentheses, spaces and angle brackets are percent-encoded. */
function linked(text: string, href: string | undefined): string {
  if (href === undefined) return text;
  const safe = href.replace(/[()<>\s|]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `[${text}](${safe})`;
}

function statusCell(e: ReviewEntry): string {
  const v = e.validation;
  if (!v) return '—';
  if (v.errors) return `❌ ${plural(v.errors, 'error')}`;
  return v.warnings ? `⚠️ ${plural(v.warnings, 'warning')}` : '✅';
}

const icon = (s: string) => (s === 'error' ? '❌' : s === 'warning' ? '⚠️' : 'ℹ️');

function details(e: ReviewEntry): string[] {
  const d = e.diff;
  const where = e.previous ? `${code(e.previous.path)} → ${code(e.path)}` : code(e.path);
  const out = [`<details><summary><b>${html(e.id)}</b> · ${e.status}</summary>`, '', where, ''];
  if (d.model || e.cost) out.push(...modelLines(d.model, e.cost), '');
  const fields = [...d.fields, ...d.params].map((f) => `${code(f.field)} ${value(f.before)} → ${value(f.after)}`);
  if (fields.length) out.push(`**Fields** ${fields.join(' · ')}`, '');
  if (d.inputs.length) out.push(`**Inputs** ${d.inputs.map(inputText).join(' · ')}`, '');
  const output = outputText(d);
  if (output) out.push(`**Output** ${output}`, '');
  if (d.body) out.push(...bodyLines(d), '');
  for (const p of e.validation?.problems ?? [])
    out.push(`- ${icon(p.severity)} line ${p.line} ${code(p.code)} ${esc(p.message)}`);
  if (e.validation?.problems.length) out.push('');
  out.push('</details>');
  return out;
}

function modelLines(m: ModelChange | undefined, cost: CostImpact | undefined): string[] {
  const out: string[] = [];
  if (m) out.push(`**Model** ${m.before ? code(m.before.ref) : '_none_'} → ${m.after ? code(m.after.ref) : '_none_'}`);
  const rows: string[][] = [];
  const row = (
    label: string,
    before: number | undefined,
    after: number | undefined,
    d: NumberDelta | undefined,
    fmt: (v: number | undefined) => string,
  ) => {
    if (before !== undefined || after !== undefined)
      rows.push([label, fmt(before), fmt(after), d ? signedPercent(d) : '—']);
  };
  if (m) {
    row('input $ / 1M tokens', m.before?.inputPricePer1M, m.after?.inputPricePer1M, m.inputPrice, formatUsd);
    row('output $ / 1M tokens', m.before?.outputPricePer1M, m.after?.outputPricePer1M, m.outputPrice, formatUsd);
    row('context window', m.before?.contextWindow, m.after?.contextWindow, m.contextWindow, (v) =>
      v === undefined ? '—' : tokens(v),
    );
  }
  if (cost) row('est. $ per 1,000 calls', cost.per1kCalls.before, cost.per1kCalls.after, cost.delta, formatUsd);
  if (rows.length)
    out.push(...(out.length ? [''] : []), ...table(['', 'before', 'after', 'change'], rows, ['l', 'r', 'r', 'r']));
  for (const n of m?.notes ?? []) out.push('', `_${esc(n)}_`);
  return out;
}

function inputText(i: InputChange): string {
  if (i.kind === 'added') return `+ ${code(i.name)} (${facts(i.after!)})`;
  if (i.kind === 'removed') return `− ${code(i.name)}`;
  return `~ ${code(i.name)}: ${i.fields.map((f) => `${f.field} ${value(f.before)} → ${value(f.after)}`).join(', ')}`;
}

function facts(f: InputFacts): string {
  const parts: string[] = [f.type];
  if (f.required) parts.push('required');
  if (f.default !== undefined) parts.push(`default ${value(f.default)}`);
  if (f.enum) parts.push(`one of ${value(f.enum)}`);
  return parts.join(', ');
}

function outputText(d: SemanticDiff): string | undefined {
  const parts: string[] = [];
  if (d.output?.format) parts.push(`format ${value(d.output.format.before)} → ${value(d.output.format.after)}`);
  const s = d.output?.schema;
  if (s) {
    const paths = s.paths.slice(0, 10).map((p) => `${code(p.path)} ${p.kind}`);
    if (s.paths.length > 10) paths.push(`${s.paths.length - 10} more`);
    parts.push(`schema: ${paths.join(', ')}`);
  }
  return parts.length ? parts.join(' · ') : undefined;
}

function bodyLines(d: SemanticDiff): string[] {
  const b = d.body!;
  const lines: string[] = [];
  for (const h of b.hunks)
    lines.push(`@@ -${h.beforeStart},${h.beforeLines} +${h.afterStart},${h.afterLines} @@`, ...h.lines);
  const shown = lines.slice(0, MAX_BODY_LINES);
  if (lines.length > shown.length) shown.push(`… ${lines.length - shown.length} more lines`);
  return [`**Body** +${b.added} −${b.removed} lines`, '', ...fenced('diff', shown)];
}

function rate(t: Totals): string {
  return t.cases ? `${formatRate(t.passRate)} (${t.passed}/${t.cases})` : '—';
}

function runSection(run: RunComparison): string[] {
  const mark = (s: RunComparison['suites'][number]) => {
    if (s.headProblems.length) return '❌ stopped';
    if (!s.head) return 'removed';
    if (!s.base) return s.head.passed === s.head.cases ? '🆕' : '🆕 ❌';
    return s.head.passRate < s.base.passRate
      ? '🔻'
      : s.head.passRate > s.base.passRate
        ? '🔺'
        : s.head.passed === s.head.cases
          ? '✅'
          : '❌';
  };
  const rows = run.suites.map((s) => [
    code(s.suite),
    s.base ? rate(s.base) : '—',
    s.head ? rate(s.head) : '—',
    mark(s),
  ]);
  rows.push(['**all affected suites**', rate(run.base), rate(run.head), run.headPassed ? '✅' : '❌']);
  const title = `#### Suites at BASE and HEAD${run.provider ? ` (provider ${code(run.provider)})` : ''}`;
  const out = [title, ''];
  if (!run.suites.length) return [...out, '_No suite tests a changed prompt._'];
  out.push(...table(['Suite', 'BASE', 'HEAD', ''], rows, ['l', 'r', 'r', 'l']));
  for (const s of run.suites) for (const p of s.headProblems) out.push('', `❌ ${code(s.suite)}: ${esc(p)}`);
  if (run.cancelled) out.push('', '_Cancelled: cases not started count as not passed._');
  return out;
}
