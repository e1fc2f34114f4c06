import type { ResolvedConfig } from '../config/load';
import type { ParsedPrompt } from '../prompt/types';
import { isAvailable, modelRef, resolveModel } from './lookup';
import type { Catalog, CatalogModel } from './types';

/** One catalog model with the workspace policy applied: what `models list`, the Models view and the picker show. */
export interface ModelRow {
  /** What a prompt writes in `model:`. */
  ref: string;
  model: CatalogModel;
  label: string;
  isDefault: boolean;
  isFallback: boolean;
  enabled: boolean;
  /** In its provider's list and not past its shutdown date: the picker offers only these. */
  available: boolean;
  /** How many prompts use it. */
  promptCount: number;
}

export function modelRows(
  catalog: Catalog,
  config: ResolvedConfig,
  prompts: ParsedPrompt[] = [],
  now: Date = new Date(),
): ModelRow[] {
  const usage = new Map<CatalogModel, number>();
  for (const p of prompts) {
    if (!p.model) continue;
    const r = resolveModel(p.model, catalog);
    if (r.kind === 'found') usage.set(r.model, (usage.get(r.model) ?? 0) + 1);
  }
  const enabled = config.enabledModels;
  const is = (ref: string, m: CatalogModel, target?: string) =>
    target !== undefined && (target === ref || target === m.id || target === `${m.provider}/${m.id}`);
  return [...catalog.models]
    .sort((a, b) => a.provider.localeCompare(b.provider) || a.id.localeCompare(b.id))
    .map((m) => {
      const ref = modelRef(m, catalog);
      return {
        ref,
        model: m,
        label: config.labels[ref] ?? config.labels[m.id] ?? m.displayName ?? m.id,
        isDefault: is(ref, m, config.defaultModel),
        isFallback: is(ref, m, config.fallbackModel),
        enabled: !enabled || enabled.some((e) => is(ref, m, e)),
        available: isAvailable(m, now),
        promptCount: usage.get(m) ?? 0,
      };
    });
}

/** Prompts whose model is known but no longer available (inactive or shut down): after a refresh, the ones to tell the user about. */
export function promptsOnInactiveModels(
  catalog: Catalog,
  prompts: ParsedPrompt[],
  now: Date = new Date(),
): ParsedPrompt[] {
  return prompts.filter((p) => {
    if (!p.model) return false;
    const r = resolveModel(p.model, catalog);
    return r.kind === 'found' && !isAvailable(r.model, now);
  });
}
