import type { FieldChange, InputChange, Json, ModelChange, NumberDelta, SemanticDiff } from './diffTypes';
import { plural } from '../text/plural';

/**
 * One line for a CodeLens or a table cell, most consequential first:
 * "model gpt-4o → gpt-5 · input price −75 % · temperature 0.2 → 0.7 · +1 input (tone)".
 * "no changes" when the versions are equal.
 */
export function summarizeDiff(d: SemanticDiff): string {
  if (d.kind === 'added')
    return join([
      'new prompt',
      d.model?.after && `model ${d.model.after.ref}`,
      count(d.inputs.length, 'input'),
      d.body && count(d.body.added, 'line'),
    ]);
  if (d.kind === 'removed') return join(['removed', d.model?.before && `was on ${d.model.before.ref}`]);
  if (d.kind === 'unchanged') return 'no changes';
  return join([
    ...modelParts(d.model),
    ...d.fields.map(fieldPart),
    ...d.params.map((p) => `${p.field} ${show(p.before)} → ${show(p.after)}`),
    ...inputParts(d.inputs),
    d.output?.format && `output ${d.output.format.before ?? 'none'} → ${d.output.format.after ?? 'none'}`,
    d.output?.schema &&
      `output schema ${d.output.schema.before === undefined ? 'added' : d.output.schema.after === undefined ? 'removed' : 'changed'}`,
    d.body && `body +${d.body.added} −${d.body.removed}`,
  ]);
}

function join(parts: (string | undefined | false | 0)[]): string {
  return parts.filter(Boolean).join(' · ');
}

function count(n: number, noun: string): string | undefined {
  return n ? plural(n, noun) : undefined;
}

function modelParts(m: ModelChange | undefined): string[] {
  if (!m) return [];
  const head = `model ${m.before?.ref ?? 'none'} → ${m.after?.ref ?? 'none'}`;
  const unknown = [m.before, m.after].filter((s) => s && s.lookup !== 'found').map((s) => s!);
  if (unknown.some((s) => s.lookup === 'no-catalog')) return [`${head} (no catalog)`];
  const parts = [unknown.length ? `${head} (${unknown.map((s) => s.ref).join(', ')} not in catalog)` : head];
  if (m.inputPrice) parts.push(`input price ${signedPercent(m.inputPrice)}`);
  if (m.outputPrice) parts.push(`output price ${signedPercent(m.outputPrice)}`);
  if (m.contextWindow && m.contextWindow.delta !== 0)
    parts.push(`context ${tokens(m.contextWindow.before)} → ${tokens(m.contextWindow.after)}`);
  return parts;
}

function fieldPart(f: FieldChange): string {
  if (f.field === 'tags') {
    const b = (f.before as string[] | undefined) ?? [];
    const a = (f.after as string[] | undefined) ?? [];
    const moves = [
      ...a.filter((t) => !b.includes(t)).map((t) => `+${t}`),
      ...b.filter((t) => !a.includes(t)).map((t) => `−${t}`),
    ];
    return `tags ${moves.join(' ') || 'reordered'}`;
  }
  if (f.field === 'name' || f.field === 'description')
    return `${f.field} ${f.before === undefined ? 'added' : f.after === undefined ? 'removed' : 'changed'}`;
  return `${f.field} ${show(f.before)} → ${show(f.after)}`;
}

function inputParts(inputs: InputChange[]): string[] {
  const group = (kind: InputChange['kind'], sign: string) => {
    const names = inputs.filter((i) => i.kind === kind).map((i) => i.name);
    return names.length ? `${sign}${plural(names.length, 'input')} (${names.join(', ')})` : undefined;
  };
  return [group('added', '+'), group('removed', '−'), group('changed', '~')].filter((s): s is string => !!s);
}

/** A value in one short token: strings bare, absent as "unset", long values cut. */
export function show(v: Json | undefined): string {
  if (v === undefined) return 'unset';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 39)}…` : s;
}

/** "−75 %", "+12 %", "±0 %"; "new" when the old value was 0. */
export function signedPercent(d: NumberDelta): string {
  if (d.percent === undefined) return d.after === 0 ? '±0 %' : 'from 0';
  const p = Math.round(d.percent);
  return `${p > 0 ? '+' : p < 0 ? '−' : '±'}${Math.abs(p)} %`;
}

/** 128000 → "128k", 1048576 → "1M": context windows at a glance. */
export function tokens(n: number): string {
  if (n >= 1_000_000) return `${+(n / 1_000_000).toFixed(n % 1_000_000 ? 2 : 0)}M`;
  if (n >= 1000) return `${+(n / 1000).toFixed(n % 1000 ? 1 : 0)}k`;
  return String(n);
}
