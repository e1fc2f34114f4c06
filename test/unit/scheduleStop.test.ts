import * as assert from 'node:assert/strict';
import FakeTimers from '@sinonjs/fake-timers';
import { nextRefreshDue, RefreshScheduler, type Clock } from '../../src/core/catalog/schedule';
import { catalogOf } from './helpers/catalog';

// The automatic refresh timer beyond schedule.test.ts: stopping leaves nothing behind, rescheduling follows the new due time.
const HOUR = 3_600_000;

describe('refresh schedule: stop and reschedule', () => {
  let clock: ReturnType<typeof FakeTimers.install>;
  let c: Clock;
  let due: Date;
  let runs: number;
  let result: () => Promise<boolean>;
  const scheduler = () =>
    new RefreshScheduler(
      () => {
        runs++;
        return result();
      },
      () => due,
      () => 24,
      c,
    );
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
    due = new Date(Date.now() + 10 * HOUR);
    runs = 0;
    result = async () => true;
  });
  afterEach(() => clock.uninstall());

  it('with no provider to refresh, nothing is ever due', () => {
    assert.equal(nextRefreshDue(catalogOf(), [], 24, new Date()).getTime(), 8.64e15);
  });

  it('stop leaves no timer behind', async () => {
    const s = scheduler();
    s.start();
    assert.equal(clock.countTimers(), 1);
    s.stop();
    assert.equal(clock.countTimers(), 0);
    s.reschedule();
    assert.equal(clock.countTimers(), 0, 'a stopped scheduler is not restarted by a reschedule');
  });

  it('a reschedule before start schedules nothing', () => {
    scheduler().reschedule();
    assert.equal(clock.countTimers(), 0);
  });

  it('stopping during a refresh: no timer is left after it ends, and nothing runs', async () => {
    let finish!: (ok: boolean) => void;
    result = () => new Promise<boolean>((r) => (finish = r));
    due = new Date();
    const s = scheduler();
    s.start();
    await clock.tickAsync(0);
    assert.equal(runs, 1);
    s.stop();
    due = new Date(Date.now() + HOUR);
    finish(true);
    await clock.tickAsync(0);
    assert.equal(clock.countTimers(), 0);
    await clock.tickAsync(48 * HOUR);
    assert.equal(runs, 1);
  });

  it('reschedule follows a new due time', async () => {
    const s = scheduler();
    s.start();
    due = new Date(Date.now() + HOUR);
    s.reschedule();
    await clock.tickAsync(HOUR);
    assert.equal(runs, 1, 'ran at the new due time, not the old one');
    s.stop();
  });

  it('a refresh that throws counts as a failure: the next try waits an hour', async () => {
    due = new Date();
    result = async () => {
      throw new Error('boom');
    };
    const s = scheduler();
    s.start();
    await clock.tickAsync(0);
    assert.equal(runs, 1);
    await clock.tickAsync(HOUR - 1);
    assert.equal(runs, 1);
    await clock.tickAsync(1);
    assert.equal(runs, 2);
    s.stop();
  });
});
