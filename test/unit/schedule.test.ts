import * as assert from 'node:assert/strict';
import FakeTimers from '@sinonjs/fake-timers';
import { nextRefreshDue, RefreshScheduler, type Clock } from '../../src/core/catalog/schedule';
import { catalogOf } from './helpers/catalog';

const HOUR = 3_600_000;

describe('refresh schedule', () => {
  let clock: ReturnType<typeof FakeTimers.install>;
  let c: Clock;
  beforeEach(() => {
    clock = FakeTimers.install({
      now: new Date('2026-11-21T00:00:00Z'),
      toFake: ['setTimeout', 'clearTimeout', 'Date'],
    });
    c = {
      now: () => new Date(),
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
    };
  });
  afterEach(() => clock.uninstall());

  it('is due at the oldest provider refresh plus the interval, and now for a provider never refreshed', () => {
    const cat = {
      ...catalogOf(),
      providers: { a: { lastRefresh: '2026-11-20T00:00:00Z' }, b: { lastRefresh: '2026-11-19T00:00:00Z' } },
    };
    assert.equal(nextRefreshDue(cat, ['a', 'b'], 168, new Date()).toISOString(), '2026-11-26T00:00:00.000Z');
    assert.equal(nextRefreshDue(cat, ['a', 'c'], 168, new Date()).toISOString(), '2026-11-21T00:00:00.000Z');
    assert.equal(nextRefreshDue(undefined, ['a'], 168, new Date()).toISOString(), '2026-11-21T00:00:00.000Z');
  });

  it('refreshes at start only when due, then every interval, based on the stored time', async () => {
    let last = new Date('2026-11-20T12:00:00Z');
    const runs: string[] = [];
    const s = new RefreshScheduler(
      async () => {
        runs.push(new Date().toISOString());
        last = new Date();
        return true;
      },
      () => new Date(last.getTime() + 24 * HOUR),
      () => 24,
      c,
    );
    s.start();
    await clock.tickAsync(0);
    assert.deepEqual(runs, [], 'reopening the editor 12 h after a refresh does not refetch');
    await clock.tickAsync(12 * HOUR);
    assert.deepEqual(runs, ['2026-11-21T12:00:00.000Z']);
    await clock.tickAsync(24 * HOUR);
    await clock.tickAsync(24 * HOUR);
    assert.deepEqual(runs, ['2026-11-21T12:00:00.000Z', '2026-11-22T12:00:00.000Z', '2026-11-23T12:00:00.000Z']);
    s.stop();
    await clock.tickAsync(100 * HOUR);
    assert.equal(runs.length, 3, 'stopped means stopped');
  });

  it('after a failure waits an hour instead of retrying in a loop', async () => {
    let calls = 0;
    const s = new RefreshScheduler(
      async () => {
        calls++;
        return false;
      },
      () => new Date(0),
      () => 168,
      c,
    );
    s.start();
    await clock.tickAsync(0);
    assert.equal(calls, 1);
    await clock.tickAsync(HOUR - 1);
    assert.equal(calls, 1);
    await clock.tickAsync(1);
    assert.equal(calls, 2);
    s.stop();
  });

  it('never runs two refreshes at once', async () => {
    let active = 0;
    let maxActive = 0;
    let due = new Date();
    const s = new RefreshScheduler(
      async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise((r) => setTimeout(r, 5 * HOUR));
        active--;
        due = new Date(Date.now() + HOUR);
        return true;
      },
      () => due,
      () => 1,
      c,
    );
    s.start();
    s.reschedule();
    await clock.tickAsync(0);
    s.reschedule();
    await clock.tickAsync(12 * HOUR);
    assert.equal(maxActive, 1);
    s.stop();
  });

  it('handles intervals longer than setTimeout allows (~24.8 days)', async () => {
    let calls = 0;
    const due = new Date(Date.now() + 60 * 24 * HOUR);
    const s = new RefreshScheduler(
      async () => {
        calls++;
        return true;
      },
      () => (calls ? new Date(8.64e15) : due),
      () => 60 * 24,
      c,
    );
    s.start();
    await clock.tickAsync(30 * 24 * HOUR);
    assert.equal(calls, 0);
    await clock.tickAsync(30 * 24 * HOUR);
    assert.equal(calls, 1);
    s.stop();
  });
});
