import { setFrontMatterValue } from '../prompt/editFrontMatter';
import type { TextEdit } from '../yaml/edit';

/** The text after the edits, and the edits (offsets into the text given), or why nothing was changed. */
export type TextEditResult = { ok: true; text: string; edits: TextEdit[] } | { ok: false; error: string };

/**
 * The one edit that turns `before` into `after`: the differing middle between
 * their common prefix and suffix. Several front matter edits made one after
 * another become a single replacement that leaves every other byte alone.
 */
export function diffEdit(before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end))
    end++;
  // Keep a CRLF pair of `before` whole: no edit starts or ends between its \r and \n.
  if (start > 0 && before[start - 1] === '\r' && before[start] === '\n') start--;
  const b = before.length - end;
  if (end > 0 && b > start && before[b] === '\n' && before[b - 1] === '\r') end--;
  return { start, end: before.length - end, newText: after.slice(start, after.length - end) };
}

/**
 * Declares template inputs as `inputs.<name>: {type: string}`, one after the
 * other through the front matter editor, as one edit. The caller passes names
 * that are not declared yet (an existing entry would be replaced).
 */
export function declareInputs(text: string, names: readonly string[]): TextEditResult {
  let out = text;
  for (const name of new Set(names)) {
    const r = setFrontMatterValue(out, ['inputs', name], { type: 'string' });
    if (!r.ok) return r;
    out = r.text;
  }
  const edit = diffEdit(text, out);
  return { ok: true, text: out, edits: edit ? [edit] : [] };
}
