import { formatUsd } from '../format/numbers';
import type { ParsedPrompt } from '../prompt/types';
import { resolveModel } from './lookup';
import type { Catalog, CatalogModel } from './types';

/** Output tokens assumed for a prompt without max_tokens. */
export const DEFAULT_OUTPUT_TOKENS = 500;

/**
 * A rough token count for one call: the template text at ~4 characters per
 * token (inputs unknown, so this is a floor), and max_tokens (or a default)
 * for the answer. Enough to compare models, not to bill anyone.
 */
export function estimateTokens(prompt: ParsedPrompt): { input: number; output: number } {
  const chars = prompt.messages.reduce((n, m) => n + m.template.length, 0);
  return { input: Math.max(1, Math.ceil(chars / 4)), output: prompt.params.max_tokens ?? DEFAULT_OUTPUT_TOKENS };
}

/** USD for one call that used `tokens` on `model`, or undefined when the model has no prices. */
export function callCost(model: CatalogModel, tokens: { input: number; output: number }): number | undefined {
  if (model.inputPricePer1M === undefined || model.outputPricePer1M === undefined) return undefined;
  return (tokens.input * model.inputPricePer1M + tokens.output * model.outputPricePer1M) / 1e6;
}

/** USD per 1,000 calls of `prompt` on `model`, or undefined when the model has no prices. */
export function costPer1kCalls(prompt: ParsedPrompt, model: CatalogModel): number | undefined {
  const one = callCost(model, estimateTokens(prompt));
  return one === undefined ? undefined : one * 1000;
}

export interface CostChange {
  /** Prompts whose before and after costs are both known. */
  priced: number;
  /** Prompts where a price is missing on either side. */
  unpriced: number;
  beforePer1kCalls: number;
  afterPer1kCalls: number;
}

/** The estimated cost change of moving `prompts` to `target`: per 1,000 calls of each prompt, summed. */
export function estimateCostChange(prompts: ParsedPrompt[], target: CatalogModel, catalog: Catalog): CostChange {
  const out: CostChange = { priced: 0, unpriced: 0, beforePer1kCalls: 0, afterPer1kCalls: 0 };
  for (const p of prompts) {
    const current = p.model ? resolveModel(p.model, catalog) : undefined;
    const before = current?.kind === 'found' ? costPer1kCalls(p, current.model) : undefined;
    const after = costPer1kCalls(p, target);
    if (before === undefined || after === undefined) {
      out.unpriced++;
      continue;
    }
    out.priced++;
    out.beforePer1kCalls += before;
    out.afterPer1kCalls += after;
  }
  return out;
}

/** "≈ $1.20 → $0.30 per 1,000 calls each (−75 %)", for confirmations. */
export function describeCostChange(c: CostChange): string {
  if (c.priced === 0) return 'cost change unknown (no prices for these models)';
  const pct =
    c.beforePer1kCalls > 0
      ? Math.round(((c.afterPer1kCalls - c.beforePer1kCalls) / c.beforePer1kCalls) * 100)
      : undefined;
  const delta = pct === undefined ? '' : ` (${pct > 0 ? '+' : pct < 0 ? '−' : '±'}${Math.abs(pct)} %)`;
  const note = c.unpriced ? `; ${c.unpriced} without prices not counted` : '';
  const each = c.priced === 1 ? '' : ` to each of the ${c.priced} prompts`;
  return `≈ ${formatUsd(c.beforePer1kCalls)} → ${formatUsd(c.afterPer1kCalls)} per 1,000 calls${each}${delta}${note}`;
}
