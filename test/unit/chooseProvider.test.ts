import * as assert from 'node:assert/strict';
import { parseConfig, type ResolvedConfig } from '../../src/core/config/load';
import { ProviderError } from '../../src/core/providers/errors';
import type { CompletionRequest } from '../../src/core/providers/types';
import { chooseProvider, ProviderPool, providerNames } from '../../src/core/run/chooseProvider';
import { catalogOf, model } from './helpers/catalog';

const config = (yaml: string): ResolvedConfig => parseConfig(yaml, '/x/prompt-registry.yaml', {}).config;
const AB = config(`providers:
  - name: a
    baseURL: https://a.example/v1
    apiKeyEnv: A_KEY
  - name: b
    baseURL: http://gw.example:9000/v1
    apiKeyEnv: B_KEY
`);
const choice = (ref: string, cfg = AB, catalog?: Parameters<typeof chooseProvider>[2], forced?: string) => {
  const c = chooseProvider(ref, cfg, catalog, forced);
  return [c.provider.name, c.modelId];
};

describe('choose provider: which provider runs a model reference', () => {
  it('a bare id runs on the first configured provider, as written', () => {
    assert.deepEqual(choice('gpt-x'), ['a', 'gpt-x']);
    assert.deepEqual(choice('/gpt-x'), ['a', '/gpt-x']);
    assert.deepEqual(choice('nowhere/gpt-x'), ['a', 'nowhere/gpt-x']);
    // A bare id that starts with a provider's name is still bare.
    assert.deepEqual(choice('bx'), ['a', 'bx']);
  });

  it('`name/model` with a configured name runs there, without the prefix', () => {
    assert.deepEqual(choice('b/gpt-x'), ['b', 'gpt-x']);
    assert.deepEqual(choice('b/org/gpt-x'), ['b', 'org/gpt-x']);
  });

  it("a catalog match runs on the provider that lists it, with the catalog's id", () => {
    const catalog = catalogOf(model('org/gpt-x', { provider: 'b' }), model('gpt-y', { provider: 'gone' }));
    assert.deepEqual(choice('org/gpt-x', AB, catalog), ['b', 'org/gpt-x']);
    assert.deepEqual(choice('b/org/gpt-x', AB, catalog), ['b', 'org/gpt-x']);
    // Listed by a provider that is not configured: the usual rules.
    assert.deepEqual(choice('gpt-y', AB, catalog), ['a', 'gpt-y']);
    // Not found (here: ambiguous) is no match either.
    const twice = catalogOf(model('m', { provider: 'a' }), model('m', { provider: 'b' }));
    assert.deepEqual(choice('m', AB, twice), ['a', 'm']);
  });

  it('no provider configured: the built-in echo', () => {
    const c = chooseProvider('gpt-x', { ...AB, providers: [] }, undefined);
    assert.deepEqual(c, { provider: { name: 'echo', type: 'echo', apiKeyEnv: '' }, modelId: 'gpt-x' });
  });

  it('--provider wins over the catalog and the prefix; only a configured prefix is stripped', () => {
    const catalog = catalogOf(model('gpt-x', { provider: 'a' }));
    assert.deepEqual(choice('gpt-x', AB, catalog, 'b'), ['b', 'gpt-x']);
    assert.deepEqual(choice('a/gpt-x', AB, catalog, 'b'), ['b', 'gpt-x']);
    assert.deepEqual(choice('org/gpt-x', AB, catalog, 'b'), ['b', 'org/gpt-x']);
  });

  it('--provider echo is the built-in unless a configured provider is named echo', () => {
    assert.deepEqual(chooseProvider('gpt-x', AB, undefined, 'echo').provider, {
      name: 'echo',
      type: 'echo',
      apiKeyEnv: '',
    });
    const own = config('providers:\n  - name: echo\n    baseURL: https://e.example/v1\n');
    assert.equal(chooseProvider('gpt-x', own, undefined, 'echo').provider.baseURL, 'https://e.example/v1');
  });

  it('an unknown --provider is an error naming the ones there are', () => {
    assert.throws(
      () => chooseProvider('gpt-x', AB, undefined, 'c'),
      (e: Error) => e.message === 'No provider named "c" (configured: a, b; built-in: echo)',
    );
  });

  it('--provider takes the configured names and echo, once', () => {
    assert.deepEqual(providerNames(AB), ['a', 'b', 'echo']);
    assert.deepEqual(providerNames(config('providers:\n  - name: echo\n    type: echo\n  - name: a\n')), ['echo', 'a']);
  });
});

