import * as assert from 'node:assert/strict';
import { fetchProviderModels, normalizeModel, type FetchOptions } from '../../src/core/catalog/fetch';
import type { ResolvedProvider } from '../../src/core/config/load';
import { ProviderError } from '../../src/core/providers/errors';

const KEY = 'sk-test-SECRET0123456789abcdef';
const remote: ResolvedProvider = {
  name: 'remote',
  type: 'openai',
  baseURL: 'https://api.example.test/v1',
  apiKeyEnv: 'REMOTE_KEY',
  apiKeyEnvExplicit: true,
};
const local: ResolvedProvider = {
  name: 'local',
  type: 'openai',
  baseURL: 'http://127.0.0.1:9/v1',
  apiKeyEnv: 'OPENAI_API_KEY',
};

interface Seen {
  url: string;
  authorization: string | null;
}

/** An injected fetch answering each request with `answer(n)` (1-based); nothing leaves the process. */
function fake(answer: (n: number) => Response | unknown) {
  const seen: Seen[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    seen.push({
      url: String(input instanceof Request ? input.url : input),
      authorization: headers.get('authorization'),
    });
    const a = answer(seen.length);
    return a instanceof Response
      ? a
      : new Response(JSON.stringify(a), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof globalThis.fetch;
  return { fetch, seen };
}

async function fails(p: Promise<unknown>, kind: string, message: string, status?: number): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ProviderError, `a ProviderError, got ${String(e)}`);
    assert.equal(e.kind, kind);
    assert.equal(e.message, message);
    assert.equal(e.status, status);
    return true;
  });
}

const opts = (f: ReturnType<typeof fake>, o: FetchOptions = {}): FetchOptions => ({
  apiKey: KEY,
  maxRetries: 0,
  fetch: f.fetch,
  ...o,
});

describe('fetchProviderModels', () => {
  it('lists every model, normalized, asking the configured base URL with the key', async () => {
    const f = fake(() => ({
      data: [
        { id: ' a ', name: 'A' },
        { id: 'b', context_length: 1000, pricing: { prompt: '0.000001', completion: '0.000002' } },
      ],
    }));
    assert.deepEqual(await fetchProviderModels(remote, opts(f)), [
      { id: 'a', displayName: 'A' },
      { id: 'b', contextWindow: 1000, inputPricePer1M: 1, outputPricePer1M: 2 },
    ]);
    assert.deepEqual(f.seen, [{ url: 'https://api.example.test/v1/models', authorization: `Bearer ${KEY}` }]);
  });

  for (const apiKey of [undefined, '']) {
    it(`without a key (${JSON.stringify(apiKey)}) a provider that needs one is refused before any request`, async () => {
      const f = fake(() => ({ data: [] }));
      await fails(
        fetchProviderModels(remote, opts(f, { apiKey })),
        'no-key',
        'remote: no API key: set the REMOTE_KEY environment variable',
      );
      assert.equal(f.seen.length, 0);
    });

    it(`without a key (${JSON.stringify(apiKey)}) a local server is asked with a placeholder key`, async () => {
      const f = fake(() => ({ data: [{ id: 'llama' }] }));
      assert.deepEqual(await fetchProviderModels(local, opts(f, { apiKey })), [{ id: 'llama' }]);
      assert.deepEqual(f.seen, [{ url: 'http://127.0.0.1:9/v1/models', authorization: 'Bearer no-key' }]);
    });
  }

  it('a local server given a key gets that key', async () => {
    const f = fake(() => ({ data: [] }));
    await fetchProviderModels(local, opts(f));
    assert.equal(f.seen[0]!.authorization, `Bearer ${KEY}`);
  });

  it('a paging problem keeps its kind and message, named by provider', async () => {
    const f = fake(() => ({ data: [{ id: 'a' }], has_more: true, last_id: 'a' }));
    await fails(
      fetchProviderModels(remote, opts(f)),
      'paging',
      'remote: the model list loops: page 2 points again to a',
    );
    const notList = fake(() => ({ error: 'x' }));
    await fails(
      fetchProviderModels(remote, opts(notList)),
      'not-a-list',
      'remote: the response is not a model list (expected {"data": [...]})',
    );
  });

  it('passes its paging limits on', async () => {
    const f = fake((n) => ({ data: [{ id: `m${n}` }], has_more: true, last_id: `m${n}` }));
    await fails(
      fetchProviderModels(remote, opts(f, { paging: { maxPages: 2 } })),
      'paging',
      'remote: the model list has more than 2 pages',
    );
    assert.equal(f.seen.length, 2);
  });

  it('an HTTP error becomes a provider error with the key redacted', async () => {
    const f = fake(
      () =>
        new Response(JSON.stringify({ error: { message: `bad key ${KEY}` } }), {
          status: 401,
          headers: { 'content-type': 'application/json' },
        }),
    );
    await assert.rejects(fetchProviderModels(remote, opts(f)), (e: unknown) => {
      assert.ok(e instanceof ProviderError);
      assert.equal(e.kind, 'auth');
      assert.equal(e.status, 401);
      assert.ok(!e.message.includes(KEY), e.message);
      assert.match(e.message, /^remote: the API key was rejected/);
      return true;
    });
  });

  it('a body that is not JSON is malformed', async () => {
    const f = fake(() => new Response('<html>', { status: 200 }));
    await fails(fetchProviderModels(remote, opts(f)), 'malformed', 'remote: the response is not valid JSON');
  });

  it('an invalid list is refused whole, with the reason', async () => {
    const f = fake(() => ({ data: [{ id: 'a' }, { id: 'a' }] }));
    await fails(
      fetchProviderModels(remote, opts(f)),
      'invalid-list',
      'remote: the model list is invalid: model id "a" is listed twice (models 1 and 2)',
    );
  });

  const retrying = () =>
    fake(
      () =>
        new Response('{"error":{"message":"busy"}}', {
          status: 503,
          headers: { 'content-type': 'application/json', 'retry-after-ms': '0' },
        }),
    );

  it('retries twice by default, then reports the server error', async () => {
    const f = retrying();
    await fails(
      fetchProviderModels(remote, { apiKey: KEY, fetch: f.fetch }),
      'server',
      'remote: server error (503 busy)',
      503,
    );
    assert.equal(f.seen.length, 3);
  });

  it('takes a retry count', async () => {
    const f = retrying();
    await assert.rejects(fetchProviderModels(remote, opts(f, { maxRetries: 1 })), ProviderError);
    assert.equal(f.seen.length, 2);
  });

  it('takes a per-attempt timeout', async () => {
    const fetch = ((_: unknown, init?: RequestInit) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal!.reason ?? new Error('aborted')));
      })) as typeof globalThis.fetch;
    const started = Date.now();
    await fails(
      fetchProviderModels(remote, { apiKey: KEY, maxRetries: 0, timeoutMs: 30, fetch }),
      'timeout',
      'remote: the request timed out',
    );
    assert.ok(Date.now() - started < 5000);
  });
});

