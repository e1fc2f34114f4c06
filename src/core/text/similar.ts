import { distance } from 'fastest-levenshtein';

/** Candidates ranked by edit distance; only those close enough to be a plausible typo. */
export function similar(word: string, candidates: Iterable<string>, limit = 3): string[] {
  const w = word.toLowerCase();
  const max = Math.max(2, Math.floor(w.length / 3));
  const scored: { c: string; d: number }[] = [];
  for (const c of candidates) {
    const lc = c.toLowerCase();
    let d = distance(w, lc);
    // "gpt4o" vs "gpt-4o", or a dated snapshot of a known alias: rank as near misses.
    if (d > max && (lc.replace(/[-_.]/g, '') === w.replace(/[-_.]/g, '') || lc.startsWith(w) || w.startsWith(lc)))
      d = max;
    if (d <= max) scored.push({ c, d });
  }
  scored.sort((a, b) => a.d - b.d || a.c.length - b.c.length || a.c.localeCompare(b.c));
  return scored.slice(0, limit).map((s) => s.c);
}

export function closest(word: string, candidates: Iterable<string>): string | undefined {
  return similar(word, candidates, 1)[0];
}
