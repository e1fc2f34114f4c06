import { formatContextWindow, formatPrice } from '../catalog/format';
import { resolveModel } from '../catalog/lookup';
import type { Catalog, CatalogModel } from '../catalog/types';
import type { ResolvedConfig } from '../config/load';
import type { DiagnosticCode } from '../text/diagnostics';
import type { ParsedPrompt } from '../prompt/types';
import { checkModel } from '../validation/validatePrompt';

/** What is wrong (or not) with a prompt's model, worst first when several apply. */
export type ModelState =
  'ok' | 'unchecked' | 'retiring' | 'not-enabled' | 'inactive' | 'ambiguous' | 'unknown' | 'missing' | 'invalid';
export type StateSeverity = 'ok' | 'warning' | 'error';

export interface ModelStatus {
  state: ModelState;
  severity: StateSeverity;
  /** The `model` value as written, when there is one. */
  ref?: string;
  /** The catalog model it resolves to. */
  model?: CatalogModel;
  /** The configured label, else the reference as written: what listings show. */
  label: string;
  /** Why the state is not ok, in the words the diagnostics use. */
  message?: string;
}

export interface StatusContext {
  config: ResolvedConfig;
  catalog?: Catalog;
  /** catalog.json as stored, so a model of an unconfigured provider says so. */
  stored?: Catalog;
  now: Date;
}

/** The inactive-model tooltip text the product brief asks for, word for word. */
export const NO_LONGER_AVAILABLE = 'Model is no longer available';

const BY_CODE: Partial<Record<DiagnosticCode, { state: ModelState; severity: StateSeverity }>> = {
  'unknown-model': { state: 'unknown', severity: 'error' },
  'ambiguous-model': { state: 'ambiguous', severity: 'error' },
  'provider-not-configured': { state: 'unknown', severity: 'error' },
  'inactive-model': { state: 'inactive', severity: 'warning' },
  'model-not-enabled': { state: 'not-enabled', severity: 'warning' },
  'model-retiring': { state: 'retiring', severity: 'warning' },
};

/**
 * The state of a prompt's model. It goes through the same check as the
 * diagnostics, so the tree, the status bar and the Problems view never disagree.
 */
export function modelStatus(prompt: ParsedPrompt, ctx: StatusContext): ModelStatus {
  const ref = prompt.model;
  if (!ref) {
    const missing = prompt.diagnostics.find((d) => d.code === 'missing-model');
    if (missing) return { state: 'missing', severity: 'error', label: 'No model', message: missing.message };
    // The front matter did not parse, so there is no telling what the model is.
    return {
      state: 'invalid',
      severity: 'error',
      label: 'No model',
      message: 'The front matter has errors, so the model cannot be read',
    };
  }
  if (!ctx.catalog)
    return {
      state: 'unchecked',
      severity: 'ok',
      ref,
      label: labelFor(ref, undefined, ctx.config),
      message: 'No model catalog yet, so the model was not checked',
    };
  const r = resolveModel(ref, ctx.catalog);
  const model = r.kind === 'found' ? r.model : undefined;
  const label = labelFor(ref, model, ctx.config);
  const diags = checkModel(ref, 'model', () => prompt.headerRange, { ...ctx, catalog: ctx.catalog });
  // checkModel reports in severity order (unknown/ambiguous, inactive, not enabled, retiring): the first is the worst.
  for (const d of diags) {
    const s = BY_CODE[d.code];
    if (s) return { ...s, ref, model, label, message: d.message };
  }
  return { state: 'ok', severity: 'ok', ref, model, label };
}

/** The configured label for a model reference, else the reference itself. */
export function labelFor(ref: string, model: CatalogModel | undefined, config: ResolvedConfig): string {
  const labels = config.labels;
  return labels[ref] ?? (model ? (labels[`${model.provider}/${model.id}`] ?? labels[model.id]) : undefined) ?? ref;
}

/** "$2.50 / $10.00 per 1M tokens (input/output)", or undefined without prices. */
export function priceLine(model: CatalogModel): string | undefined {
  if (model.inputPricePer1M === undefined && model.outputPricePer1M === undefined) return undefined;
  return `${formatPrice(model.inputPricePer1M, model.outputPricePer1M)} per 1M tokens (input/output)`;
}

export function contextLine(model: CatalogModel): string | undefined {
  return model.contextWindow === undefined
    ? undefined
    : `${formatContextWindow(model.contextWindow)} tokens context window`;
}

/** Model facts for tooltips: name and id, price, context window, recommended, retirement. */
export function modelFacts(model: CatalogModel, label: string): string[] {
  const out = [label === model.id ? `${model.id} (${model.provider})` : `${label}: ${model.id} (${model.provider})`];
  const price = priceLine(model);
  if (price) out.push(price);
  const ctx = contextLine(model);
  if (ctx) out.push(ctx);
  if (model.recommended) out.push('Recommended');
  if (model.deprecationDate) out.push(`Retires ${model.deprecationDate}`);
  return out;
}
