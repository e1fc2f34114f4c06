import * as assert from 'node:assert/strict';
import FakeTimers from '@sinonjs/fake-timers';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCallRecords } from '../../src/core/calls/callLog';
import { FakeOpenAI, type ChatBody } from '../support/fakeOpenAI';
import { fakeWorkspace, manyCases, promptFile, runWorkspace } from './helpers/suites';

const CHAT = '/v1/chat/completions';

describe('suite runner against a loopback OpenAI-compatible server', () => {
  let fake: FakeOpenAI;
  beforeEach(async () => {
    fake = await new FakeOpenAI().start();
  });
  let clock: ReturnType<typeof FakeTimers.install> | undefined;
  afterEach(async () => {
    // A test that failed with the clock installed must not leave the next ones on fake time.
    clock?.uninstall();
    clock = undefined;
    await fake.stop();
  });
  const chats = () => fake.requests.filter((r) => r.path === CHAT);

  it("sends the prompt's model, params and messages, with response_format for JSON prompts, and prices the answer", async () => {
    const root = fakeWorkspace(
      fake.baseURL,
      {
        'prompts/q.md': promptFile(
          'primary',
          'Be brief.\n\nuser:\n{{question}}',
          'temperature: 0.3\nmax_tokens: 50\noutput: {format: json}\n',
        ),
        'prompts/q.suite.yaml':
          'cases:\n  - name: one\n    vars: {question: "hello"}\n    assert: [{type: is-json}, {type: contains, value: hello}]\n',
      },
      '',
      'FAKE_KEY',
    );
    fake.reply = (b: ChatBody) => ({
      content: JSON.stringify({ echo: b.messages.at(-1)!.content }),
      usage: { prompt_tokens: 1000, completion_tokens: 500 },
    });
    const run = await runWorkspace(root, {
      env: { FAKE_KEY: 'test-key-123' },
      allowances: [{ host: '127.0.0.1', port: fake.port, source: 'flag' }],
    });
    const body = chats()[0]!.body as ChatBody;
    assert.equal(body.model, 'primary');
    assert.equal(body.temperature, 0.3);
    assert.equal(body.max_tokens, 50);
    assert.deepEqual(body.response_format, { type: 'json_object' });
    assert.deepEqual(body.messages, [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'hello' },
    ]);
    assert.equal(chats()[0]!.authorization, 'Bearer test-key-123');
    const c = run.cases[0]!;
    assert.equal(c.status, 'pass', JSON.stringify(c));
    assert.deepEqual(c.tokens, { input: 1000, output: 500 });
    // 1,000 × $1/M + 500 × $2/M
    assert.equal(c.costUsd, 0.002);
    assert.equal(run.totals.costUsd, 0.002);
    assert.equal(run.suites[0]!.totals.tokensIn, 1000);
  });

  it('retries a 429 after retry-after-ms and a 500, then passes', async () => {
    const root = fakeWorkspace(fake.baseURL, {
      'prompts/q.md': promptFile('primary'),
      'prompts/q.suite.yaml': manyCases(1),
    });
    fake.fail(
      CHAT,
      { kind: 'status', status: 429, headers: { 'retry-after-ms': '150' } },
      { kind: 'status', status: 500, headers: { 'retry-after-ms': '10' } },
    );
    const run = await runWorkspace(root);
    assert.equal(run.cases[0]!.status, 'pass');
    assert.equal(chats().length, 3);
    assert.ok(chats()[1]!.at - chats()[0]!.at >= 140, 'waited for retry-after-ms');
  });

  describe('a fault errors its case with the reason and the run goes on', () => {
    const faults: [string, Parameters<FakeOpenAI['fail']>[1][], RegExp, number?][] = [
      [
        '429 storm',
        Array.from({ length: 3 }, () => ({ kind: 'status' as const, status: 429, headers: { 'retry-after-ms': '5' } })),
        /rate limited/,
      ],
      [
        '500 after retries',
        Array.from({ length: 3 }, () => ({ kind: 'status' as const, status: 500, headers: { 'retry-after-ms': '5' } })),
        /server error/,
      ],
      ['malformed JSON body', [{ kind: 'malformed' }], /not valid JSON/],
      // The client backs off 0.5 s, then 1 s, between connection retries, so this case gets a longer timeout.
      [
        'connection reset',
        Array.from({ length: 3 }, () => ({ kind: 'reset' as const })),
        /cannot connect: .*(socket|closed)/i,
        2500,
      ],
      ['slow beyond the timeout', [{ kind: 'delay', ms: 3000 }], /no answer within 400 ms/],
      [
        'retry-after longer than the case has left',
        [{ kind: 'status', status: 429, headers: { 'retry-after': '3600' } }],
        /asked to wait 3600\.0 s/,
      ],
    ];
    for (const [name, queue, reason, timeoutMs = 400] of faults) {
      it(name, async () => {
        const root = fakeWorkspace(fake.baseURL, {
          'prompts/q.md': promptFile('primary'),
          'prompts/q.suite.yaml': manyCases(2),
        });
        fake.fail(CHAT, ...queue);
        const reply = fake.reply;
        let answered = 0;
        fake.reply = (b) => (answered++, reply(b));
        const run = await runWorkspace(root, { concurrency: 1, timeoutMs });
        // Ordering, not a stopwatch: when the run is back, only the second case's answer has been made; it never
        // waited for the faulty one (a slow answer is still being held by the server). A hang is mocha's timeout.
        assert.equal(answered, 1, 'the run did not wait for the faulty answer');
        const [first, second] = run.cases;
        assert.equal(first!.status, 'error');
        assert.match(first!.error!, reason);
        assert.equal(second!.status, 'pass', 'the next case is unaffected');
      });
    }
  });

  it('100 cases with a mix of faults: bounded concurrency, every case settles, no hang', async function () {
    this.timeout(30_000);
    const root = fakeWorkspace(fake.baseURL, {
      'prompts/q.md': promptFile('primary'),
      'prompts/q.suite.yaml': manyCases(100),
    });
    fake.chatLatencyMs = 20;
    fake.chatFaultFor = (n) => {
      if (n % 10 === 1) return { kind: 'status', status: 429, headers: { 'retry-after-ms': '30' } };
      if (n % 10 === 3) return { kind: 'status', status: 500, headers: { 'retry-after-ms': '10' } };
      if (n % 17 === 0) return { kind: 'reset' };
      if (n % 23 === 0) return { kind: 'malformed' };
      if (n % 29 === 0) return { kind: 'delay', ms: 5000 };
      return undefined;
    };
    const run = await runWorkspace(root, { concurrency: 8, timeoutMs: 1500 });
    assert.equal(run.cases.length, 100);
    // The bound as the server saw it; a hang is this test's timeout, speed belongs in the benchmark.
    assert.ok(fake.maxInFlight <= 8, `at most 8 requests in flight, saw ${fake.maxInFlight}`);
    assert.ok(fake.maxInFlight >= 2, `the cases did run concurrently (${fake.maxInFlight})`);
    assert.ok(
      run.cases.every((c) => c.status === 'pass' || (c.status === 'error' && c.error)),
      'each case passes or errors with a reason',
    );
    assert.ok(run.totals.passed >= 90, `most cases pass after retries (${run.totals.passed})`);
    assert.ok(run.totals.errors >= 1, 'malformed bodies and slow answers error their case');
    assert.equal(run.totals.cancelled, 0);
  });

  /** A fetch that notes each request the client sends, and whether the run was already cancelled then. */
  function recordingFetch(
    signal: AbortSignal,
    onResponse?: (res: Response) => void,
  ): { fetch: typeof globalThis.fetch; sent: number; sentAfterCancel: number } {
    const rec = {
      sent: 0,
      sentAfterCancel: 0,
      fetch: (async (input, init) => {
        rec.sent++;
        if (signal.aborted) rec.sentAfterCancel++;
        const res = await globalThis.fetch(input, init);
        onResponse?.(res);
        return res;
      }) as typeof globalThis.fetch,
    };
    return rec;
  }

  /** Resolves once the server has finished every answer it was holding (an event, polled). */
  async function drained(): Promise<void> {
    while (fake.inFlight > 0) await new Promise((r) => setTimeout(r, 10));
  }

  it('cancellation stops sending requests at once and reports the rest as cancelled', async () => {
    const root = fakeWorkspace(fake.baseURL, {
      'prompts/q.md': promptFile('primary'),
      'prompts/q.suite.yaml': manyCases(30),
    });
    fake.chatLatencyMs = 800;
    const ac = new AbortController();
    // Cancel as the third request arrives: two cases have been answered by then, two are in flight for 800 ms.
    fake.chatFaultFor = (n) => {
      if (n === 3) ac.abort();
      return undefined;
    };
    const rec = recordingFetch(ac.signal);
    const run = await runWorkspace(root, { concurrency: 2, signal: ac.signal, fetch: rec.fetch });
    assert.ok(
      fake.inFlight >= 1,
      'the run is back while the server still holds the answers in flight: it did not wait for them',
    );
    // Every worker that could still send has had its in-flight call settle by the time the server drains.
    await drained();
    assert.equal(rec.sentAfterCancel, 0, 'nothing is sent after cancellation');
    assert.ok(rec.sent <= 4, `only the cases in flight were sent (${rec.sent})`);
    assert.equal(run.cancelled, true);
    assert.deepEqual(
      run.cases.slice(0, 2).map((c) => c.status),
      ['pass', 'pass'],
    );
    assert.equal(run.totals.cancelled, 28);
    assert.ok(run.cases.slice(2).every((c) => c.status === 'cancelled' && c.error));
  });

  it('cancellation during a retry-after wait returns at once and never sends the retry', async () => {
    const root = fakeWorkspace(fake.baseURL, {
      'prompts/q.md': promptFile('primary'),
      'prompts/q.suite.yaml': manyCases(1),
    });
    const ac = new AbortController();
    fake.chatFaultFor = (n) =>
      n > 1 ? undefined : { kind: 'status', status: 429, headers: { 'retry-after-ms': '2000' } };
    // The client's retry-after sleep is a setTimeout: with it faked, that wait never ends on its own, so the run
    // can only come back through cancellation. Cancel once the 429 has reached the client.
    clock = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const rec = recordingFetch(ac.signal, (res) => {
        if (res.status === 429) setImmediate(() => ac.abort());
      });
      const run = await runWorkspace(root, { signal: ac.signal, fetch: rec.fetch });
      assert.equal(run.cases[0]!.status, 'cancelled');
      // Now let the wait end, and anything after it run: the retry is still never sent.
      await clock!.tickAsync(2_500);
      await drained();
      assert.equal(rec.sent, 1, 'the retry was never sent');
      assert.equal(fake.count(CHAT), 1);
    } finally {
      clock?.uninstall();
      clock = undefined;
    }
  });

  it("falls back to the prompt's fallback_model once when the model fails after retries, and records it", async () => {
    const root = fakeWorkspace(fake.baseURL, {
      'prompts/q.md': promptFile('primary', undefined, 'fallback_model: backup\n'),
      'prompts/q.suite.yaml': manyCases(1),
    });
    fake.reply = (b) =>
      b.model === 'primary'
        ? { status: 503, headers: { 'retry-after-ms': '5' } }
        : String(b.messages.at(-1)!.content).toUpperCase();
    const run = await runWorkspace(root, { maxRetries: 1 });
    const c = run.cases[0]!;
    assert.equal(c.status, 'pass');
    assert.equal(c.fallback, true);
    assert.equal(c.answeredBy, 'backup');
    assert.deepEqual(
      chats().map((r) => (r.body as ChatBody).model),
      ['primary', 'primary', 'backup'],
    );
    const records = readCallRecords(root);
    assert.deepEqual(
      records.map((r) => [r.model, r.fallback, r.status]),
      [
        ['primary', false, 'error'],
        ['backup', true, 'pass'],
      ],
    );
    assert.match(records[0]!.error!, /server error/);
  });

  it('uses the config fallbackModel when the prompt has none, and errors with both reasons when it fails too', async () => {
    const root = fakeWorkspace(
      fake.baseURL,
      { 'prompts/q.md': promptFile('primary'), 'prompts/q.suite.yaml': manyCases(1) },
      'fallbackModel: backup\n',
    );
    fake.reply = () => ({ status: 500, headers: { 'retry-after-ms': '1' } });
    const run = await runWorkspace(root, { maxRetries: 0 });
    const c = run.cases[0]!;
    assert.equal(c.status, 'error');
    assert.equal(c.fallback, true);
    assert.match(c.error!, /server error .*fallback model backup failed too/);
    assert.deepEqual(
      chats().map((r) => (r.body as ChatBody).model),
      ['primary', 'backup'],
    );
  });

  it('caches answers on disk: a re-run makes no request, --no-cache does, and errors are never cached', async () => {
    const root = fakeWorkspace(fake.baseURL, {
      'prompts/q.md': promptFile('primary'),
      'prompts/q.suite.yaml': manyCases(3),
    });
    fake.fail(CHAT, { kind: 'status', status: 500 });
    const first = await runWorkspace(root, { maxRetries: 0, concurrency: 1 });
    assert.deepEqual(
      first.cases.map((c) => c.status),
      ['error', 'pass', 'pass'],
    );
    assert.equal(chats().length, 3);
    assert.ok(fs.readdirSync(path.join(root, '.prompt-registry/cache')).length > 0);

    const second = await runWorkspace(root, { maxRetries: 0 });
    assert.deepEqual(
      second.cases.map((c) => [c.status, c.cached]),
      [
        ['pass', false],
        ['pass', true],
        ['pass', true],
      ],
    );
    assert.equal(chats().length, 4, 'only the case that errored is asked again');
    assert.equal(second.totals.cached, 2);
    assert.equal(second.cases[1]!.latencyMs, first.cases[1]!.latencyMs, 'a cached answer keeps its recorded latency');

    const third = await runWorkspace(root, { cache: false });
    assert.ok(third.cases.every((c) => !c.cached));
    assert.equal(chats().length, 7);
  });

  it('keys the cache by model and rendered messages', async () => {
    const root = fakeWorkspace(fake.baseURL, {
      'prompts/q.md': promptFile('primary'),
      'prompts/q.suite.yaml': manyCases(1),
    });
    await runWorkspace(root);
    await runWorkspace(root, { model: 'backup' });
    fs.writeFileSync(
      path.join(root, 'prompts/q.md'),
      promptFile('primary', 'Answer at length.\n\nuser:\n{{question}}'),
    );
    await runWorkspace(root);
    await runWorkspace(root);
    assert.equal(chats().length, 3);
  });

  it('logs one record per provider call with the prompt id and version, never the prompt text or the vars', async () => {
    const root = fakeWorkspace(
      fake.baseURL,
      {
        'prompts/secret.md': promptFile('primary', 'ZEBRA-TEMPLATE-TEXT says:\n\nuser:\n{{question}}'),
        'prompts/secret.suite.yaml':
          'cases:\n  - name: private case\n    vars: {question: "PLATYPUS-VALUE"}\n    assert: [{type: contains, value: PLATYPUS}]\n',
      },
      '',
      'FAKE_KEY',
    );
    await runWorkspace(root, {
      env: { FAKE_KEY: 'sk-live-abcdefghijklmnop' },
      allowances: [{ host: '127.0.0.1', port: fake.port, source: 'flag' }],
    });
    const dir = path.join(root, '.prompt-registry/calls');
    const raw = fs
      .readdirSync(dir)
      .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
      .join('');
    assert.doesNotMatch(raw, /zebra|platypus|answer briefly|sk-live/i);
    const [r] = readCallRecords(root);
    assert.equal(r!.promptId, 'secret');
    assert.match(r!.promptVersion, /^[0-9a-f]{40}$/);
    assert.equal(r!.model, 'primary');
    assert.equal(r!.provider, 'fake');
    assert.equal(r!.fallback, false);
    assert.match(r!.varsHash, /^[0-9a-f]{16}$/);
    assert.equal(r!.status, 'pass');
    assert.equal(r!.suite, 'prompts/secret.suite.yaml');
    assert.equal(r!.case, 'private case');
    assert.equal(typeof r!.latencyMs, 'number');
    assert.equal(r!.tokensIn, 10);
    assert.ok(r!.costUsd! > 0);
    assert.ok(!Number.isNaN(Date.parse(r!.ts)));
  });

  it('llm-rubric asks the configured grader and reports its reason', async () => {
    const root = fakeWorkspace(
      fake.baseURL,
      {
        'prompts/q.md': promptFile('primary'),
        'prompts/q.suite.yaml': [
          'cases:',
          '  - name: polite',
          '    vars: {question: "thanks"}',
          '    assert: [{type: llm-rubric, value: "is polite"}]',
          '  - name: scored',
          '    vars: {question: "hello"}',
          '    assert: [{type: llm-rubric, value: "is long", threshold: 0.8}]',
        ].join('\n'),
      },
      'grader:\n  model: judge\n',
    );
    fake.reply = (b) => {
      if (b.model !== 'judge') return String(b.messages.at(-1)!.content).toUpperCase();
      const polite = b.messages[1]!.content.includes('is polite');
      return JSON.stringify(
        polite ? { pass: true, score: 1, reason: 'says thanks' } : { pass: true, score: 0.3, reason: 'one word' },
      );
    };
    const run = await runWorkspace(root);
    assert.equal(run.cases[0]!.status, 'pass');
    assert.match(run.cases[0]!.assertions[0]!.message, /says thanks/);
    const scored = run.cases[1]!;
    assert.equal(scored.status, 'fail', 'a score under the threshold fails even when pass is true');
    assert.match(
      scored.assertions[0]!.message,
      /Expected the answer to meet the rubric "is long"; the grader says: one word \(score 0\.3, threshold 0\.8\); got "HELLO"/,
    );
    const judge = chats().find((r) => (r.body as ChatBody).model === 'judge')!.body as ChatBody;
    assert.deepEqual(judge.response_format, { type: 'json_object' });
    const kinds = readCallRecords(root)
      .map((r) => r.kind)
      .sort();
    assert.deepEqual(kinds, ['case', 'case', 'grader', 'grader']);
  });

  it('--provider echo runs every case offline, whatever the model', async () => {
    const root = fakeWorkspace(fake.baseURL, {
      'prompts/q.md': promptFile('primary'),
      'prompts/q.suite.yaml':
        'cases:\n  - name: one\n    vars: {question: "ping"}\n    assert: [{type: equals, value: "system:\\nAnswer briefly.\\n\\nuser:\\nping"}]\n',
    });
    const run = await runWorkspace(root, { provider: 'echo' });
    assert.equal(run.cases[0]!.status, 'pass', JSON.stringify(run.cases[0]));
    assert.equal(run.cases[0]!.provider, 'echo');
    assert.equal(chats().length, 0);
  });

  it('a config provider of type echo is selected for its models', async () => {
    const root = fakeWorkspace(
      fake.baseURL,
      {
        'prompts/q.md': promptFile('local/anything'),
        'prompts/q.suite.yaml': manyCases(1).replace('Q0', 'q0'),
      },
      '  - name: local\n    type: echo\n',
    );
    const run = await runWorkspace(root);
    assert.equal(run.cases[0]!.status, 'pass', JSON.stringify(run.cases[0]));
    assert.equal(run.cases[0]!.provider, 'local');
    assert.equal(chats().length, 0);
  });

  it('a suite with errors is not run and says where; a case that cannot render errors alone', async () => {
    const root = fakeWorkspace(fake.baseURL, {
      'prompts/q.md': promptFile('primary'),
      'prompts/q.suite.yaml': 'cases:\n  - name: ok\n    vars: {question: a}\n  - name: no vars\n',
      'prompts/bad.suite.yaml': 'prompt: nope\ncases: [{name: x}]\n',
    });
    const run = await runWorkspace(root);
    const bad = run.suites.find((s) => s.suite === 'prompts/bad.suite.yaml')!;
    assert.match(bad.problems[0]!, /^prompts\/bad\.suite\.yaml:1:9 No prompt with id "nope"/);
    const q = run.cases.filter((c) => c.suite === 'prompts/q.suite.yaml');
    assert.deepEqual(
      q.map((c) => c.status),
      ['pass', 'error'],
    );
    assert.match(q[1]!.error!, /missing required input "question" \(prompts\/q\.suite\.yaml:4:11\)/);
    assert.equal(chats().length, 1);
  });
});
