import * as assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Assertion } from '../../src/core/suite/types';
import { parseConfig } from '../../src/core/config/load';
import type { PlannedCase, PlannedSuite } from '../../src/core/run/plan';
import { runSuites, type RunOptions } from '../../src/core/run/runner';
import { tmpDir } from './helpers/tmp';

const SECRET = 'gw-secret-0123456789';
const config = parseConfig(
  'providers:\n  - name: gw\n    baseURL: http://gw.example:9000/v1\n    apiKeyEnv: GW_KEY\n',
  '/x/prompt-registry.yaml',
  {},
).config;
const planned: PlannedCase = {
  id: 's#a',
  suiteFile: '/x/s.suite.yaml',
  suite: 's.suite.yaml',
  caseName: 'a',
  caseIndex: 0,
  model: 'gw/m',
  vars: {},
  messages: [{ role: 'user', content: 'hi' }],
  params: {},
  json: false,
  assertions: [],
};
const suite: PlannedSuite = { file: '/x/s.suite.yaml', suite: 's.suite.yaml', cases: [planned], problems: [] };

/** A fetch that answers every request with `status` and `body`, recording what it was sent. */
function server(status: number, body: unknown) {
  const sent: { url: string; authorization: string | null }[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    sent.push({ url: String(input), authorization: new Headers(init?.headers).get('authorization') });
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as typeof globalThis.fetch;
  return { sent, fetch };
}
const run = (fetch: typeof globalThis.fetch, over: Partial<RunOptions> = {}) =>
  runSuites([suite], {
    root: tmpDir('pr-guard-'),
    config,
    env: { GW_KEY: SECRET },
    fetch,
    maxRetries: 0,
    cache: false,
    callLog: false,
    ...over,
  });

describe('runner: keys and secrets in a run', () => {
  it('a refused key: the case errors with the reason and no request is made', async () => {
    const s = server(200, {});
    const r = await run(s.fetch);
    const c = r.cases[0]!;
    assert.equal(c.status, 'error');
    assert.equal(c.errorKind, 'key-refused');
    assert.equal(c.error, 'gw: GW_KEY is not sent to http://gw.example:9000: that host is not allowed for it');
    assert.equal(c.provider, 'gw');
    assert.deepEqual(s.sent, []);
  });

  it('an allowed key is sent; a provider error that quotes it reaches the result redacted', async () => {
    const s = server(401, {
      error: { message: `Incorrect API key provided: ${SECRET}`, type: 'invalid_request_error' },
    });
    const r = await run(s.fetch, { allowances: [{ host: 'gw.example', port: 9000, source: 'flag' }] });
    assert.deepEqual(s.sent, [
      { url: 'http://gw.example:9000/v1/chat/completions', authorization: `Bearer ${SECRET}` },
    ]);
    const c = r.cases[0]!;
    assert.equal(c.status, 'error');
    assert.ok(c.error?.includes('Incorrect API key provided: [redacted]'), c.error);
    assert.ok(!JSON.stringify(r).includes(SECRET));
  });
});

describe('runner: what a run never does', () => {
  const ok = () =>
    server(200, {
      id: 'c1',
      object: 'chat.completion',
      created: 0,
      model: 'm',
      choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    });
  const allowed = [{ host: 'gw.example', port: 9000, source: 'flag' as const }];

  it('cancelled before its call: the case sends nothing', async () => {
    const s = ok();
    const ac = new AbortController();
    const r = await run(s.fetch, { allowances: allowed, signal: ac.signal, onCaseStart: () => ac.abort() });
    assert.equal(r.cases[0]!.status, 'cancelled');
    assert.equal(r.cases[0]!.errorKind, 'cancelled');
    assert.equal(r.cancelled, true);
    assert.deepEqual(s.sent, []);
  });

  it('cancelled during its call: no fallback is tried', async () => {
    const ac = new AbortController();
    const sent: string[] = [];
    const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
      sent.push(String(input));
      ac.abort();
      return new Promise<Response>((_, reject) => {
        const signal = init?.signal;
        if (signal?.aborted) reject(new DOMException('aborted', 'AbortError'));
        signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    }) as typeof globalThis.fetch;
    const withFallback: PlannedSuite = { ...suite, cases: [{ ...planned, fallbackModel: 'gw/backup' }] };
    const r = await runSuites([withFallback], {
      root: tmpDir('pr-guard-'),
      config,
      env: { GW_KEY: SECRET },
      fetch,
      maxRetries: 0,
      cache: false,
      callLog: false,
      allowances: allowed,
      signal: ac.signal,
    });
    const c = r.cases[0]!;
    assert.equal(c.status, 'cancelled');
    assert.equal(c.errorKind, 'cancelled');
    assert.equal(c.fallback, false);
    assert.equal(sent.length, 1);
  });

  it('with the cache off, an answer is used and nothing is written', async () => {
    const s = ok();
    const root = tmpDir('pr-guard-');
    const r = await run(s.fetch, { root, allowances: allowed, cache: false });
    assert.equal(r.cases[0]!.status, 'pass');
    assert.equal(r.cases[0]!.output, 'ok');
    assert.equal(fs.existsSync(path.join(root, '.prompt-registry')), false);
  });

  it('echo answers are never cached', async () => {
    const root = tmpDir('pr-guard-');
    const r = await run(ok().fetch, { root, provider: 'echo', cache: true });
    assert.equal(r.cases[0]!.status, 'pass');
    assert.equal(r.cases[0]!.cached, false);
    assert.equal(fs.existsSync(path.join(root, '.prompt-registry', 'cache')), false);
  });

  it('echo cannot grade an llm-rubric: the assertion errors, nothing is sent', async () => {
    const s = ok();
    const echoes = parseConfig(
      'providers:\n  - name: e\n    type: echo\ngrader:\n  model: judge\n  provider: e\n',
      '/x/prompt-registry.yaml',
      {},
    ).config;
    const rubric: Assertion = {
      type: 'llm-rubric',
      base: 'llm-rubric',
      negate: false,
      value: 'is polite',
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      fromDefaults: false,
    };
    const graded: PlannedSuite = { ...suite, cases: [{ ...planned, model: 'e/m', assertions: [rubric] }] };
    const r = await runSuites([graded], {
      root: tmpDir('pr-guard-'),
      config: echoes,
      fetch: s.fetch,
      cache: false,
      callLog: false,
    });
    const c = r.cases[0]!;
    assert.equal(c.status, 'error');
    assert.match(c.assertions[0]!.message, /the echo provider cannot grade; run llm-rubric on a real provider/);
    assert.deepEqual(s.sent, []);
  });

  it('a bug of ours errors that case alone, with any key in its message redacted', async () => {
    const broken = {
      ...planned,
      id: 's#broken',
      assertions: {
        [Symbol.iterator]() {
          throw new Error(`boom with ${SECRET}`);
        },
      } as unknown as Assertion[],
    };
    const r = await runSuites([{ ...suite, cases: [broken, { ...planned, model: 'e/m' }] }], {
      root: tmpDir('pr-guard-'),
      config,
      env: { GW_KEY: SECRET },
      provider: 'echo',
      cache: false,
      callLog: false,
    });
    assert.equal(r.cases[0]!.status, 'error');
    assert.equal(r.cases[0]!.error, 'internal error: boom with [redacted]');
    assert.ok(r.cases[0]!.durationMs >= 0 && r.cases[0]!.durationMs <= r.durationMs + 1, JSON.stringify(r));
    assert.equal(r.cases[1]!.status, 'pass');
  });
});

describe('runner: what each case reports', () => {
  const reply = (content: string) => ({
    id: 'c1',
    object: 'chat.completion',
    created: 0,
    model: 'm',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
  });
  const allowed = [{ host: 'gw.example', port: 9000, source: 'flag' as const }];

  it('a blocked case, or one with nothing to send, errors with why and calls nothing', async () => {
    const s = server(200, reply('ok'));
    const cases: PlannedCase[] = [
      { ...planned, id: 's#blocked', blocked: 'the suite has errors: x' },
      { ...planned, id: 's#empty', messages: undefined },
      { ...planned, id: 's#nomodel', model: undefined },
    ];
    const blocked = await runSuites([{ ...suite, cases }], {
      root: tmpDir('pr-guard-'),
      config,
      env: { GW_KEY: SECRET },
      fetch: s.fetch,
      allowances: allowed,
      cache: false,
      callLog: false,
    });
    assert.deepEqual(
      blocked.cases.map((c) => [c.id, c.status, c.error]),
      [
        ['s#blocked', 'error', 'the suite has errors: x'],
        ['s#empty', 'error', 'nothing to run'],
        ['s#nomodel', 'error', 'nothing to run'],
      ],
    );
    assert.deepEqual(blocked.cases[0], {
      id: 's#blocked',
      suite: 's.suite.yaml',
      suiteFile: '/x/s.suite.yaml',
      caseName: 'a',
      caseIndex: 0,
      promptId: undefined,
      model: 'gw/m',
      fallback: false,
      assertions: [],
      latencyMs: 0,
      tokens: { input: 0, output: 0 },
      cached: false,
      durationMs: 0,
      status: 'error',
      error: 'the suite has errors: x',
    });
    assert.deepEqual(s.sent, []);
  });

  it('times are measured, not made up: each within the wall time of the run', async () => {
    const s = server(200, reply('ok'));
    const t0 = performance.now();
    const r = await run(s.fetch, { allowances: allowed, cache: false });
    const refused = await run(s.fetch, { cache: false });
    const wall = performance.now() - t0 + 1;
    const c = r.cases[0]!;
    assert.equal(c.status, 'pass');
    assert.ok(c.latencyMs >= 0 && c.latencyMs <= wall, `latency ${c.latencyMs} of ${wall}`);
    assert.ok(c.durationMs >= c.latencyMs - 1 && c.durationMs <= wall, `duration ${c.durationMs} of ${wall}`);
    assert.ok(r.durationMs >= 0 && r.durationMs <= wall, `run ${r.durationMs} of ${wall}`);
    const e = refused.cases[0]!;
    assert.ok(e.latencyMs >= 0 && e.latencyMs <= wall && e.durationMs <= wall, JSON.stringify(e));
    assert.deepEqual(c.tokens, { input: 3, output: 2 });
  });

  it("each suite's totals count its own cases only", async () => {
    const two: PlannedSuite = { ...suite, file: '/x/t.suite.yaml', suite: 't.suite.yaml', cases: [planned, planned] };
    const r = await runSuites([suite, two], {
      root: tmpDir('pr-guard-'),
      config,
      provider: 'echo',
      cache: false,
      callLog: false,
    });
    assert.deepEqual(
      r.suites.map((x) => [x.suite, x.totals.cases]),
      [
        ['s.suite.yaml', 1],
        ['t.suite.yaml', 2],
      ],
    );
    assert.equal(r.totals.cases, 3);
  });

  it('an llm-rubric asks the grader named in the config, at temperature 0', async () => {
    const bodies: { model: string; temperature?: number }[] = [];
    const fetch = (async (_input: string | URL | Request, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body)) as { model: string; temperature?: number };
      bodies.push(body);
      const content = bodies.length === 1 ? 'the answer' : '{"pass": true, "reason": "fine"}';
      return new Response(JSON.stringify(reply(content)), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    }) as typeof globalThis.fetch;
    const graded = parseConfig(
      'providers:\n  - name: first\n    type: echo\n  - name: gw\n    baseURL: http://gw.example:9000/v1\n    apiKeyEnv: GW_KEY\ngrader:\n  model: judge\n  provider: gw\n',
      '/x/prompt-registry.yaml',
      {},
    ).config;
    const rubric: Assertion = {
      type: 'llm-rubric',
      base: 'llm-rubric',
      negate: false,
      value: 'is polite',
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      fromDefaults: false,
    };
    const r = await runSuites([{ ...suite, cases: [{ ...planned, assertions: [rubric] }] }], {
      root: tmpDir('pr-guard-'),
      config: graded,
      env: { GW_KEY: SECRET },
      fetch,
      allowances: allowed,
      cache: false,
      callLog: false,
      maxRetries: 0,
    });
    assert.equal(r.cases[0]!.status, 'pass', JSON.stringify(r.cases[0]));
    assert.deepEqual(
      bodies.map((b) => [b.model, b.temperature]),
      [
        ['m', undefined],
        ['judge', 0],
      ],
    );
  });
});

