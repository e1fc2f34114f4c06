import { similar } from '../text/similar';
import type { Catalog, CatalogModel } from './types';

export type ModelResolution =
  | { kind: 'found'; model: CatalogModel }
  | { kind: 'ambiguous'; candidates: CatalogModel[] }
  | { kind: 'unknown'; suggestions: string[] };

/**
 * Resolves a prompt's `model` value. `provider/model` picks one provider's
 * model; a bare id must be offered by exactly one provider. Ids that contain a
 * slash themselves (OpenRouter's "anthropic/claude-…") match as bare ids first.
 */
export function resolveModel(ref: string, catalog: Catalog): ModelResolution {
  const bare = catalog.models.filter((m) => m.id === ref);
  const byQualified = qualifiedMatch(ref, catalog);
  const matches = bare.length ? bare : byQualified ? [byQualified] : [];
  if (matches.length === 1) return { kind: 'found', model: matches[0]! };
  if (matches.length > 1) {
    // Prefer the only active one: an old inactive copy elsewhere is not a real ambiguity.
    const active = matches.filter((m) => m.active);
    if (active.length === 1) return { kind: 'found', model: active[0]! };
    return { kind: 'ambiguous', candidates: matches };
  }
  const names = new Set<string>();
  for (const m of catalog.models) if (m.active) names.add(m.id);
  return { kind: 'unknown', suggestions: similar(ref, names) };
}

function qualifiedMatch(ref: string, catalog: Catalog): CatalogModel | undefined {
  const slash = ref.indexOf('/');
  if (slash <= 0) return undefined;
  const provider = ref.slice(0, slash);
  const id = ref.slice(slash + 1);
  return catalog.models.find((m) => m.provider === provider && m.id === id);
}

/** The reference to write for a model: bare when unambiguous, else `provider/id`. */
export function modelRef(model: CatalogModel, catalog: Catalog): string {
  const same = catalog.models.filter((m) => m.id === model.id);
  return same.length > 1 ? `${model.provider}/${model.id}` : model.id;
}

const DAY = 24 * 60 * 60 * 1000;

/** Days until the deprecation date (negative once past), or undefined without one. */
/** A model whose retirement date is this close is flagged as retiring. */
export const RETIRING_WITHIN_DAYS = 30;

export function daysUntilRetirement(model: CatalogModel, now: Date): number | undefined {
  const t = retirementTime(model);
  return t === undefined ? undefined : Math.ceil((t - now.getTime()) / DAY);
}

/** The deprecation date as a time (a bare day is its UTC midnight), or undefined without a usable one. */
function retirementTime(model: CatalogModel): number | undefined {
  if (!model.deprecationDate) return undefined;
  const t = Date.parse(
    model.deprecationDate.length === 10 ? `${model.deprecationDate}T00:00:00Z` : model.deprecationDate,
  );
  return Number.isNaN(t) ? undefined : t;
}

/**
 * The span of time around `now` in which daysUntilRetirement gives the same answer for every
 * model (an unbounded side is undefined), so a result that depends on it can be reused within it.
 */
export function retirementWindow(models: readonly CatalogModel[], now: Date): { from?: number; until?: number } {
  let from: number | undefined;
  let until: number | undefined;
  for (const m of models) {
    const t = retirementTime(m);
    if (t === undefined) continue;
    // ceil((t - x) / DAY) === k exactly for x in [t - k·DAY, t - (k-1)·DAY).
    const k = Math.ceil((t - now.getTime()) / DAY);
    from = Math.max(from ?? -Infinity, t - k * DAY);
    until = Math.min(until ?? Infinity, t - (k - 1) * DAY);
  }
  return { from, until };
}

/** Past its shutdown date (the day after it): no longer callable, whatever the provider's list still says. */
export function isRetired(model: CatalogModel, now: Date): boolean {
  const days = daysUntilRetirement(model, now);
  return days !== undefined && days < 0;
}

/** Can be called today: in its provider's list and not past its shutdown date. */
export function isAvailable(model: CatalogModel, now: Date): boolean {
  return model.active && !isRetired(model, now);
}
