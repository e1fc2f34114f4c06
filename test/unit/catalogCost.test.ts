import * as assert from 'node:assert/strict';
import {
  DEFAULT_OUTPUT_TOKENS,
  callCost,
  costPer1kCalls,
  describeCostChange,
  estimateCostChange,
  estimateTokens,
  type CostChange,
} from '../../src/core/catalog/cost';
import type { ParsedPrompt } from '../../src/core/prompt/types';
import { catalogOf, model } from './helpers/catalog';

// The cost estimate behind "switch model" confirmations, pinned on exact numbers and words.

/** Only the fields the estimate reads; the rest of a parsed prompt does not matter here. */
function prompt(templates: string[], extra: { model?: string; max_tokens?: number } = {}): ParsedPrompt {
  return {
    model: extra.model,
    params: extra.max_tokens === undefined ? {} : { max_tokens: extra.max_tokens },
    messages: templates.map((template) => ({ role: 'user', template, offset: 0 })),
  } as unknown as ParsedPrompt;
}

const change = (c: Partial<CostChange>): CostChange => ({
  priced: 1,
  unpriced: 0,
  beforePer1kCalls: 0,
  afterPer1kCalls: 0,
  ...c,
});

describe('catalog cost: estimateTokens', () => {
  it('counts all messages at four characters a token, rounded up', () => {
    assert.deepEqual(estimateTokens(prompt(['abcde', 'fghi'])), { input: 3, output: DEFAULT_OUTPUT_TOKENS });
    assert.deepEqual(estimateTokens(prompt(['abcdefgh'])).input, 2);
  });

  it('an empty template still counts one input token', () => {
    assert.equal(estimateTokens(prompt([])).input, 1);
    assert.equal(estimateTokens(prompt([''])).input, 1);
  });

  it('output is max_tokens when set, else the default of 500', () => {
    assert.equal(DEFAULT_OUTPUT_TOKENS, 500);
    assert.equal(estimateTokens(prompt(['x'], { max_tokens: 64 })).output, 64);
    assert.equal(estimateTokens(prompt(['x'])).output, 500);
  });
});

describe('catalog cost: callCost and costPer1kCalls', () => {
  const priced = model('m', { inputPricePer1M: 2, outputPricePer1M: 8 });

  it('is input and output tokens at their prices per million', () => {
    assert.equal(callCost(priced, { input: 1000, output: 500 }), 0.006);
    assert.equal(callCost(priced, { input: 0, output: 0 }), 0);
  });

  it('is zero, not unknown, for a free model', () => {
    assert.equal(callCost(model('m', { inputPricePer1M: 0, outputPricePer1M: 0 }), { input: 10, output: 10 }), 0);
  });

  it('is unknown when either price is missing', () => {
    assert.equal(callCost(model('m'), { input: 1, output: 1 }), undefined);
    assert.equal(callCost(model('m', { inputPricePer1M: 2 }), { input: 1, output: 1 }), undefined);
    assert.equal(callCost(model('m', { outputPricePer1M: 8 }), { input: 1, output: 1 }), undefined);
  });

  it('per 1,000 calls is a thousand times the estimated call', () => {
    // 16 characters = 4 input tokens, 250 output tokens: (4 * 2 + 250 * 8) / 1e6 per call.
    const p = prompt(['0123456789abcdef'], { max_tokens: 250 });
    assert.equal(costPer1kCalls(p, priced), 2.008);
    assert.equal(costPer1kCalls(p, model('m')), undefined);
  });
});

