import { LineIndex } from '../text/lineIndex';
import {
  applyEdits,
  setYamlValue,
  yamlErrorMessage,
  type EditResult,
  type TextEdit,
  type YamlPath,
} from '../yaml/edit';
import { splitFrontMatter } from './frontMatter';
import { hasBom } from '../text/bom';

/**
 * Sets one front matter value of a prompt file, changing only that value's
 * text: comments, key order, quoting, line endings and the body stay
 * byte-for-byte. A file without front matter gets one. Offsets in the returned
 * edits are into `text` as given (a leading BOM counts as one character).
 */
export function setFrontMatterValue(text: string, path: YamlPath, value: unknown): EditResult {
  const bom = hasBom(text) ? 1 : 0;
  const body = text.slice(bom);
  const fm = splitFrontMatter(body);
  const eol = /\r\n/.test(body) ? '\r\n' : '\n';
  if (!fm.present) {
    const r = setYamlValue('', path, value);
    if (!r.ok) return r;
    const edit: TextEdit = { start: bom, end: bom, newText: `---${eol}${r.text.replace(/\n/g, eol)}---${eol}` };
    return { ok: true, text: applyEdits(text, [edit]), edits: [edit], previous: undefined };
  }
  if (!fm.closed) return { ok: false, error: 'the front matter is never closed with "---"; fix that first' };
  const r = setYamlValue(fm.yaml, path, value);
  const shift = bom + fm.yamlStart;
  if (!r.ok) {
    if (r.at === undefined || r.reason === undefined) return r;
    // Say where in the file, not where in the front matter block.
    const pos = new LineIndex(text).positionAt(r.at + shift);
    return { ...r, error: yamlErrorMessage(r.reason, pos.line + 1, pos.character + 1), at: r.at + shift };
  }
  let edits = r.edits.map((e) => ({ start: e.start + shift, end: e.end + shift, newText: e.newText }));
  // A YAML block that did not end with a line break needs one before the closing ---.
  if (fm.yaml !== '' && !/[\r\n]$/.test(fm.yaml)) return { ok: false, error: 'unexpected front matter layout' };
  if (fm.yaml === '') edits = edits.map((e) => ({ ...e, newText: e.newText.replace(/\n/g, eol) }));
  return { ok: true, text: applyEdits(text, edits), edits, previous: r.previous };
}

export function setPromptModel(text: string, model: string): EditResult {
  return setFrontMatterValue(text, ['model'], model);
}