describe('provider pool: keys reach a provider only where the key policy allows', () => {
  const REPLY = {
    id: 'c1',
    object: 'chat.completion',
    created: 0,
    model: 'm',
    choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  };
  const sent: { url: string; authorization: string | null }[] = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    sent.push({ url: String(input), authorization: new Headers(init?.headers).get('authorization') });
    return new Response(JSON.stringify(REPLY), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof globalThis.fetch;
  beforeEach(() => sent.splice(0));
  const request = (): CompletionRequest => ({
    model: 'm',
    messages: [{ role: 'user', content: 'hi' }],
    params: {},
    json: false,
    signal: new AbortController().signal,
    deadline: Date.now() + 10_000,
    maxRetries: 0,
  });
  const cfg = config(`providers:
  - name: vendor
    apiKeyEnv: OPENAI_API_KEY
  - name: gw
    baseURL: http://gw.example:9000/v1
    apiKeyEnv: GW_KEY
  - name: local
    baseURL: http://127.0.0.1:11434/v1
  - name: e
    type: echo
    apiKeyEnv: E_KEY
`);
  const [vendor, gw, local, echo] = cfg.providers as [
    (typeof cfg.providers)[0],
    (typeof cfg.providers)[0],
    (typeof cfg.providers)[0],
    (typeof cfg.providers)[0],
  ];
  const env = { OPENAI_API_KEY: 'sk-vendor', GW_KEY: 'gw-secret', E_KEY: 'e-secret' };

  it('an allowed key is sent to its host', async () => {
    const pool = new ProviderPool(env, fetchImpl);
    const answer = await pool.get(vendor).complete(request());
    assert.equal(answer.text, 'ok');
    assert.deepEqual(sent, [{ url: 'https://api.openai.com/v1/chat/completions', authorization: 'Bearer sk-vendor' }]);
  });

  it('a refused key: every call fails before any request, saying why', async () => {
    const p = new ProviderPool(env, fetchImpl).get(gw);
    assert.equal(p.name, 'gw');
    assert.equal(p.kind, 'openai');
    assert.equal(p.cacheIdentity, 'openai:gw:http://gw.example:9000/v1');
    await assert.rejects(
      p.complete(request()),
      (e: unknown) =>
        e instanceof ProviderError &&
        e.kind === 'key-refused' &&
        e.provider === 'gw' &&
        e.message === 'gw: GW_KEY is not sent to http://gw.example:9000: that host is not allowed for it',
    );
    assert.deepEqual(sent, []);
    // The default endpoint, for a variable that is not its vendor's: refused as well.
    const noURL = new ProviderPool({ GW_KEY: 'gw-secret' }, fetchImpl).get({
      name: 'd',
      type: 'openai',
      apiKeyEnv: 'GW_KEY',
    });
    assert.equal(noURL.cacheIdentity, 'openai:d:');
    await assert.rejects(
      noURL.complete(request()),
      (e: unknown) => e instanceof ProviderError && e.kind === 'key-refused',
    );
    assert.deepEqual(sent, []);
  });

  it('the same key, its host allowed by the user: sent', async () => {
    const pool = new ProviderPool(env, fetchImpl, [{ host: 'gw.example', port: 9000, source: 'flag' }]);
    await pool.get(gw).complete(request());
    assert.deepEqual(sent, [{ url: 'http://gw.example:9000/v1/chat/completions', authorization: 'Bearer gw-secret' }]);
  });

  it('a local server that needs no key is called without the one set for it', async () => {
    const pool = new ProviderPool({ OPENAI_API_KEY: 'sk-vendor' }, fetchImpl);
    await pool.get(local).complete(request());
    assert.equal(sent.length, 1);
    assert.equal(sent[0]!.url, 'http://127.0.0.1:11434/v1/chat/completions');
    assert.notEqual(sent[0]!.authorization, 'Bearer sk-vendor');
  });

  it('echo is echo, whatever key is set; one provider object per name', () => {
    const pool = new ProviderPool(env, fetchImpl);
    const e = pool.get(echo);
    assert.equal(e.kind, 'echo');
    assert.equal(e.name, 'e');
    assert.equal(pool.get(echo), e);
    assert.equal(pool.get(gw), pool.get(gw));
    assert.notEqual(pool.get(gw), pool.get(vendor));
  });

  it('secrets: every key set for a configured provider, none that is unset or empty', () => {
    assert.deepEqual(new ProviderPool(env).secrets(cfg), ['sk-vendor', 'gw-secret', 'sk-vendor', 'e-secret']);
    assert.deepEqual(new ProviderPool({ GW_KEY: '', OTHER: 'x' }).secrets(cfg), []);
  });
});
