import { isDeepStrictEqual } from 'node:util';
import { structuredPatch } from 'diff';
import { resolveModel } from '../catalog/lookup';
import type { Catalog } from '../catalog/types';
import { splitFrontMatter } from '../prompt/frontMatter';
import { PROMPT_FIELDS, type InputSpec } from '../prompt/schema';
import type { ParsedPrompt } from '../prompt/types';
import type {
  BodyChange,
  Change,
  FieldChange,
  InputChange,
  InputFacts,
  Json,
  ModelChange,
  ModelFacts,
  NumberDelta,
  OutputChange,
  SchemaPathChange,
  SemanticDiff,
} from './diffTypes';

export type * from './diffTypes';
export { summarizeDiff } from './summary';

const PARAMS = ['temperature', 'max_tokens', 'top_p'] as const;
const KNOWN_KEYS = new Set(PROMPT_FIELDS);
/** Lines of context around each body hunk: enough to place a change, short enough for a PR comment. */
const CONTEXT_LINES = 1;
const MAX_SCHEMA_PATHS = 50;

/**
 * Compares two versions of one prompt field by field. An undefined side means
 * the prompt was added (before) or removed (after). Prices and context windows
 * come from `catalog`; without one, or for a model it does not know, the
 * change says why in `model.notes` instead of comparing.
 */
export function semanticDiff(
  before: ParsedPrompt | undefined,
  after: ParsedPrompt | undefined,
  catalog?: Catalog,
): SemanticDiff {
  const params: FieldChange[] = [];
  for (const k of PARAMS) pushChange(params, k, before?.params[k], after?.params[k]);
  const diff: SemanticDiff = {
    kind: !before ? (after ? 'added' : 'unchanged') : !after ? 'removed' : 'changed',
    id: sides(before?.id, after?.id),
    model: modelChange(before?.model, after?.model, catalog),
    fields: fieldChanges(before, after),
    params,
    inputs: inputChanges(before?.inputs ?? {}, after?.inputs ?? {}),
    output: outputChange(before, after),
    body: bodyChange(before, after),
  };
  if (!diff.model) delete diff.model;
  if (!diff.output) delete diff.output;
  if (!diff.body) delete diff.body;
  if (diff.kind === 'changed' && !hasChanges(diff)) diff.kind = 'unchanged';
  return diff;
}

export function hasChanges(d: SemanticDiff): boolean {
  return !!(d.model || d.output || d.body || d.fields.length || d.params.length || d.inputs.length);
}

function pushChange(out: FieldChange[], field: string, before: unknown, after: unknown): void {
  if (isDeepStrictEqual(before, after)) return;
  const c: FieldChange = { field };
  if (before !== undefined) c.before = plain(before);
  if (after !== undefined) c.after = plain(after);
  out.push(c);
}

/** YAML may yield values JSON cannot round-trip (dates); the diff stays plain JSON. */
function plain(v: unknown): Json {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  // -0 and NaN would not survive JSON unchanged.
  if (typeof v === 'number') return Number.isFinite(v) ? v || 0 : String(v);
  return v === undefined ? null : (JSON.parse(JSON.stringify(v)) as Json);
}

function fieldChanges(before: ParsedPrompt | undefined, after: ParsedPrompt | undefined): FieldChange[] {
  const out: FieldChange[] = [];
  // An added or removed prompt's id is in SemanticDiff.id; as a field it would be noise.
  if (before && after) pushChange(out, 'id', before.id, after.id);
  pushChange(out, 'name', before?.name, after?.name);
  pushChange(out, 'description', before?.description, after?.description);
  pushChange(out, 'tags', before?.tags.length ? before.tags : undefined, after?.tags.length ? after.tags : undefined);
  pushChange(out, 'fallback_model', before?.fallbackModel, after?.fallbackModel);
  const extra = new Set(
    [...Object.keys(before?.raw ?? {}), ...Object.keys(after?.raw ?? {})].filter((k) => !KNOWN_KEYS.has(k)),
  );
  const own = (p: ParsedPrompt | undefined, k: string) => (p && Object.hasOwn(p.raw, k) ? p.raw[k] : undefined);
  for (const k of [...extra].sort()) pushChange(out, k, own(before, k), own(after, k));
  return out;
}

function modelChange(
  before: string | undefined,
  after: string | undefined,
  catalog: Catalog | undefined,
): ModelChange | undefined {
  if (before === after) return undefined;
  const change: ModelChange = { notes: [] };
  if (before) change.before = modelFacts(before, catalog);
  if (after) change.after = modelFacts(after, catalog);
  if (!catalog) {
    change.notes.push('No model catalog, so prices and context windows are not compared.');
    return change;
  }
  for (const side of [change.before, change.after]) {
    if (side?.lookup === 'unknown') change.notes.push(`"${side.ref}" is not in the model catalog.`);
    else if (side?.lookup === 'ambiguous')
      change.notes.push(`"${side.ref}" is offered by several providers; write provider/model.`);
    else if (side?.lookup === 'found' && (side.inputPricePer1M === undefined || side.outputPricePer1M === undefined))
      change.notes.push(`The catalog has no price for "${side.ref}".`);
  }
  if (change.before && change.after) {
    const put = (key: 'inputPrice' | 'outputPrice' | 'contextWindow', d: NumberDelta | undefined) =>
      d && (change[key] = d);
    put('inputPrice', delta(change.before.inputPricePer1M, change.after.inputPricePer1M));
    put('outputPrice', delta(change.before.outputPricePer1M, change.after.outputPricePer1M));
    put('contextWindow', delta(change.before.contextWindow, change.after.contextWindow));
  }
  return change;
}

