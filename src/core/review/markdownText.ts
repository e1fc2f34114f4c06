import type { Json } from './diffTypes';

/** Markdown-safe text: backslash-escapes what GitHub would read as markup or a table cell end. */
export function esc(s: string): string {
  return s.replace(/[\\`*_[\]<>|]/g, '\\$&').replace(/\r?\n/g, ' ');
}

/** Text inside an HTML block (`<details>`), where Markdown escapes are not read. */
export function html(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r?\n/g, ' ');
}

/** A code span that holds any text, table cells included (GFM splits cells on "|" even inside code). */
export function code(s: string): string {
  const text = s.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  const ticks = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(ticks + 1);
  return ticks ? `${fence} ${text} ${fence}` : `${fence}${text}${fence}`;
}

/** A fenced block whose fence is longer than any backtick run inside. */
export function fenced(lang: string, lines: string[]): string[] {
  const ticks = Math.max(2, ...lines.flatMap((l) => [...l.matchAll(/`+/g)].map((m) => m[0].length)));
  const fence = '`'.repeat(ticks + 1);
  return [`${fence}${lang}`, ...lines, fence];
}

/** A value as a code span, "unset" when absent. */
export function value(v: Json | undefined): string {
  if (v === undefined) return '_unset_';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return code(s.length > 80 ? `${s.slice(0, 79)}…` : s);
}

export function table(head: string[], rows: string[][], align?: ('l' | 'r')[]): string[] {
  const sep = head.map((_, i) => (align?.[i] === 'r' ? '---:' : '---'));
  return [`| ${head.join(' | ')} |`, `| ${sep.join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}
