import { costPer1kCalls, DEFAULT_OUTPUT_TOKENS, estimateTokens } from '../catalog/cost';
import { resolveModel } from '../catalog/lookup';
import type { Catalog } from '../catalog/types';
import type { ParsedPrompt } from '../prompt/types';
import type { Change, NumberDelta } from './diffTypes';
import { delta } from './semanticDiff';

export interface CallTokens {
  input: number;
  output: number;
}

/** One prompt's estimated cost on each side. */
export interface CostImpact {
  tokens: Change<CallTokens>;
  /** USD per 1,000 calls; a side is absent when its model or price is unknown. */
  per1kCalls: Change<number>;
  /** Set when both sides are priced. */
  delta?: NumberDelta;
}

export interface CostTotals {
  /** Prompts on both sides whose model or max_tokens changed and whose costs are both known. */
  priced: number;
  /** Such prompts with a price missing on either side: not in the sums. */
  unpriced: number;
  beforePer1kCalls: number;
  afterPer1kCalls: number;
  delta?: NumberDelta;
}

export const COST_METHOD =
  `Estimated cost per 1,000 calls of each prompt: input ≈ the template's length ÷ 4 tokens (input values are not counted, so it is a floor), ` +
  `output = max_tokens (${DEFAULT_OUTPUT_TOKENS} when unset), at the catalog's prices per 1M tokens (HEAD's catalog; BASE's for models HEAD no longer lists). ` +
  'The total covers prompts whose model or max_tokens changed.';

export function costImpact(
  before: ParsedPrompt | undefined,
  after: ParsedPrompt | undefined,
  catalog: Catalog | undefined,
): CostImpact {
  const impact: CostImpact = { tokens: {}, per1kCalls: {} };
  const side = (p: ParsedPrompt | undefined, key: 'before' | 'after') => {
    if (!p) return;
    impact.tokens[key] = estimateTokens(p);
    const r = p.model && catalog ? resolveModel(p.model, catalog) : undefined;
    const usd = r?.kind === 'found' ? costPer1kCalls(p, r.model) : undefined;
    if (usd !== undefined) impact.per1kCalls[key] = usd;
  };
  side(before, 'before');
  side(after, 'after');
  const d = delta(impact.per1kCalls.before, impact.per1kCalls.after);
  if (d) impact.delta = d;
  return impact;
}

/** True when the change moves what a call costs in a way the reviewer chose: a model or max_tokens change. */
export function affectsCost(before: ParsedPrompt | undefined, after: ParsedPrompt | undefined): boolean {
  return !!before && !!after && (before.model !== after.model || before.params.max_tokens !== after.params.max_tokens);
}

export function addCosts(impacts: CostImpact[]): CostTotals {
  const t: CostTotals = { priced: 0, unpriced: 0, beforePer1kCalls: 0, afterPer1kCalls: 0 };
  for (const i of impacts) {
    if (!i.delta) {
      t.unpriced++;
      continue;
    }
    t.priced++;
    t.beforePer1kCalls += i.delta.before;
    t.afterPer1kCalls += i.delta.after;
  }
  const d = t.priced ? delta(t.beforePer1kCalls, t.afterPer1kCalls) : undefined;
  if (d) t.delta = d;
  return t;
}
