/** Files saved by some Windows editors start with U+FEFF; every position we report is into the text after it. */
export function stripBom(text: string): string {
  return hasBom(text) ? text.slice(1) : text;
}

export function hasBom(text: string): boolean {
  return text.charCodeAt(0) === 0xfeff;
}
