import type { Catalog } from './types';

const HOUR = 3_600_000;
/** setTimeout's ceiling (~24.8 days); longer waits are taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** After a failed refresh, try again sooner than a whole interval, but not in a loop. */
const RETRY_AFTER_FAILURE_MS = HOUR;

/**
 * When the catalog is next due: the oldest provider's last refresh plus the
 * interval, read from the committed catalog, so reopening the editor does not
 * refetch. A provider never refreshed is due now.
 */
export function nextRefreshDue(
  catalog: Catalog | undefined,
  providers: string[],
  intervalHours: number,
  now: Date,
): Date {
  if (providers.length === 0) return new Date(8.64e15);
  let oldest = Infinity;
  for (const p of providers) {
    const t = Date.parse(catalog?.providers[p]?.lastRefresh ?? '');
    if (Number.isNaN(t)) return now;
    oldest = Math.min(oldest, t);
  }
  return new Date(oldest + intervalHours * HOUR);
}

export interface Clock {
  now(): Date;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => new Date(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/**
 * Runs `refresh` whenever `dueAt()` has passed: once at start if due, then on a
 * timer. Never two at once; a failure waits an hour (or the interval, if shorter)
 * before the next try instead of retrying in a loop.
 */
export class RefreshScheduler {
  private timer: unknown;
  private running = false;
  private stopped = true;
  private failedAt?: number;

  constructor(
    private readonly refresh: () => Promise<boolean>,
    private readonly dueAt: () => Date,
    private readonly intervalHours: () => number,
    private readonly clock: Clock = systemClock,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Call after a manual refresh or a config change: recomputes the next due time. */
  reschedule(): void {
    this.failedAt = undefined;
    if (!this.stopped) this.schedule();
  }

  private schedule(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    // A refresh in flight schedules the next one when it ends.
    if (this.running) return;
    const now = this.clock.now().getTime();
    let due = this.dueAt().getTime();
    if (this.failedAt !== undefined)
      due = Math.max(due, this.failedAt + Math.min(RETRY_AFTER_FAILURE_MS, this.intervalHours() * HOUR));
    const wait = Math.min(Math.max(0, due - now), MAX_TIMER_MS);
    this.timer = this.clock.setTimeout(() => void this.tick(due), wait);
  }

  private async tick(due: number): Promise<void> {
    this.timer = undefined;
    if (this.stopped) return;
    if (this.clock.now().getTime() < due) {
      this.schedule();
      return;
    }
    this.running = true;
    let ok = false;
    try {
      ok = await this.refresh();
    } catch {
      ok = false;
    } finally {
      this.running = false;
    }
    this.failedAt = ok ? undefined : this.clock.now().getTime();
    if (!this.stopped) this.schedule();
  }
}
