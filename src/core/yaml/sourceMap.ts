import { isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node, type ParsedNode } from 'yaml';
import { errorMessage } from '../text/errorMessage';

export type YamlPath = ReadonlyArray<string | number>;

/** Offsets into the YAML text: the key token and the value token of one entry. */
export interface SourceSpan {
  key?: [number, number];
  value: [number, number];
}

export interface ParsedYaml {
  doc: Document.Parsed;
  /** Plain JS value of the document (undefined when empty or unparseable). */
  value: unknown;
  errors: { message: string; start: number; end: number }[];
  /** Every key path (joined with "\u0000") to its spans. */
  spans: Map<string, SourceSpan>;
}

export function pathKey(path: YamlPath): string {
  return path.join('\u0000');
}

/**
 * Parses YAML and records a source span for every key and value, so callers can
 * underline the exact token a problem is about. Never throws.
 */
export function parseYaml(text: string): ParsedYaml {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, strict: true, keepSourceTokens: false });
  const errors = doc.errors.map((e) =>
    withinContent(text, { message: cleanMessage(e.message), start: e.pos[0], end: Math.max(e.pos[1], e.pos[0]) }),
  );
  const spans = new Map<string, SourceSpan>();
  if (doc.contents) {
    spans.set(pathKey([]), { value: nodeSpan(doc.contents) });
    walk(doc.contents, [], spans);
  }
  let value: unknown;
  if (errors.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      // Alias bombs and similar: report at the document start rather than throw.
      errors.push({ message: errorMessage(e), start: 0, end: 0 });
    }
  }
  return { doc, value, errors, spans };
}

/**
 * `yaml` reports an unclosed construct (`name: [unclosed`) where the input ends,
 * which is the line after the last one, or in front matter the closing `---`.
 * The problem is on the last line with content, so it is underlined there.
 */
function withinContent(text: string, e: ParsedYaml['errors'][number]): ParsedYaml['errors'][number] {
  const end = text.trimEnd().length;
  if (e.start < end) return e;
  const lineStart = Math.max(text.lastIndexOf('\n', end - 1), text.lastIndexOf('\r', end - 1)) + 1;
  const first = lineStart + (text.slice(lineStart, end).length - text.slice(lineStart, end).trimStart().length);
  return { ...e, start: first, end };
}

function walk(node: Node | ParsedNode, path: (string | number)[], spans: Map<string, SourceSpan>): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const k = isScalar(pair.key) ? pair.key.value : undefined;
      if (typeof k !== 'string' && typeof k !== 'number') continue;
      const keySpan = pair.key ? nodeSpan(pair.key as Node) : undefined;
      const valueNode = pair.value as Node | null;
      const valueSpan =
        valueNode && valueNode.range
          ? nodeSpan(valueNode)
          : keySpan
            ? ([keySpan[1], keySpan[1]] as [number, number])
            : [0, 0];
      const childPath = [...path, String(k)];
      spans.set(pathKey(childPath), { key: keySpan, value: valueSpan as [number, number] });
      if (valueNode) walk(valueNode, childPath, spans);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      if (!item || !(item as Node).range) return;
      const childPath = [...path, i];
      spans.set(pathKey(childPath), { value: nodeSpan(item as Node) });
      walk(item as Node, childPath, spans);
    });
  }
}

function nodeSpan(node: Node): [number, number] {
  const r = node.range;
  if (!r) return [0, 0];
  // range[1] is the end of the value proper, excluding trailing comments.
  return [r[0], Math.max(r[0], r[1])];
}

/** The closest recorded ancestor of `path`, so a missing nested field still points somewhere useful. */
export function findSpan(spans: Map<string, SourceSpan>, path: YamlPath): SourceSpan | undefined {
  for (let n = path.length; n >= 0; n--) {
    const s = spans.get(pathKey(path.slice(0, n)));
    if (s) return s;
  }
  return undefined;
}

function cleanMessage(message: string): string {
  // The yaml package appends "at line X, column Y" context; we report the position ourselves.
  return message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').trim();
}
