import * as assert from 'node:assert/strict';
import { formatPrice } from '../../src/core/catalog/format';
import { formatUsd } from '../../src/core/format/numbers';

describe('formatUsd (the one money format)', () => {
  it('shows cents next to dollars: $0.60 next to $10.00, never $0.6', () => {
    assert.deepEqual([10, 2.5, 0.6, 0.4, 0.15].map(formatUsd), ['$10.00', '$2.50', '$0.60', '$0.40', '$0.15']);
  });

  it('keeps the digits of a price or a fraction of a cent', () => {
    assert.deepEqual([0.625, 0.075, 0.05, 0.0002, 0.00001].map(formatUsd), [
      '$0.625',
      '$0.075',
      '$0.050',
      '$0.00020',
      '$0.000010',
    ]);
    assert.deepEqual([0, undefined].map(formatUsd), ['$0', '—']);
  });

  it('is what catalog prices use', () => {
    assert.equal(formatPrice(0.625, 0.6), `${formatUsd(0.625)} / ${formatUsd(0.6)}`);
  });
});
