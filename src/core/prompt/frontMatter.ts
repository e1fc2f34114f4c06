/**
 * Finds the YAML front matter block. Offsets are into the BOM-less text, the
 * same text VS Code holds in a TextDocument, so positions agree with the editor.
 */
export interface FrontMatterSplit {
  /** True when the first line is `---`. */
  present: boolean;
  /** True when a closing `---` (or `...`) line was found. */
  closed: boolean;
  /** The YAML between the delimiters. */
  yaml: string;
  /** Offset of the first YAML character. */
  yamlStart: number;
  /** Offset of the opening delimiter line's end (for pointing at `---`). */
  openEnd: number;
  /** Offset where the template body begins. */
  bodyStart: number;
}

const OPEN = /^---[ \t]*(?:\r\n|\n|\r|$)/;
const CLOSE = /^(?:---|\.\.\.)[ \t]*$/;

export function splitFrontMatter(text: string): FrontMatterSplit {
  const open = OPEN.exec(text);
  if (!open) return { present: false, closed: false, yaml: '', yamlStart: 0, openEnd: 0, bodyStart: 0 };
  const yamlStart = open[0].length;
  const openEnd = text.slice(0, yamlStart).replace(/[\r\n]+$/, '').length;
  let pos = yamlStart;
  while (pos <= text.length) {
    const nl = nextLineBreak(text, pos);
    const line = text.slice(pos, nl.index);
    if (CLOSE.test(line)) {
      return {
        present: true,
        closed: true,
        yaml: text.slice(yamlStart, pos),
        yamlStart,
        openEnd,
        bodyStart: nl.index + nl.length,
      };
    }
    if (nl.length === 0) break;
    pos = nl.index + nl.length;
  }
  return { present: true, closed: false, yaml: text.slice(yamlStart), yamlStart, openEnd, bodyStart: text.length };
}

function nextLineBreak(text: string, from: number): { index: number; length: number } {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) return { index: i, length: 1 };
    if (c === 13) return { index: i, length: text.charCodeAt(i + 1) === 10 ? 2 : 1 };
  }
  return { index: text.length, length: 0 };
}
