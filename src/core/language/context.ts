import { splitFrontMatter } from '../prompt/frontMatter';
import { hasBom } from '../text/bom';

/**
 * Where the cursor is, for completion: the editor asks this on every trigger,
 * often on text that does not parse yet (`mod|` alone on a line is a YAML
 * error), so it reads lines and indentation instead of parsing. Offsets are
 * into the text as given; a leading BOM counts as one character, like
 * `setFrontMatterValue`'s offsets.
 */
export type CursorContext =
  | {
      /** Where a mapping key is written (or being typed). */
      kind: 'key';
      /** The keys of the mapping that holds it: `[]` at the top, `['inputs', 'x']` inside one input. */
      path: string[];
      /** The key text to replace: [start, end). */
      start: number;
      end: number;
      /** The part of the key before the cursor. */
      prefix: string;
      /** The line already has `key:` after the cursor (so a completion must not add another colon). */
      hasColon: boolean;
      /** The other keys of the same mapping, already written. */
      siblings: string[];
    }
  | {
      /** Where a scalar value is written: after `key:`, or as an item of a list (`- x`, `[a, x]`). */
      kind: 'value';
      /** The full key path of the value, e.g. `['model']`, `['models', 'enabled']`. */
      path: string[];
      /** The value text to replace (inside the quotes for a quoted value). */
      start: number;
      end: number;
      prefix: string;
      /** The cursor is right after the colon: a completion must start with a space. */
      needsSpace: boolean;
      /** The value is quoted with this character. */
      quote?: '"' | "'";
      /** An item of a list rather than the value of the key itself. */
      inList: boolean;
    }
  | {
      /** Inside a `{{` tag of the template, where a variable name goes. */
      kind: 'variable';
      start: number;
      end: number;
      prefix: string;
      /** The tag's sigil: `#`, `^`, `/`, `&`, `{` (triple mustache) or ''. */
      sigil: string;
      /** What to add after the name to close the tag ('' when the line already closes it). */
      close: string;
    }
  | { kind: 'none' };

const NONE: CursorContext = { kind: 'none' };

/** The cursor context in a prompt file: front matter keys and values, or a template variable. */
export function promptCursorContext(input: string, offset: number): CursorContext {
  const bom = hasBom(input) ? 1 : 0;
  const text = input.slice(bom);
  const at = offset - bom;
  if (at < 0 || at > text.length) return NONE;
  const fm = splitFrontMatter(text);
  let ctx: CursorContext = NONE;
  if (fm.present) {
    const yamlEnd = fm.yamlStart + fm.yaml.length;
    if (at >= fm.yamlStart && (at < yamlEnd || !fm.closed))
      ctx = yamlContext(text, fm.yamlStart, fm.closed ? yamlEnd : text.length, at);
    else if (fm.closed && at >= fm.bodyStart) ctx = variableContext(text, at);
  } else {
    ctx = variableContext(text, at);
  }
  return shift(ctx, bom);
}

/** The cursor context in a whole YAML file (prompt-registry.yaml). */
export function yamlCursorContext(input: string, offset: number): CursorContext {
  const bom = hasBom(input) ? 1 : 0;
  const text = input.slice(bom);
  const at = offset - bom;
  if (at < 0 || at > text.length) return NONE;
  return shift(yamlContext(text, 0, text.length, at), bom);
}

function shift(ctx: CursorContext, by: number): CursorContext {
  return ctx.kind === 'none' || by === 0 ? ctx : { ...ctx, start: ctx.start + by, end: ctx.end + by };
}

interface Line {
  start: number;
  /** Before the line break. */
  end: number;
}

