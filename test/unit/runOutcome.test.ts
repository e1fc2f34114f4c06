import { strict as assert } from 'node:assert';
import { failedLastTime, runOutcome } from '../../src/core/app/runOutcome';

describe('runOutcome', () => {
  it('counts failed and errored together, keeps their ids in run order, and sums only priced cases', () => {
    const o = runOutcome(
      [
        { id: 'a', state: 'passed', costUsd: 0.01, model: 'gpt-4o-mini' },
        { id: 'b', state: 'errored', model: 'gpt-4o-mini' },
        { id: 'c', state: 'failed', costUsd: 0.002, model: 'claude' },
        { id: 'd', state: 'skipped' },
      ],
      8100,
    );
    assert.deepEqual(o, {
      passed: 1,
      failed: 2,
      skipped: 1,
      models: ['gpt-4o-mini', 'claude'],
      costUsd: 0.012,
      durationMs: 8100,
      failedIds: ['b', 'c'],
    });
  });

  it('leaves the cost out when no case had a price', () => {
    assert.equal(runOutcome([{ id: 'a', state: 'passed' }], 1).costUsd, undefined);
  });

  it('failed last time keeps only cases that still exist, and is empty with no previous run', () => {
    const prev = runOutcome(
      [
        { id: 'x', state: 'failed' },
        { id: 'gone', state: 'failed' },
      ],
      1,
    );
    assert.deepEqual(
      failedLastTime(prev, (id) => id !== 'gone'),
      ['x'],
    );
    assert.deepEqual(
      failedLastTime(undefined, () => true),
      [],
    );
  });
});
