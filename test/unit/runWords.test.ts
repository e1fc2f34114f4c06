import * as assert from 'node:assert/strict';
import { runOutcome } from '../../src/core/app/runOutcome';
import { wordOutcome, wordProgress } from '../../src/extension/palette/runWords';

describe('palette run wording', () => {
  it('words a run with failures, models, cost and time as the end notification shows it', () => {
    const o = runOutcome(
      [
        { id: 'a', state: 'passed', model: 'gpt-4o-mini', costUsd: 0.004 },
        { id: 'b', state: 'failed', model: 'gpt-4o-mini', costUsd: 0.008 },
        { id: 'c', state: 'errored', model: 'gpt-4o' },
        { id: 'd', state: 'skipped' },
      ],
      8_149,
    );
    assert.equal(wordOutcome(o), '1 passed, 2 failed, 1 skipped on gpt-4o-mini, gpt-4o · $0.012 · 8.1 s');
  });

  it('leaves out what did not happen: no failures, no model, no price', () => {
    assert.equal(wordOutcome(runOutcome([{ id: 'a', state: 'passed' }], 50)), '1 passed · 0.1 s');
    assert.equal(wordOutcome(runOutcome([], 0)), '0 passed · 0.0 s');
  });

  it('words progress, with the failures so far', () => {
    assert.equal(wordProgress({ done: 12, total: 40, failed: 1 }), '12/40 cases · 1 failed');
    assert.equal(wordProgress({ done: 0, total: 40, failed: 0 }), '0/40 cases');
    assert.equal(wordProgress({ done: 1, total: 1, failed: 0 }), '1/1 case');
  });
});
