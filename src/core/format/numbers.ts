/**
 * The one money format: cents from $1 up ($10.00), and below that two or three
 * significant digits with at least cents ($0.60, $0.625, $0.050), so a test
 * run's fractions of a cent still show ($0.00020).
 */
export function formatUsd(v: number | undefined): string {
  if (v === undefined) return '—';
  if (v === 0) return '$0';
  const abs = Math.abs(v);
  let text: string;
  if (abs >= 1) text = abs.toFixed(2);
  else {
    const two = Math.min(20, 1 - Math.floor(Math.log10(abs)));
    const three = abs.toFixed(Math.min(20, two + 1));
    text = three.endsWith('0') ? abs.toFixed(two) : three;
  }
  return `${v < 0 ? '-' : ''}$${text}`;
}

export function formatMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatRate(r: number): string {
  return `${Math.round(r * 1000) / 10} %`;
}
