import { LineIndex, type Range } from '../../../src/core/text/lineIndex';

/** The text a range covers, so tests can say "this underlines `gpt-4oo`". */
export function textAt(text: string, r: Range): string {
  const idx = new LineIndex(text);
  return text.slice(idx.lineStart(r.start.line) + r.start.character, idx.lineStart(r.end.line) + r.end.character);
}

export function isInside(text: string, r: Range): boolean {
  const idx = new LineIndex(text);
  const ok = (p: Range['start']) =>
    p.line >= 0 &&
    p.line < idx.lineCount &&
    p.character >= 0 &&
    idx.lineStart(p.line) + p.character <= idx.lineEnd(p.line);
  const before = r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character);
  return ok(r.start) && ok(r.end) && before;
}
