import type { DeclaredModel, ResolvedConfig, ResolvedProvider } from '../config/load';
import { snapshotMetadata } from './modelData';
import { modelRef } from './lookup';
import { catalogDay } from './merge';
import type { Catalog, CatalogModel } from './types';

/**
 * The catalog as prompts see it: only providers that prompt-registry.yaml
 * lists count, and a provider that declares `models:` has exactly those.
 * Records of providers no longer configured stay in catalog.json (nothing is
 * lost if the provider comes back) but never validate a prompt, never make an
 * id ambiguous and are never offered; `unconfiguredModels` finds them to say why.
 */
export function configuredCatalog(
  stored: Catalog | undefined,
  config: ResolvedConfig,
  now: Date = new Date(),
): Catalog | undefined {
  const declaring = config.providers.filter((p) => p.models);
  if (!stored && (declaring.length === 0 || config.providers.some((p) => p.type === 'openai' && !p.models)))
    return undefined;
  const base = stored ?? { version: 1 as const, providers: {}, models: [] };
  const fetched = new Set(config.providers.filter((p) => !p.models).map((p) => p.name));
  const models: CatalogModel[] = base.models.filter((m) => fetched.has(m.provider));
  for (const p of declaring) models.push(...declaredRecords(p, base, now));
  const names = new Set(config.providers.map((p) => p.name));
  const providers = Object.fromEntries(Object.entries(base.providers).filter(([name]) => names.has(name)));
  return { version: 1, providers, models };
}

/** Catalog providers that prompt-registry.yaml no longer lists, in name order. */
export function unconfiguredProviders(stored: Catalog, config: ResolvedConfig): string[] {
  const names = new Set(config.providers.map((p) => p.name));
  return [...new Set(stored.models.map((m) => m.provider).concat(Object.keys(stored.providers)))]
    .filter((n) => !names.has(n))
    .sort();
}

/** Said once per check or refresh: the records are kept, but count for nothing. */
export function unconfiguredNotice(providers: string[]): string {
  const list = providers.map((p) => `"${p}"`).join(', ');
  return `The catalog still holds models of ${providers.length === 1 ? 'provider' : 'providers'} ${list}, which prompt-registry.yaml no longer lists; they validate no prompt until it lists them again, and a prune removes them.`;
}

/** Records for `ref` (a bare id, or `provider/id`) that only unconfigured providers hold. */
export function unconfiguredModels(ref: string, stored: Catalog, config: ResolvedConfig): CatalogModel[] {
  const names = new Set(config.providers.map((p) => p.name));
  return stored.models.filter((m) => !names.has(m.provider) && (m.id === ref || `${m.provider}/${m.id}` === ref));
}

/**
 * A declared model's record: what the config says wins, then the bundled
 * metadata. It is always active, so no refresh can retire it; its dates are
 * the stored record's when there is one (the provider once listed it).
 */
function declaredRecords(p: ResolvedProvider, stored: Catalog, now: Date): CatalogModel[] {
  const day = catalogDay(now);
  return (p.models ?? []).map((d: DeclaredModel): CatalogModel => {
    const prev = stored.models.find((m) => m.provider === p.name && m.id === d.id);
    const bundled = snapshotMetadata(d.id);
    const out: CatalogModel = {
      id: d.id,
      provider: p.name,
      active: true,
      firstSeen: prev?.firstSeen ?? day,
      lastSeen: day,
      updatedAt: day,
    };
    // A value typed in the config has no source mark (as for hand-typed catalog records); a
    // bundled estimate says so, so a reviewer can tell it from a price the team wrote down.
    const sources: NonNullable<CatalogModel['sources']> = {};
    const fill = <
      K extends
        'displayName' | 'contextWindow' | 'inputPricePer1M' | 'outputPricePer1M' | 'recommended' | 'deprecationDate',
    >(
      k: K,
    ) => {
      const own = (d as Partial<CatalogModel>)[k];
      const v = own ?? bundled?.[k];
      if (v === undefined) return;
      out[k] = v as CatalogModel[K];
      if (own === undefined && k !== 'recommended') {
        const key = k === 'inputPricePer1M' || k === 'outputPricePer1M' ? 'price' : k;
        sources[key as keyof typeof sources] = 'snapshot';
      }
    };
    fill('displayName');
    fill('contextWindow');
    fill('inputPricePer1M');
    fill('outputPricePer1M');
    fill('recommended');
    fill('deprecationDate');
    if (Object.keys(sources).length) out.sources = sources;
    return out;
  });
}

/**
 * The same model on configured providers, for the quick fix: the same id, or
 * the id under a vendor prefix (OpenRouter's `openai/gpt-4o` for OpenAI's
 * `gpt-4o`), the old provider's name as the prefix first. Only active ones.
 */
export function sameModelOnConfigured(old: CatalogModel, configured: Catalog): { ref: string; model: CatalogModel }[] {
  const id = old.id.slice(old.id.lastIndexOf('/') + 1);
  const rank = (m: CatalogModel) =>
    m.id === old.id ? 0 : m.id === `${old.provider}/${id}` ? 1 : m.id.endsWith(`/${id}`) ? 2 : -1;
  return configured.models
    .filter((m) => m.active && rank(m) >= 0)
    .sort((a, b) => rank(a) - rank(b) || a.provider.localeCompare(b.provider) || a.id.localeCompare(b.id))
    .slice(0, 3)
    .map((m) => ({ ref: modelRef(m, configured), model: m }));
}