describe('normalizeModel', () => {
  it('skips what has no usable id', () => {
    for (const item of [
      null,
      undefined,
      0,
      '',
      'a',
      5,
      true,
      {},
      { id: 5 },
      { id: '' },
      { id: '   ' },
      { name: 'x' },
    ]) {
      assert.equal(normalizeModel(item), undefined, JSON.stringify(item));
    }
  });

  it('keeps only the trimmed id when nothing else is known', () => {
    assert.deepEqual(normalizeModel({ id: ' gpt-x ', object: 'model', owned_by: 'me', created: 1 }), { id: 'gpt-x' });
  });

  describe('display name', () => {
    const nameOf = (r: Record<string, unknown>) => normalizeModel({ id: 'm', ...r })?.displayName;

    it('reads name (OpenRouter) before display_name (Anthropic), trimmed', () => {
      assert.equal(nameOf({ name: ' GPT X ' }), 'GPT X');
      assert.equal(nameOf({ display_name: ' Claude ' }), 'Claude');
      assert.equal(nameOf({ name: 'N', display_name: 'D' }), 'N');
    });

    it('falls back to display_name when name is blank or not a string', () => {
      assert.equal(nameOf({ name: '  ', display_name: 'D' }), 'D');
      assert.equal(nameOf({ name: '', display_name: 'D' }), 'D');
      assert.equal(nameOf({ name: 5, display_name: 'D' }), 'D');
    });

    it('has none when neither is a non-blank string', () => {
      for (const r of [
        {},
        { name: '  ' },
        { display_name: '  ' },
        { display_name: 7 },
        { name: 7, display_name: null },
      ]) {
        assert.equal(nameOf(r), undefined, JSON.stringify(r));
        assert.ok(!('displayName' in normalizeModel({ id: 'm', ...r })!), 'no key at all');
      }
    });
  });

  describe('context window', () => {
    const ctxOf = (r: Record<string, unknown>) => normalizeModel({ id: 'm', ...r })?.contextWindow;

    it('reads context_length, then context_window, then top_provider.context_length', () => {
      assert.equal(ctxOf({ context_length: 100, context_window: 200, top_provider: { context_length: 300 } }), 100);
      assert.equal(ctxOf({ context_window: 200, top_provider: { context_length: 300 } }), 200);
      assert.equal(ctxOf({ top_provider: { context_length: 300 } }), 300);
      assert.equal(ctxOf({ context_length: 'x', context_window: 200 }), 200);
      assert.equal(ctxOf({ context_length: '', context_window: 200 }), 200);
      assert.equal(ctxOf({ context_length: ' ', top_provider: { context_length: 300 } }), 300);
    });

    it('reads numeric strings and rounds', () => {
      assert.equal(ctxOf({ context_length: '8192' }), 8192);
      assert.equal(ctxOf({ context_length: ' 4096 ' }), 4096);
      assert.equal(ctxOf({ context_length: 1000.6 }), 1001);
      assert.equal(ctxOf({ context_length: 1000.4 }), 1000);
    });

    it('has none when it is zero, negative, not finite or absent', () => {
      for (const context_length of [
        0,
        -1,
        '-5',
        '0',
        Number.POSITIVE_INFINITY,
        Number.NaN,
        'Infinity',
        null,
        true,
        {},
      ]) {
        assert.equal(ctxOf({ context_length }), undefined, String(context_length));
      }
      assert.equal(ctxOf({ top_provider: null }), undefined);
      assert.equal(ctxOf({ top_provider: {} }), undefined);
      assert.ok(!('contextWindow' in normalizeModel({ id: 'm', context_length: 0 })!));
    });
  });

  describe('prices', () => {
    const priced = (pricing: unknown) => {
      const m = normalizeModel({ id: 'm', pricing })!;
      return [m.inputPricePer1M, m.outputPricePer1M];
    };

    it('turns USD per token into USD per million tokens, without float noise', () => {
      assert.deepEqual(priced({ prompt: '0.0000025', completion: '0.00001' }), [2.5, 10]);
      assert.deepEqual(priced({ prompt: 0.000003, completion: 0.000015 }), [3, 15]);
      assert.deepEqual(priced({ prompt: '0.00000012345678', completion: '0.0000000000004' }), [0.123457, 0]);
      assert.deepEqual(priced({ prompt: '0', completion: 0 }), [0, 0]);
    });

    it('reads each price on its own', () => {
      assert.deepEqual(priced({ prompt: '0.000001' }), [1, undefined]);
      assert.deepEqual(priced({ completion: '0.000002' }), [undefined, 2]);
    });

    it('has no price for a variable (-1), negative, or unreadable value', () => {
      for (const v of ['-1', -1, '-0.5', 'x', '', ' ', null, true, Number.NaN]) {
        assert.deepEqual(priced({ prompt: v, completion: v }), [undefined, undefined], String(v));
      }
      const m = normalizeModel({ id: 'm', pricing: { prompt: '-1', completion: '-1' } })!;
      assert.ok(!('inputPricePer1M' in m) && !('outputPricePer1M' in m));
    });

    it('ignores a pricing that is not an object', () => {
      for (const pricing of [null, '0.1', 5, true]) assert.deepEqual(priced(pricing), [undefined, undefined]);
    });
  });

  describe('deprecation date', () => {
    const dateOf = (r: Record<string, unknown>) => normalizeModel({ id: 'm', ...r })?.deprecationDate;

    it('reads expiration_date, then shutdown_date, then deprecation_date, as a day', () => {
      assert.equal(
        dateOf({ expiration_date: '2026-03-01', shutdown_date: '2026-04-01', deprecation_date: '2026-05-01' }),
        '2026-03-01',
      );
      assert.equal(dateOf({ shutdown_date: '2026-04-01', deprecation_date: '2026-05-01' }), '2026-04-01');
      assert.equal(dateOf({ deprecation_date: '2026-05-01T12:00:00Z' }), '2026-05-01');
      assert.equal(dateOf({ expiration_date: 'soon', shutdown_date: '2026-04-01' }), '2026-04-01');
      assert.equal(dateOf({ expiration_date: null, deprecation_date: '2026-05-01' }), '2026-05-01');
    });

    it('takes a string only when it starts with YYYY-MM-DD', () => {
      for (const v of [
        'soon',
        'x2026-01-01',
        '26-01-01',
        '2026-1-01',
        '2026-01-1',
        '2026/01/01',
        '',
        'on 2026-01-01',
      ]) {
        assert.equal(dateOf({ expiration_date: v }), undefined, v);
      }
    });

    it('reads Unix seconds and milliseconds, telling them apart at 1e12', () => {
      assert.equal(dateOf({ shutdown_date: 1767225600 }), '2026-01-01');
      assert.equal(dateOf({ shutdown_date: 1767225600000 }), '2026-01-01');
      assert.equal(dateOf({ shutdown_date: 1e12 }), '2001-09-09');
      assert.equal(dateOf({ shutdown_date: 1 }), '1970-01-01');
    });

    it('has none for zero, negative or other values', () => {
      for (const v of [0, -1767225600, true, {}, null, ['2026-01-01'], [1767225600]]) {
        assert.equal(dateOf({ shutdown_date: v }), undefined, String(v));
      }
      assert.ok(!('deprecationDate' in normalizeModel({ id: 'm', shutdown_date: 0 })!));
    });
  });
});
