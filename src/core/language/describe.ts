import { formatContextWindow, formatPrice } from '../catalog/format';
import { modelRows, type ModelRow } from '../catalog/listing';
import { daysUntilRetirement, resolveModel, RETIRING_WITHIN_DAYS } from '../catalog/lookup';
import type { Catalog, CatalogModel } from '../catalog/types';
import type { ResolvedConfig } from '../config/load';
import type { InputSpec } from '../prompt/schema';
import type { FieldDoc } from './fields';
import { plural } from '../text/plural';

/**
 * Markdown for the editor's hovers and completion documentation. Pure text, so
 * the CLI or a test can print it too; the extension wraps it in a MarkdownString
 * (untrusted, no HTML).
 */

/** Escapes text for Markdown (ids like `gpt_4` or `a*b` must not turn into emphasis). */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`);
}

function code(s: string): string {
  const ticks = s.includes('`') ? '``' : '`';
  return `${ticks}${ticks.length > 1 ? ' ' : ''}${s}${ticks.length > 1 ? ' ' : ''}${ticks}`;
}

function day(iso: string): string {
  return iso.slice(0, 10);
}

/** "Active", "No longer available …", "Retires on …", with the workspace policy marks. */
export function modelStatus(row: ModelRow, now: Date): string {
  const m = row.model;
  const parts: string[] = [];
  const days = daysUntilRetirement(m, now);
  if (!m.active) parts.push(`⚠️ No longer available: missing from ${m.provider}'s model list since ${day(m.lastSeen)}`);
  else if (days !== undefined && days < 0)
    parts.push(`⚠️ No longer available: shut down on ${m.deprecationDate} (${plural(-days, 'day')} ago)`);
  else parts.push('Active');
  if (m.active && days !== undefined && days >= 0 && days <= RETIRING_WITHIN_DAYS) {
    parts.push(`⚠️ retires on ${m.deprecationDate} (${days === 0 ? 'today' : `in ${plural(days, 'day')}`})`);
  }
  if (!row.enabled) parts.push('not enabled in this workspace (models.enabled)');
  if (m.recommended) parts.push('recommended');
  if (row.isDefault) parts.push('⭐ workspace default');
  if (row.isFallback) parts.push('workspace fallback');
  return parts.join(' · ');
}

/** The row of a catalog model, with the workspace policy applied. */
export function rowOf(model: CatalogModel, catalog: Catalog, config: ResolvedConfig): ModelRow {
  return modelRows(catalog, config).find((r) => r.model === model)!;
}

/** Provider, prices, context window, status, first and last seen, deprecation date. */
export function modelMarkdown(row: ModelRow, now: Date): string {
  const m = row.model;
  const title = row.label !== row.ref ? `**${escapeMarkdown(row.label)}** ${code(row.ref)}` : `**${code(row.ref)}**`;
  const days = daysUntilRetirement(m, now);
  const deprecation = m.deprecationDate
    ? `${m.deprecationDate}${days === undefined ? '' : days < 0 ? ` (${plural(-days, 'day')} ago)` : days === 0 ? ' (today)' : ` (in ${plural(days, 'day')})`}`
    : 'none announced';
  const rows: [string, string][] = [
    ['Provider', escapeMarkdown(m.provider)],
    ['Price per 1M tokens (in / out)', formatPrice(m.inputPricePer1M, m.outputPricePer1M)],
    ['Context window', m.contextWindow === undefined ? '—' : `${formatContextWindow(m.contextWindow)} tokens`],
    ['Status', modelStatus(row, now)],
    ['First seen', day(m.firstSeen)],
    ['Last seen', day(m.lastSeen)],
    ['Deprecation date', deprecation],
  ];
  return [
    title,
    '',
    '| | |',
    '|---|---|',
    ...rows.map(([k, v]) => `| ${k} | ${v.replace(/(?<!\\)\|/g, '\\|')} |`),
  ].join('\n');
}

/** What the hover on a `model:` value says, whatever the value is. */
export function modelReferenceMarkdown(
  ref: string,
  catalog: Catalog | undefined,
  config: ResolvedConfig,
  now: Date,
): string {
  if (!catalog)
    return `${code(ref)}: there is no model catalog yet, so the model cannot be checked. Run **Prompt Registry: Refresh Models**.`;
  const r = resolveModel(ref, catalog);
  if (r.kind === 'found') return modelMarkdown(rowOf(r.model, catalog, config), now);
  if (r.kind === 'ambiguous') {
    return [
      `${code(ref)} is offered by several providers; write one of:`,
      '',
      ...r.candidates.map((m) => `- ${code(`${m.provider}/${m.id}`)}${m.active ? '' : ' (no longer available)'}`),
    ].join('\n');
  }
  const hint = r.suggestions.length ? ` Did you mean ${r.suggestions.map(code).join(', ')}?` : '';
  return `**Unknown model** ${code(ref)}: it is not in the model catalog.${hint}`;
}

/** One line for a completion item's detail: prices, context, marks. */
export function modelDetail(row: ModelRow): string {
  const m = row.model;
  const parts = [
    `${formatPrice(m.inputPricePer1M, m.outputPricePer1M)} per 1M in/out`,
    `${formatContextWindow(m.contextWindow)} context`,
  ];
  if (row.isDefault) parts.push('default');
  if (m.recommended) parts.push('recommended');
  if (!m.active) parts.push('no longer available');
  else if (!row.enabled) parts.push('not enabled');
  if (m.deprecationDate) parts.push(`retires ${m.deprecationDate}`);
  return parts.join(' · ');
}

/** Hover and completion documentation of a template input. */
export function inputMarkdown(name: string, spec: InputSpec | undefined): string {
  if (!spec) return `${code(`{{${name}}}`)} is not declared in \`inputs\`.`;
  const head = [`**${code(name)}**`, spec.type ?? 'string', spec.required ? 'required' : 'optional'].join(' · ');
  const lines = [head];
  if (spec.description) lines.push('', escapeMarkdown(spec.description));
  const facts: string[] = [];
  if (spec.default !== undefined) facts.push(`Default: ${code(JSON.stringify(spec.default))}`);
  if (spec.enum) facts.push(`One of: ${spec.enum.map((e) => code(JSON.stringify(e))).join(', ')}`);
  if (facts.length) lines.push('', ...facts.map((f) => `- ${f}`));
  return lines.join('\n');
}

/** Short detail of an input for a completion item: `string · required`. */
export function inputDetail(spec: InputSpec): string {
  return [
    spec.type ?? 'string',
    spec.required ? (spec.default === undefined ? 'required' : 'has default') : 'optional',
  ].join(' · ');
}

/** Hover and completion documentation of a front matter field. */
export function fieldMarkdown(f: FieldDoc): string {
  return `**${code(f.name)}** · ${escapeMarkdown(f.type)}${f.required ? ' · required' : ''}\n\n${f.doc}`;
}