function lineAround(text: string, offset: number, regionStart: number, regionEnd: number): Line {
  let start = offset;
  while (start > regionStart && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  let end = offset;
  while (end < regionEnd && text[end] !== '\n' && text[end] !== '\r') end++;
  return { start, end };
}

function previousLine(text: string, line: Line, regionStart: number): Line | undefined {
  if (line.start <= regionStart) return undefined;
  let end = line.start - 1;
  if (text[end] === '\n' && text[end - 1] === '\r' && end - 1 >= regionStart) end--;
  let start = end;
  while (start > regionStart && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  return { start, end };
}

function nextLine(text: string, line: Line, regionEnd: number): Line | undefined {
  let start = line.end;
  if (start >= regionEnd) return undefined;
  if (text[start] === '\r' && text[start + 1] === '\n') start += 2;
  else start += 1;
  if (start >= regionEnd) return undefined;
  let end = start;
  while (end < regionEnd && text[end] !== '\n' && text[end] !== '\r') end++;
  return { start, end };
}

/** `key:` (optionally after `- `), the key plain or quoted, and what follows the colon. */
const KEY_LINE = /^(- +)?([A-Za-z0-9_][^\s:#'"]*|"[^"]*"|'[^']*')( *):(?: (.*)|$)/;
const KEY_CHARS = /^[A-Za-z0-9_][\w.-]*$/;

function unquote(key: string): string {
  return (key.startsWith('"') && key.endsWith('"')) || (key.startsWith("'") && key.endsWith("'"))
    ? key.slice(1, -1)
    : key;
}

function indentOf(s: string): number {
  let i = 0;
  while (s[i] === ' ') i++;
  return i;
}

function isBlankOrComment(s: string): boolean {
  const t = s.trim();
  return t === '' || t.startsWith('#');
}

/**
 * The keys of the mappings that hold a line, from the lines above it with less
 * indentation. Undefined when the line is not plainly inside block mappings:
 * inside a block scalar (`description: |`), a flow collection spanning lines,
 * or a mapping that is a list item.
 */
function parentPath(
  text: string,
  line: Line,
  indent: number,
  isListItem: boolean,
  regionStart: number,
): string[] | undefined {
  const path: string[] = [];
  let cur = indent;
  let item = isListItem;
  for (let l = previousLine(text, line, regionStart); l && (cur > 0 || item); l = previousLine(text, l, regionStart)) {
    const s = text.slice(l.start, l.end);
    if (isBlankOrComment(s)) continue;
    const i = indentOf(s);
    const content = s.slice(i);
    const lineIsItem = content === '-' || content.startsWith('- ');
    if (!(i < cur || (item && i === cur && !lineIsItem))) continue;
    const m = KEY_LINE.exec(content);
    if (!m || m[1]) return undefined;
    const rest = (m[4] ?? '').trim();
    if (rest !== '' && !rest.startsWith('#')) return undefined;
    path.unshift(unquote(m[2]!));
    cur = i;
    item = false;
  }
  return path;
}

/** The keys already written in the mapping block the line belongs to (same indentation, same parent). */
function siblingKeys(text: string, line: Line, indent: number, regionStart: number, regionEnd: number): string[] {
  const out: string[] = [];
  const take = (l: Line): boolean => {
    const s = text.slice(l.start, l.end);
    if (isBlankOrComment(s)) return true;
    const i = indentOf(s);
    if (i < indent) return false;
    if (i === indent) {
      const m = KEY_LINE.exec(s.slice(i));
      if (m && !m[1]) out.push(unquote(m[2]!));
    }
    return true;
  };
  for (let l = previousLine(text, line, regionStart); l && take(l); l = previousLine(text, l, regionStart));
  for (let l = nextLine(text, line, regionEnd); l && take(l); l = nextLine(text, l, regionEnd));
  return out;
}

function yamlContext(text: string, regionStart: number, regionEnd: number, offset: number): CursorContext {
  const line = lineAround(text, offset, regionStart, regionEnd);
  const before = text.slice(line.start, offset);
  const after = text.slice(offset, line.end);
  if (before.includes('\t') && /^\s*\t/.test(before)) return NONE;
  const indent = indentOf(before);
  const dash = /^- */.exec(before.slice(indent))?.[0] ?? '';
  const isItem = dash !== '' && (dash.length > 1 || before.length === indent + 1);
  const rest = before.slice(indent + dash.length);
  if (/(^|\s)#/.test(rest)) return NONE;

  // A key being typed (or an empty line): `mod|`, `  |`.
  if (!isItem && (rest === '' || KEY_CHARS.test(rest))) {
    const path = parentPath(text, line, indent, false, regionStart);
    if (!path) return NONE;
    const tail = /^[\w.-]*/.exec(after)![0];
    return {
      kind: 'key',
      path,
      start: offset - rest.length,
      end: offset + tail.length,
      prefix: rest,
      hasColon: /^\s*:/.test(after.slice(tail.length)),
      siblings: siblingKeys(text, line, indent, regionStart, regionEnd),
    };
  }

  // A list item: `- gp|`.
  if (isItem) {
    if (KEY_LINE.test(rest)) return NONE; // a mapping inside a list
    const path = parentPath(text, line, indent, true, regionStart);
    if (!path || path.length === 0) return NONE;
    return scalarValue(path, rest, offset, after, dash === '-', true);
  }

  // A value after `key:`.
  const m = /^([A-Za-z0-9_][^\s:#'"]*|"[^"]*"|'[^']*')( *):( *)(.*)$/.exec(rest);
  if (!m) return NONE;
  const parent = parentPath(text, line, indent, false, regionStart);
  if (!parent) return NONE;
  const path = [...parent, unquote(m[1]!)];
  const spaces = m[3]!;
  const value = m[4]!;
  if (value.startsWith('[')) {
    if (value.includes(']')) return NONE;
    const cut = Math.max(value.lastIndexOf('['), value.lastIndexOf(','));
    const item = value.slice(cut + 1).replace(/^ +/, '');
    if (item.startsWith('{') || item.startsWith('[')) return NONE;
    return scalarValue(path, item, offset, after, false, true, /^[^,\]#]*/);
  }
  if (
    value.startsWith('{') ||
    value.startsWith('|') ||
    value.startsWith('>') ||
    value.startsWith('&') ||
    value.startsWith('*') ||
    value.startsWith('!')
  )
    return NONE;
  return scalarValue(path, value, offset, after, spaces === '' && value === '', false);
}

/** A scalar being typed: `prefix` is its text before the cursor, plain or opened with a quote. */
function scalarValue(
  path: string[],
  prefix: string,
  offset: number,
  after: string,
  needsSpace: boolean,
  inList: boolean,
  until = /^[^#]*/,
): CursorContext {
  const q = prefix[0];
  if (q === '"' || q === "'") {
    if (prefix.indexOf(q, 1) !== -1) return NONE; // after the closing quote
    const close = after.indexOf(q);
    return {
      kind: 'value',
      path,
      start: offset - prefix.length + 1,
      end: offset + (close === -1 ? after.length : close),
      prefix: prefix.slice(1),
      needsSpace: false,
      quote: q,
      inList,
    };
  }
  let tail = until.exec(after)![0];
  // A plain value ends before ` #` (a comment) and trailing spaces; in a list also before `,` or `]`.
  const comment = tail.search(/\s+#/);
  if (comment !== -1) tail = tail.slice(0, comment);
  tail = tail.replace(/\s+$/, '');
  if (inList) tail = tail.replace(/[\s,\]].*$/, '');
  return { kind: 'value', path, start: offset - prefix.length, end: offset + tail.length, prefix, needsSpace, inList };
}

const TAG_INNER = /^(\{|&|[#^/])?\s*([A-Za-z_]\w*)?$/;

function variableContext(text: string, offset: number): CursorContext {
  const line = lineAround(text, offset, 0, text.length);
  const before = text.slice(line.start, offset);
  let open = before.lastIndexOf('{{');
  if (open === -1 || before.indexOf('}}', open) !== -1) return NONE;
  if (open > 0 && before[open - 1] === '{') open--; // {{{name}}}
  const m = TAG_INNER.exec(before.slice(open + 2));
  if (!m) return NONE;
  const prefix = m[2] ?? '';
  const sigil = m[1] ?? '';
  const after = text.slice(offset, line.end);
  const tail = /^\w*/.exec(after)![0];
  const closing = sigil === '{' ? '}}}' : '}}';
  const closed = new RegExp(`^\\s*${closing.replace(/\}/g, '\\}')}`).test(after.slice(tail.length));
  return {
    kind: 'variable',
    start: offset - prefix.length,
    end: offset + tail.length,
    prefix,
    sigil,
    close: closed ? '' : closing,
  };
}
