import * as assert from 'node:assert/strict';
import { runPassed, summarize, type CaseResult, type RunResult, type Totals } from '../../src/core/run/results';

const result = (over: Partial<CaseResult>): CaseResult => ({
  id: 'x',
  suite: 's',
  suiteFile: '/s',
  caseName: 'x',
  caseIndex: 0,
  fallback: false,
  status: 'pass',
  assertions: [],
  latencyMs: 0,
  tokens: { input: 0, output: 0 },
  cached: false,
  durationMs: 0,
  ...over,
});

describe('results: the totals of a run', () => {
  it('nothing ran: all zero, pass rate 0', () => {
    assert.deepEqual(summarize([]), {
      cases: 0,
      passed: 0,
      failed: 0,
      errors: 0,
      cancelled: 0,
      passRate: 0,
      p50LatencyMs: 0,
      p95LatencyMs: 0,
      tokensIn: 0,
      tokensOut: 0,
      costUsd: 0,
      unpriced: 0,
      cached: 0,
    } satisfies Totals);
  });

  it('counts each status, sums tokens and cost, and counts answers with no price and answers from the cache', () => {
    const t = summarize([
      result({ status: 'pass', output: 'a', latencyMs: 300, tokens: { input: 10, output: 1 }, costUsd: 0.5 }),
      result({ status: 'pass', output: 'b', latencyMs: 100, tokens: { input: 20, output: 2 }, cached: true }),
      result({ status: 'fail', output: 'c', latencyMs: 200, tokens: { input: 30, output: 3 }, costUsd: 0.25 }),
      result({ status: 'error', error: 'boom', latencyMs: 9000 }),
      result({ status: 'cancelled', error: 'cancelled' }),
    ]);
    assert.deepEqual(t, {
      cases: 5,
      passed: 2,
      failed: 1,
      errors: 1,
      cancelled: 1,
      passRate: 0.4,
      // Only answered cases have a latency that counts: 100, 200, 300.
      p50LatencyMs: 200,
      p95LatencyMs: 300,
      tokensIn: 60,
      tokensOut: 6,
      costUsd: 0.75,
      // The second answer has no price; the error and the cancelled case have no answer to price.
      unpriced: 1,
      cached: 1,
    } satisfies Totals);
  });

  it('latency percentiles sort the answered latencies numerically', () => {
    const latencies = [900, 80, 1000, 70, 60, 50, 40, 30, 20, 10];
    const t = summarize(latencies.map((latencyMs) => result({ output: 'x', latencyMs })));
    assert.equal(t.p50LatencyMs, 50);
    assert.equal(t.p95LatencyMs, 1000);
    assert.equal(t.passRate, 1);
  });

  it('an empty answer is an answer', () => {
    const t = summarize([result({ output: '', latencyMs: 5 })]);
    assert.equal(t.unpriced, 1);
    assert.equal(t.p50LatencyMs, 5);
  });
});

describe('results: whether a run passed (exit code 0)', () => {
  const run = (cases: CaseResult[], problems: string[][] = [[]]): RunResult => ({
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 0,
    cancelled: false,
    cases,
    suites: problems.map((p) => ({ suite: 's', file: '/s', problems: p, totals: summarize(cases) })),
    totals: summarize(cases),
  });

  it('every case passed and no suite was stopped', () => {
    assert.equal(runPassed(run([result({}), result({})])), true);
    assert.equal(runPassed(run([])), true);
  });

  it('one case that did not pass, or one stopped suite, fails the run', () => {
    for (const status of ['fail', 'error', 'cancelled'] as const) {
      assert.equal(runPassed(run([result({}), result({ status })])), false, status);
    }
    assert.equal(runPassed(run([result({})], [[], ['s:1:1 bad']])), false);
    assert.equal(runPassed(run([], [['s:1:1 bad']])), false);
  });
});