describe('catalog cost: estimateCostChange', () => {
  const cheap = model('cheap', { inputPricePer1M: 1, outputPricePer1M: 2 });
  const dear = model('dear', { inputPricePer1M: 10, outputPricePer1M: 20 });
  const unpriced = model('unpriced');
  const catalog = catalogOf(
    cheap,
    dear,
    unpriced,
    model('twice', { provider: 'a', inputPricePer1M: 1, outputPricePer1M: 1 }),
    model('twice', { provider: 'b', inputPricePer1M: 1, outputPricePer1M: 1 }),
  );
  // 4 characters = 1 input token, 1000 output tokens.
  const on = (ref?: string) => prompt(['abcd'], { model: ref, max_tokens: 1000 });
  // Sums of binary fractions: compare to the nano-dollar.
  const rounded = (c: CostChange): CostChange => ({
    ...c,
    beforePer1kCalls: Number(c.beforePer1kCalls.toFixed(9)),
    afterPer1kCalls: Number(c.afterPer1kCalls.toFixed(9)),
  });

  it('sums before and after per 1,000 calls over the priced prompts', () => {
    assert.deepEqual(rounded(estimateCostChange([on('dear'), on('dear'), on('cheap')], cheap, catalog)), {
      priced: 3,
      unpriced: 0,
      beforePer1kCalls: 42.021,
      afterPer1kCalls: 6.003,
    });
  });

  it('counts as unpriced a prompt without a model, with an unknown or ambiguous one, or on an unpriced one', () => {
    const prompts = [on(), on('nope'), on('twice'), on('unpriced'), on('dear')];
    assert.deepEqual(rounded(estimateCostChange(prompts, cheap, catalog)), {
      priced: 1,
      unpriced: 4,
      beforePer1kCalls: 20.01,
      afterPer1kCalls: 2.001,
    });
  });

  it('counts everything as unpriced when the target has no prices', () => {
    assert.deepEqual(estimateCostChange([on('dear'), on('cheap')], unpriced, catalog), {
      priced: 0,
      unpriced: 2,
      beforePer1kCalls: 0,
      afterPer1kCalls: 0,
    });
  });

  it('a provider/id reference is priced with that provider’s model', () => {
    const c = catalogOf(
      model('x', { provider: 'a', inputPricePer1M: 0, outputPricePer1M: 1 }),
      model('x', { provider: 'b', inputPricePer1M: 0, outputPricePer1M: 3 }),
    );
    assert.equal(estimateCostChange([on('b/x')], cheap, c).beforePer1kCalls, 3);
  });

  it('no prompts: nothing priced', () => {
    assert.deepEqual(estimateCostChange([], cheap, catalog), {
      priced: 0,
      unpriced: 0,
      beforePer1kCalls: 0,
      afterPer1kCalls: 0,
    });
  });
});

describe('catalog cost: describeCostChange', () => {
  it('says the change is unknown when nothing is priced', () => {
    assert.equal(
      describeCostChange(change({ priced: 0, unpriced: 3 })),
      'cost change unknown (no prices for these models)',
    );
  });

  it('a decrease, for one prompt', () => {
    assert.equal(
      describeCostChange(change({ beforePer1kCalls: 1.2, afterPer1kCalls: 0.3 })),
      '≈ $1.20 → $0.30 per 1,000 calls (−75 %)',
    );
  });

  it('an increase, for several prompts, with the unpriced ones noted', () => {
    assert.equal(
      describeCostChange(change({ priced: 3, unpriced: 2, beforePer1kCalls: 2, afterPer1kCalls: 5 })),
      '≈ $2.00 → $5.00 per 1,000 calls to each of the 3 prompts (+150 %); 2 without prices not counted',
    );
  });

  it('no change is ±0 %', () => {
    assert.equal(
      describeCostChange(change({ beforePer1kCalls: 2, afterPer1kCalls: 2 })),
      '≈ $2.00 → $2.00 per 1,000 calls (±0 %)',
    );
  });

  it('a change that rounds to 0 % is ±0 %', () => {
    assert.equal(
      describeCostChange(change({ beforePer1kCalls: 1000, afterPer1kCalls: 1001 })),
      '≈ $1000.00 → $1001.00 per 1,000 calls (±0 %)',
    );
  });

  it('from free, there is no percentage', () => {
    assert.equal(
      describeCostChange(change({ priced: 2, beforePer1kCalls: 0, afterPer1kCalls: 0.5 })),
      '≈ $0 → $0.50 per 1,000 calls to each of the 2 prompts',
    );
  });

  it('one unpriced prompt is noted too', () => {
    assert.equal(
      describeCostChange(change({ unpriced: 1, beforePer1kCalls: 4, afterPer1kCalls: 1 })),
      '≈ $4.00 → $1.00 per 1,000 calls (−75 %); 1 without prices not counted',
    );
  });
});
