import type { SourceSpan } from './sourceMap';

/** Characters that make a YAML text unusual enough to leave to the full parser. */
// eslint-disable-next-line no-control-regex -- control characters are what this looks for
const UNUSUAL_TEXT = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u0085\u2028\u2029\ufeff]|\r(?!\n)/;
/** A top-level `key:` line whose key needs no quoting and cannot resolve to anything but a string. */
const KEY_LINE = /^([A-Za-z_][A-Za-z0-9_-]*):(?: +|$)/;
const NOT_A_STRING_KEY = /^(?:null|Null|NULL|true|True|TRUE|false|False|FALSE)$/;
/** First characters of a plain scalar that YAML reads as an indicator (anchor, tag, flow, quote, block…). */
/** A same-line value js-yaml and \`yaml\` may read differently (a property, or a mapping inside it): not ours to judge. */
const ODD_VALUE = /^[&!*]|:(?:[ \t]|$)/;
const INDICATOR = /^[-?:,[\]{}#&*!|>'"%@`]/;

/**
 * The span of a top-level key and its one-line scalar value, found by scanning lines: what
 * `parseYaml(text).spans.get(key)` gives, for a fraction of the cost (a file with one warning
 * otherwise builds a whole `yaml` Document just to underline `model`). Anything out of the
 * ordinary (a column-0 line that is not a plain `key:` line, a duplicate, a quoted or
 * multi-line value, a value js-yaml read differently) returns undefined, and the caller falls
 * back to the full parse. `value` is the key's value as js-yaml loaded it: the text found must
 * read as exactly that string, which rules out every construct the scan does not understand.
 */
export function topLevelSpan(text: string, key: string, value: unknown): SourceSpan | undefined {
  if (typeof value !== 'string' || NOT_A_STRING_KEY.test(key) || UNUSUAL_TEXT.test(text)) return undefined;
  let found: SourceSpan | undefined;
  let inFound = false;
  let pos = 0;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl;
    const line = text.slice(pos, text[end - 1] === '\r' && nl >= 0 ? end - 1 : end);
    const first = line[0];
    if (first === ' ') {
      // Belongs to the value of the key above; a continuation of the wanted one makes it multi-line.
      if (inFound && line.trim() !== '') return undefined;
    } else if (line.trim() === '' || first === '#') {
      // Blank lines and comments end nothing and start nothing.
    } else {
      inFound = false;
      const m = KEY_LINE.exec(line);
      if (!m || ODD_VALUE.test(line.slice(m[0].length))) return undefined;
      if (m[1] === key) {
        if (found) return undefined;
        const span = valueSpan(line, m[0].length, value);
        if (!span) return undefined;
        found = { key: [pos, pos + key.length], value: [pos + span[0], pos + span[1]] };
        inFound = true;
      }
    }
    if (nl < 0) break;
    pos = nl + 1;
  }
  return found;
}

/** Where a one-line scalar starting at `start` lies in `line`, when it reads as `value`. */
function valueSpan(line: string, start: number, value: string): [number, number] | undefined {
  const rest = line.slice(start);
  const q = rest[0];
  if (q === '"' || q === "'") {
    const close = rest.indexOf(q, 1);
    if (close < 0 || (q === '"' && rest.slice(1, close).includes('\\'))) return undefined;
    if (rest.slice(1, close) !== value || !/^[ \t]*(?:#.*)?$/.test(rest.slice(close + 1))) return undefined;
    if (rest.slice(close + 1).length && !/^[ \t]/.test(rest.slice(close + 1))) return undefined;
    return [start, start + close + 1];
  }
  if (rest === '' || INDICATOR.test(rest)) return undefined;
  const comment = rest.search(/[ \t]#/);
  const scalar = (comment < 0 ? rest : rest.slice(0, comment)).replace(/[ \t]+$/, '');
  if (scalar !== value || /:(?:[ \t]|$)/.test(scalar) || scalar.includes('\t')) return undefined;
  return [start, start + scalar.length];
}
