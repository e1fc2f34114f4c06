import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  Scalar,
  stringify,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
} from 'yaml';
import { isDeepStrictEqual } from 'node:util';
import { LineIndex } from '../text/lineIndex';
import { fastLoad } from './fastLoad';

export type YamlPath = (string | number)[];

export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

export type EditResult =
  | { ok: true; text: string; edits: TextEdit[]; previous?: unknown }
  /** `at`: offset of a YAML syntax error in the edited text, so callers can say where in their file. */
  | { ok: false; error: string; at?: number; reason?: string };

export function yamlErrorMessage(reason: string, line: number, column: number): string {
  return `the YAML has errors at line ${line}, column ${column} (${reason}); fix them first`;
}

/**
 * Sets the value at `path` by replacing only that value's source text (or
 * inserting one line when the key is missing), so comments, key order, quoting
 * of other values, blank lines and line endings stay byte-for-byte. `yaml`
 * supplies the positions and the rendering of the new value; the result is
 * parsed again and must hold exactly the new value, else nothing is changed.
 */
export function setYamlValue(text: string, path: YamlPath, value: unknown): EditResult {
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const reason = e.message.split('\n')[0]!;
    const pos = new LineIndex(text).positionAt(e.pos[0]);
    return { ok: false, error: yamlErrorMessage(reason, pos.line + 1, pos.character + 1), at: e.pos[0], reason };
  }
  const previous = toPlain(doc.getIn(path));
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  const edit = planEdit(doc, text, path, value, eol);
  if (!edit.ok) return edit;
  const out = applyEdits(text, [edit.edit]);
  // Check the result with a second, independent parser: the new value must be there and the YAML valid.
  const check = fastLoad(out);
  if (!check.ok || !isDeepStrictEqual(getIn(check.value, path), toPlain(value))) {
    return { ok: false, error: `could not write ${path.join('.')} without disturbing the rest of the file` };
  }
  return { ok: true, text: out, edits: [edit.edit], previous };
}

export function applyEdits(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start))
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

function planEdit(
  doc: Document.Parsed,
  text: string,
  path: YamlPath,
  value: unknown,
  eol: string,
): { ok: true; edit: TextEdit } | { ok: false; error: string } {
  if (path.length === 0) return { ok: false, error: 'cannot replace the whole document' };
  // Walk down as far as the document goes.
  let node: Node | null = doc.contents as Node | null;
  let depth = 0;
  let pair: Pair | undefined;
  for (; depth < path.length; depth++) {
    const seg = path[depth]!;
    if (isMap(node)) {
      const p = node.items.find((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === String(seg));
      if (!p) break;
      pair = p as Pair;
      node = (p.value as Node | null) ?? null;
    } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
      pair = undefined;
      node = node.items[seg] as Node;
    } else {
      break;
    }
  }
  if (depth === path.length) return replaceValue(text, pair, node, value, eol);
  // Missing from `depth` on: insert the remaining path as new block lines.
  const parent = depth === 0 ? (doc.contents as Node | null) : node;
  const rest = path.slice(depth);
  if (rest.some((s) => typeof s === 'number'))
    return { ok: false, error: `cannot create list items at ${path.join('.')}` };
  const nested = rest.reduceRight<unknown>((v, key) => ({ [key]: v }), value);
  if (parent === null || (isScalar(parent) && parent.value === null)) {
    if (depth === 0) return { ok: true, edit: insertAtEnd(text, renderBlock(nested, 0, eol), eol) };
    return replaceValue(text, pair, parent, nested, eol);
  }
  if (!isMap(parent))
    return { ok: false, error: `${path.slice(0, depth).join('.') || 'the document'} is not a mapping` };
  return { ok: true, edit: insertIntoMap(text, parent, nested as Record<string, unknown>, eol) };
}

function replaceValue(
  text: string,
  pair: Pair | undefined,
  node: Node | null,
  value: unknown,
  eol: string,
): { ok: true; edit: TextEdit } | { ok: false; error: string } {
  if (node && node.range) {
    const [start, end] = node.range;
    if (isScalar(node) && !(node.value === null && start === end)) {
      return { ok: true, edit: { start, end, newText: renderScalarLike(value, node) } };
    }
    if ((isSeq(node) || isMap(node)) && node.flow) {
      return { ok: true, edit: { start, end, newText: renderFlow(value) } };
    }
    if (isSeq(node) || isMap(node)) {
      // Block collection: rewrite its lines at the same indentation.
      const lineStart = text.lastIndexOf('\n', start - 1) + 1;
      const indent = start - lineStart;
      const blockEnd = trimTrailingBreak(text, end);
      const rendered = isPlainCollection(value)
        ? renderBlock(value, indent, eol).replace(/^\s+/, '')
        : renderFlow(value);
      return { ok: true, edit: { start, end: blockEnd, newText: rendered.replace(new RegExp(`${escape(eol)}$`), '') } };
    }
  }
  // `key:` with no value: put the value after the colon.
  if (pair && isScalar(pair.key) && pair.key.range) {
    const keyEnd = pair.key.range[1];
    const colon = text.indexOf(':', keyEnd);
    if (colon === -1) return { ok: false, error: 'cannot find the ":" after the key' };
    if (isPlainCollection(value) && !Array.isArray(value)) {
      const lineStart = text.lastIndexOf('\n', keyEnd) + 1;
      const indent = pair.key.range[0] - lineStart + 2;
      return {
        ok: true,
        edit: {
          start: colon + 1,
          end: colon + 1,
          newText: eol + renderBlock(value, indent, eol).replace(new RegExp(`${escape(eol)}$`), ''),
        },
      };
    }
    return { ok: true, edit: { start: colon + 1, end: colon + 1, newText: ` ${renderFlow(value)}` } };
  }
  return { ok: false, error: 'unsupported YAML layout' };
}

