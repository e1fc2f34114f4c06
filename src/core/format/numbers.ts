/** Dollars with enough digits to see a test run's fractions of a cent. */
export function formatUsd(v: number | undefined): string {
  if (v === undefined) return '—';
  if (v === 0) return '$0';
  if (v >= 1) return `$${v.toFixed(2)}`;
  if (v >= 0.01) return `$${v.toFixed(4)}`;
  return `$${v.toPrecision(2)}`;
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