describe('runner: a call that cannot be made or does not end', () => {
  const allowed = [{ host: 'gw.example', port: 9000, source: 'flag' as const }];
  /** Answers only by rejecting once aborted, like a server that never replies. */
  const silent = (async (_input: string | URL | Request, init?: RequestInit) =>
    new Promise<Response>((_, reject) => {
      const signal = init?.signal;
      if (signal?.aborted) reject(new DOMException('aborted', 'AbortError'));
      signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
    })) as typeof globalThis.fetch;

  it('an unknown --provider errors each case with the reason, on that provider, and sends nothing', async () => {
    const s = server(200, {});
    const r = await run(s.fetch, { allowances: allowed, provider: 'nope' });
    const c = r.cases[0]!;
    assert.equal(c.status, 'error');
    assert.equal(c.errorKind, 'http');
    assert.equal(c.provider, 'nope');
    assert.equal(c.error, 'nope: No provider named "nope" (configured: gw; built-in: echo)');
    assert.deepEqual(s.sent, []);
  });

  it('no answer within the case timeout: a timeout error that names the limit', async () => {
    const r = await run(silent, { allowances: allowed, timeoutMs: 40 });
    const c = r.cases[0]!;
    assert.equal(c.status, 'error');
    assert.equal(c.errorKind, 'timeout');
    assert.equal(c.error, 'gw: no answer within 40 ms (the case timeout)');
  });

  it("a call releases its timer and its listener on the run's signal when it ends", async () => {
    const ac = new AbortController();
    const timers = () => process.getActiveResourcesInfo().filter((x) => x === 'Timeout').length;
    await new Promise((resolve) => setImmediate(resolve)); // mocha arms its own test timer once the test awaits
    const before = timers();
    const s = server(200, {
      id: 'c1',
      object: 'chat.completion',
      created: 0,
      model: 'm',
      choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
    });
    const r = await runSuites([{ ...suite, cases: [planned, { ...planned, id: 's#b' }, { ...planned, id: 's#c' }] }], {
      root: tmpDir('pr-guard-'),
      config,
      env: { GW_KEY: SECRET },
      fetch: s.fetch,
      allowances: allowed,
      maxRetries: 0,
      cache: false,
      callLog: false,
      signal: ac.signal,
    });
    assert.deepEqual(
      r.cases.map((c) => c.status),
      ['pass', 'pass', 'pass'],
    );
    assert.equal(getEventListeners(ac.signal, 'abort').length, 0);
    // The default case timeout is a minute: a timer left behind would still be pending here.
    assert.equal(timers(), before);
  });
});
