import * as assert from 'node:assert/strict';
import { estimatedValues, formatContextWindow, formatPrice } from '../../src/core/catalog/format';

// How the CLI and the editor show a catalog model's price and context window.
describe('catalog values as shown', () => {
  it('a price pair: "—" when neither is known, "?" for the unknown one, "free" for zero', () => {
    assert.equal(formatPrice(), '—');
    assert.equal(formatPrice(2.5, 10), '$2.50 / $10.00');
    assert.equal(formatPrice(2.5), '$2.50 / ?');
    assert.equal(formatPrice(undefined, 10), '? / $10.00');
    assert.equal(formatPrice(0, 0), 'free / free');
  });

  it('a context window: "—" when unknown, thousands as k, a million and more as M', () => {
    assert.equal(formatContextWindow(), '—');
    assert.equal(formatContextWindow(128_000), '128k');
    assert.equal(formatContextWindow(999_999), '1000k');
    assert.equal(formatContextWindow(1_000_000), '1M');
    assert.equal(formatContextWindow(1_500_000), '1.5M');
  });

  it('names the shown values that are the bundled estimates, price first', () => {
    assert.deepEqual(estimatedValues({}), []);
    assert.deepEqual(estimatedValues({ sources: { price: 'snapshot', contextWindow: 'snapshot' } }), [
      'price',
      'context',
    ]);
    assert.deepEqual(estimatedValues({ sources: { price: 'provider', contextWindow: 'snapshot' } }), ['context']);
    assert.deepEqual(estimatedValues({ sources: { price: 'snapshot', contextWindow: 'provider' } }), ['price']);
  });
});
