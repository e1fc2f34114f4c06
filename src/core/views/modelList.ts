import { formatContextWindow, formatPrice } from '../catalog/format';
import { modelRows, type ModelRow } from '../catalog/listing';
import type { Catalog, CatalogModel } from '../catalog/types';
import type { ResolvedConfig } from '../config/load';
import { modelFacts, NO_LONGER_AVAILABLE } from './modelStatus';
import { plural } from '../text/plural';

export type ModelItemState = 'ok' | 'disabled' | 'inactive';

/** One row of the Models view: a catalog model with the workspace policy and its usage. */
export interface ModelItem {
  row: ModelRow;
  label: string;
  description: string;
  state: ModelItemState;
  /** Space-separated words the menus test: "model", then "usable", "default", "used" when they apply. */
  contextValue: string;
  tooltip: string[];
}

export interface ProviderGroup {
  provider: string;
  models: ModelItem[];
}

/**
 * The catalog grouped by provider, each model with its label, price, context
 * window and marks (⭐ default, fallback, recommended, disabled, no longer
 * available) and how many prompts use it. Inactive models sort last.
 */
export function modelGroups(
  catalog: Catalog,
  config: ResolvedConfig,
  usage: ReadonlyMap<CatalogModel, number>,
  now: Date = new Date(),
): ProviderGroup[] {
  const out: ProviderGroup[] = [];
  for (const r of modelRows(catalog, config, [], now)) {
    const row = { ...r, promptCount: usage.get(r.model) ?? 0 };
    let group = out[out.length - 1];
    if (group?.provider !== row.model.provider) out.push((group = { provider: row.model.provider, models: [] }));
    group.models.push(modelItem(row));
  }
  for (const g of out) g.models.sort((a, b) => Number(!a.row.available) - Number(!b.row.available));
  return out;
}

export function modelItem(row: ModelRow): ModelItem {
  const m = row.model;
  const state: ModelItemState = !row.available ? 'inactive' : !row.enabled ? 'disabled' : 'ok';
  const marks = [
    // The row's icon is the star; the text says it in words, for screen readers and fonts without emoji.
    row.isDefault ? 'default' : '',
    row.isFallback ? 'fallback' : '',
    state === 'inactive' ? 'no longer available' : state === 'disabled' ? 'disabled' : '',
    m.recommended ? 'recommended' : '',
  ].filter(Boolean);
  const facts = [
    formatPrice(m.inputPricePer1M, m.outputPricePer1M),
    formatContextWindow(m.contextWindow),
    usageText(row.promptCount),
  ];
  const words = ['model'];
  if (row.available && row.enabled) words.push('usable');
  if (row.isDefault) words.push('default');
  if (row.promptCount > 0) words.push('used');
  const tooltip = [
    ...(state === 'inactive'
      ? [
          `${NO_LONGER_AVAILABLE}: ${m.active ? `shut down on ${m.deprecationDate}` : `missing from ${m.provider}'s model list since ${m.lastSeen.slice(0, 10)}`}`,
        ]
      : []),
    ...(state === 'disabled' ? ['Not enabled for this workspace (models.enabled in prompt-registry.yaml)'] : []),
    ...modelFacts(m, row.label),
    ...(row.isDefault ? ['Default model'] : []),
    ...(row.isFallback ? ['Fallback model'] : []),
    `Used by ${usageText(row.promptCount)}`,
  ];
  return {
    row,
    label: row.label,
    description: [...marks, ...facts].join(' · '),
    state,
    contextValue: words.join(' '),
    tooltip,
  };
}

export function usageText(n: number): string {
  return n === 0 ? 'no prompts' : plural(n, 'prompt');
}

/** What disabling or enabling `row` writes to models.enabled. Without an allowlist, disabling lists every other active model. */
export function toggledEnabledList(
  row: ModelRow,
  rows: readonly ModelRow[],
  enabled: readonly string[] | undefined,
): string[] {
  const refersTo = (e: string, x: ModelRow) =>
    e === x.ref || e === x.model.id || e === `${x.model.provider}/${x.model.id}`;
  if (row.enabled) {
    const base = enabled ?? rows.filter((x) => x.available).map((x) => x.ref);
    return base.filter((e) => !refersTo(e, row));
  }
  return [...(enabled ?? []), row.ref];
}