function modelFacts(ref: string, catalog: Catalog | undefined): ModelFacts {
  if (!catalog) return { ref, lookup: 'no-catalog' };
  const r = resolveModel(ref, catalog);
  if (r.kind !== 'found') return { ref, lookup: r.kind };
  const m = r.model;
  const facts: ModelFacts = { ref, lookup: 'found', provider: m.provider, active: m.active };
  if (m.displayName !== undefined) facts.displayName = m.displayName;
  if (m.contextWindow !== undefined) facts.contextWindow = m.contextWindow;
  if (m.inputPricePer1M !== undefined) facts.inputPricePer1M = m.inputPricePer1M;
  if (m.outputPricePer1M !== undefined) facts.outputPricePer1M = m.outputPricePer1M;
  return facts;
}

export function delta(before: number | undefined, after: number | undefined): NumberDelta | undefined {
  if (before === undefined || after === undefined) return undefined;
  const d: NumberDelta = { before, after, delta: after - before };
  if (before !== 0) d.percent = ((after - before) / before) * 100;
  return d;
}

function inputFacts(spec: InputSpec): InputFacts {
  const f: InputFacts = { type: spec.type ?? 'string', required: spec.required ?? false };
  if (spec.default !== undefined) f.default = plain(spec.default);
  if (spec.enum !== undefined) f.enum = spec.enum;
  if (spec.description !== undefined) f.description = spec.description;
  return f;
}

function inputChanges(before: Record<string, InputSpec>, after: Record<string, InputSpec>): InputChange[] {
  const out: InputChange[] = [];
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  for (const name of names) {
    // Own keys only: an input may be called "constructor".
    const b = Object.hasOwn(before, name) ? inputFacts(before[name]!) : undefined;
    const a = Object.hasOwn(after, name) ? inputFacts(after[name]!) : undefined;
    if (!b && a) out.push({ name, kind: 'added', after: a, fields: [] });
    else if (b && !a) out.push({ name, kind: 'removed', before: b, fields: [] });
    else if (b && a && !isDeepStrictEqual(b, a)) {
      const fields: FieldChange[] = [];
      for (const k of ['type', 'required', 'default', 'enum', 'description'] as const)
        pushChange(fields, k, b[k], a[k]);
      out.push({ name, kind: 'changed', before: b, after: a, fields });
    }
  }
  return out;
}

function outputChange(before: ParsedPrompt | undefined, after: ParsedPrompt | undefined): OutputChange | undefined {
  const out: OutputChange = {};
  const format = (p: ParsedPrompt | undefined) => (p ? (p.output?.format ?? 'text') : undefined);
  const [fb, fa] = [format(before), format(after)];
  // Against a missing side, only a non-default format is news.
  if (before && after ? fb !== fa : (fb ?? fa) !== 'text') out.format = sides(fb, fa);
  const b = before?.output?.schema;
  const a = after?.output?.schema;
  if (!isDeepStrictEqual(b, a)) {
    const paths: SchemaPathChange[] = [];
    schemaPaths(b, a, '', paths);
    out.schema = { ...sides(b === undefined ? undefined : plain(b), a === undefined ? undefined : plain(a)), paths };
  }
  return out.format || out.schema ? out : undefined;
}

function sides<T>(before: T | undefined, after: T | undefined): Change<T> {
  const c: Change<T> = {};
  if (before !== undefined) c.before = before;
  if (after !== undefined) c.after = after;
  return c;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Where two JSON Schemas differ, as dotted paths; arrays (`required`, `enum`) count as one value. */
function schemaPaths(a: unknown, b: unknown, at: string, out: SchemaPathChange[]): void {
  if (out.length >= MAX_SCHEMA_PATHS || isDeepStrictEqual(a, b)) return;
  if (isObject(a) && isObject(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)]))
      schemaPaths(a[k], b[k], at ? `${at}.${k}` : k, out);
    return;
  }
  out.push({ path: at || '(root)', kind: a === undefined ? 'added' : b === undefined ? 'removed' : 'changed' });
}

/** The template below the front matter, with line endings normalised: CRLF vs LF is not a change. */
function body(p: ParsedPrompt | undefined): { text: string; firstLine: number } {
  if (!p) return { text: '', firstLine: 1 };
  const start = p.hasFrontMatter ? splitFrontMatter(p.text).bodyStart : 0;
  const head = p.text.slice(0, start);
  const firstLine = 1 + (head.match(/\r\n|\r|\n/g)?.length ?? 0);
  return { text: p.text.slice(start).replace(/\r\n?/g, '\n'), firstLine };
}

function bodyChange(before: ParsedPrompt | undefined, after: ParsedPrompt | undefined): BodyChange | undefined {
  const b = body(before);
  const a = body(after);
  if (b.text === a.text) return undefined;
  const patch = structuredPatch('before', 'after', b.text, a.text, undefined, undefined, { context: CONTEXT_LINES });
  const change: BodyChange = { added: 0, removed: 0, hunks: [] };
  for (const h of patch.hunks) {
    // "\ No newline at end of file" is patch syntax, not a line of the prompt.
    const lines = h.lines.filter((l) => !l.startsWith('\\'));
    for (const l of lines) {
      if (l.startsWith('+')) change.added++;
      else if (l.startsWith('-')) change.removed++;
    }
    change.hunks.push({
      beforeStart: h.oldLines ? h.oldStart + b.firstLine - 1 : b.firstLine,
      beforeLines: h.oldLines,
      afterStart: h.newLines ? h.newStart + a.firstLine - 1 : a.firstLine,
      afterLines: h.newLines,
      lines,
    });
  }
  return change.added || change.removed ? change : undefined;
}