function insertIntoMap(text: string, map: YAMLMap, value: Record<string, unknown>, eol: string): TextEdit {
  const pairs = map.items.filter(isPair) as Pair[];
  if (map.flow) {
    const entries = Object.entries(value)
      .map(([k, v]) => `${renderKey(k)}: ${renderFlow(v)}`)
      .join(', ');
    const last = pairs.at(-1);
    const lastEnd = ((last?.value as Node | null)?.range ?? (last?.key as Node | undefined)?.range)?.[1];
    // Right after the last entry, so the map's own spacing before "}" stays as it was.
    if (lastEnd !== undefined) return { start: lastEnd, end: lastEnd, newText: `, ${entries}` };
    const open = text.indexOf('{', (map as Node).range![0]);
    return { start: open + 1, end: open + 1, newText: entries };
  }
  // Follow the siblings' style: a map whose values are flow collections gets a flow value too.
  const siblingsFlow =
    pairs.length > 0 &&
    pairs.every((p) => {
      const v = p.value as Node | null;
      return (isMap(v) || isSeq(v)) && v.flow;
    });
  const first = pairs[0]?.key as Node | undefined;
  const firstStart = first?.range?.[0] ?? (map as Node).range![0];
  const indent = firstStart - (text.lastIndexOf('\n', firstStart - 1) + 1);
  // After the last line that belongs to the map (its value may span lines).
  const mapEnd = trimTrailingBreak(text, (map as Node).range![2]);
  const lineEnd = text.indexOf('\n', mapEnd - 1) === -1 ? text.length : text.indexOf('\n', Math.max(mapEnd - 1, 0)) + 1;
  const at = Math.min(lineEnd, text.length);
  const needsBreak = at === text.length && !text.endsWith('\n') && text.length > 0;
  const rendered = siblingsFlow
    ? Object.entries(value)
        .map(([k, v]) => `${' '.repeat(indent)}${renderKey(k)}: ${renderFlow(v)}${eol}`)
        .join('')
    : renderBlock(value, indent, eol);
  return { start: at, end: at, newText: (needsBreak ? eol : '') + rendered };
}

function insertAtEnd(text: string, block: string, eol: string): TextEdit {
  const needsBreak = text.length > 0 && !text.endsWith('\n');
  return { start: text.length, end: text.length, newText: (needsBreak ? eol : '') + block };
}

function trimTrailingBreak(text: string, end: number): number {
  let e = end;
  while (e > 0 && (text[e - 1] === '\n' || text[e - 1] === '\r' || text[e - 1] === ' ')) e--;
  return e;
}

function renderScalarLike(value: unknown, old: Scalar): string {
  if (typeof value === 'string' && (old.type === Scalar.QUOTE_DOUBLE || old.type === Scalar.QUOTE_SINGLE)) {
    const s = new Scalar(value);
    s.type = old.type;
    return stringify(s).trimEnd();
  }
  return renderFlow(value);
}

function renderFlow(value: unknown): string {
  return stringify(value, { collectionStyle: 'flow', lineWidth: 0, flowCollectionPadding: false }).trimEnd();
}

function renderKey(k: string): string {
  return stringify(k).trimEnd();
}

/** Block YAML for `value` with every line indented by `indent` spaces. */
function renderBlock(value: unknown, indent: number, eol: string): string {
  const body = stringify(value, { indent: 2, lineWidth: 0, collectionStyle: 'block' });
  const pad = ' '.repeat(indent);
  return (
    body
      .split('\n')
      .filter((l, i, all) => !(i === all.length - 1 && l === ''))
      .map((l) => pad + l)
      .join(eol) + eol
  );
}

function isPlainCollection(v: unknown): boolean {
  return v !== null && typeof v === 'object';
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function getIn(v: unknown, path: YamlPath): unknown {
  let cur = v;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}

function toPlain(v: unknown): unknown {
  return v && typeof v === 'object' && 'toJSON' in (v as object) ? (v as { toJSON(): unknown }).toJSON() : v;
}
