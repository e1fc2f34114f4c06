import { snapshotMetadata } from './modelData';
import type { FetchedModel } from './fetch';
import type { Catalog, CatalogModel, ModelMetadata } from './types';

export interface MergeChanges {
  added: string[];
  reactivated: string[];
  deactivated: string[];
  /** Metadata (price, context window, name, dates) changed. */
  updated: string[];
}

const META_KEYS = [
  'displayName',
  'contextWindow',
  'inputPricePer1M',
  'outputPricePer1M',
  'recommended',
  'deprecationDate',
  'sources',
] as const;

/** Catalog dates are days: a second refresh on the same day changes nothing, keeping git diffs small. */
export function catalogDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/**
 * Merges one provider's current list into the catalog. New ids become active;
 * listed ids are seen again (and reactivated); missing ids become inactive but
 * keep their record. Other providers' records are untouched. Metadata: what
 * the provider sends wins, then the bundled snapshot, then what the record
 * had; `sources` says which, per value.
 */
export function mergeProviderModels(
  catalog: Catalog,
  provider: string,
  fetched: FetchedModel[],
  now: Date,
): { catalog: Catalog; changes: MergeChanges } {
  const day = catalogDay(now);
  const changes: MergeChanges = { added: [], reactivated: [], deactivated: [], updated: [] };
  const old = new Map(catalog.models.filter((m) => m.provider === provider).map((m) => [m.id, m]));
  const listed = new Map<string, FetchedModel>();
  for (const f of fetched) if (!listed.has(f.id)) listed.set(f.id, f);

  const merged: CatalogModel[] = [];
  for (const [id, f] of listed) {
    const prev = old.get(id);
    const meta = mergeMeta(prev, f);
    if (!prev) {
      changes.added.push(id);
      merged.push({ id, provider, active: true, ...meta, firstSeen: day, lastSeen: day, updatedAt: day });
      continue;
    }
    if (!prev.active) changes.reactivated.push(id);
    if (META_KEYS.some((k) => JSON.stringify(prev[k]) !== JSON.stringify(meta[k]))) changes.updated.push(id);
    merged.push({ ...withoutMeta(prev), ...meta, active: true, lastSeen: day, updatedAt: day });
  }
  for (const [id, prev] of old) {
    if (listed.has(id)) continue;
    if (prev.active) {
      changes.deactivated.push(id);
      merged.push({ ...prev, active: false, updatedAt: day });
    } else {
      merged.push(prev);
    }
  }
  const others = catalog.models.filter((m) => m.provider !== provider);
  return {
    catalog: {
      version: 1,
      providers: { ...catalog.providers, [provider]: { lastRefresh: now.toISOString() } },
      models: [...others, ...merged],
    },
    changes,
  };
}

type Meta = Pick<CatalogModel, (typeof META_KEYS)[number]>;

/**
 * The record without its metadata: mergeMeta already carries over every old value that still holds, and an old
 * value it dropped (the other price, when the new prices come from elsewhere) must not come back through the spread.
 */
function withoutMeta(m: CatalogModel): CatalogModel {
  const out = { ...m };
  for (const k of META_KEYS) delete out[k];
  return out;
}

type Sources = NonNullable<CatalogModel['sources']>;

function mergeMeta(prev: CatalogModel | undefined, f: FetchedModel): Meta {
  const bundled = snapshotMetadata(f.id);
  const out: Meta = {};
  const sources: Sources = {};
  const pick = <K extends 'displayName' | 'contextWindow' | 'deprecationDate'>(k: K) => {
    if (f[k] !== undefined) {
      out[k] = f[k];
      sources[k] = 'provider';
    } else if (bundled?.[k] !== undefined) {
      out[k] = bundled[k] as Meta[K];
      sources[k] = 'snapshot';
    } else if (prev?.[k] !== undefined) {
      out[k] = prev[k];
      if (prev.sources?.[k]) sources[k] = prev.sources[k];
    }
  };
  pick('displayName');
  pick('contextWindow');
  // Both prices from one place: a provider's input price beside a bundled output price would be neither's.
  const price = (m: Pick<ModelMetadata, 'inputPricePer1M' | 'outputPricePer1M'> | undefined) =>
    m && (m.inputPricePer1M !== undefined || m.outputPricePer1M !== undefined);
  const priced = price(f)
    ? { from: f, source: 'provider' as const }
    : price(bundled)
      ? { from: bundled!, source: 'snapshot' as const }
      : price(prev)
        ? { from: prev!, source: prev!.sources?.price }
        : undefined;
  if (priced) {
    if (priced.from.inputPricePer1M !== undefined) out.inputPricePer1M = priced.from.inputPricePer1M;
    if (priced.from.outputPricePer1M !== undefined) out.outputPricePer1M = priced.from.outputPricePer1M;
    if (priced.source) sources.price = priced.source;
  }
  const recommended = bundled?.recommended ?? prev?.recommended;
  if (recommended !== undefined) out.recommended = recommended;
  pick('deprecationDate');
  if (Object.keys(sources).length) out.sources = sources;
  return out;
}

/** Why a merge looks like a broken provider response rather than real churn, or undefined when it looks fine. */
/** Why a fetched list looks wrong enough not to apply without being forced. */
export type ShrinkRefusal = { kind: 'empty-list' } | { kind: 'mass-deactivation'; deactivated: number; total: number };

export function shrinkProblem(
  before: Catalog,
  provider: string,
  fetchedCount: number,
  changes: MergeChanges,
): ShrinkRefusal | undefined {
  if (fetchedCount === 0) return { kind: 'empty-list' };
  const active = before.models.filter((m) => m.provider === provider && m.active).length;
  if (active > 0 && changes.deactivated.length > active / 2)
    return { kind: 'mass-deactivation', deactivated: changes.deactivated.length, total: active };
  return undefined;
}

export function describeShrink(r: ShrinkRefusal): string {
  return r.kind === 'empty-list'
    ? 'the provider returned an empty model list'
    : `the refresh would deactivate ${r.deactivated} of ${r.total} active models`;
}

export function emptyCatalog(): Catalog {
  return { version: 1, providers: {}, models: [] };
}
