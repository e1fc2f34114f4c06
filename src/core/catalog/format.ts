import { formatUsd } from '../format/numbers';
import type { CatalogModel } from './types';
/** "$2.50 / $10.00", or "—" when the catalog has no price. Shared by the CLI and the editor. */
export function formatPrice(input?: number, output?: number): string {
  if (input === undefined && output === undefined) return '—';
  const one = (v?: number) => (v === undefined ? '?' : v === 0 ? 'free' : formatUsd(v));
  return `${one(input)} / ${one(output)}`;
}

export function formatContextWindow(tokens?: number): string {
  if (tokens === undefined) return '—';
  return tokens >= 1_000_000
    ? `${(tokens / 1_000_000).toFixed(tokens % 1_000_000 ? 1 : 0)}M`
    : `${Math.round(tokens / 1000)}k`;
}

/**
 * The shown values that are the bundled snapshot's estimates, not the
 * provider's own figures, so a reviewer can tell them apart: ["price", "context"].
 */
export function estimatedValues(m: Pick<CatalogModel, 'sources'>): string[] {
  const out: string[] = [];
  if (m.sources?.price === 'snapshot') out.push('price');
  if (m.sources?.contextWindow === 'snapshot') out.push('context');
  return out;
}
