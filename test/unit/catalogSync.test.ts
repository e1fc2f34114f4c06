import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { normalizeModel } from '../../src/core/catalog/fetch';
import { mergeProviderModels } from '../../src/core/catalog/merge';
import { refreshCatalog, type RefreshOptions } from '../../src/core/catalog/refresh';
import { catalogPath, parseCatalog, serializeCatalog } from '../../src/core/catalog/store';
import { parseConfig } from '../../src/core/config/load';
import type { HostAllowance } from '../../src/core/providers/keyPolicy';
import { FakeOpenAI } from '../support/fakeOpenAI';
import { catalogOf, model } from './helpers/catalog';
import { TSX } from './helpers/cli';
import { REPO_ROOT, tmpDir, writeFiles } from './helpers/tmp';

const DAY1 = new Date('2026-11-20T08:00:00Z');
const DAY2 = new Date('2026-11-21T09:30:00Z');
const KEY = 'sk-test-SECRET0123456789abcdef';
/** The user allows the loopback test servers, so the key reaches them (keyPolicy.test.ts covers the refusal). */
const LOOPBACK: HostAllowance = { host: '127.0.0.1', source: 'flag' };

function configFor(server: FakeOpenAI, name = 'local'): ReturnType<typeof parseConfig>['config'] {
  return parseConfig(
    `providers:\n  - name: ${name}\n    baseURL: ${server.baseURL}\n    apiKeyEnv: TEST_KEY\n`,
    '/x/prompt-registry.yaml',
    {},
  ).config;
}

describe('catalog sync against a loopback OpenAI-compatible server', () => {
  let server: FakeOpenAI;
  let root: string;
  const refresh = (o: Partial<RefreshOptions> = {}) =>
    refreshCatalog({
      root,
      config: configFor(server),
      apiKeyFor: () => KEY,
      allowances: [LOOPBACK],
      now: () => DAY2,
      maxRetries: 2,
      timeoutMs: 2000,
      ...o,
    });
  const readCatalog = () => parseCatalog(fs.readFileSync(catalogPath(root), 'utf8')).catalog!;

  beforeEach(async () => {
    server = await new FakeOpenAI().start();
    server.apiKey = KEY;
    root = tmpDir();
  });
  afterEach(() => server.stop());

  it('first sync: every listed model becomes active, metadata filled from the bundled snapshot and marked so', async () => {
    server.setModels(['gpt-4o', 'gpt-4o-mini', 'my-finetune']);
    const r = await refresh({ now: () => DAY1 });
    assert.equal(r.written, true);
    assert.deepEqual(
      r.outcomes.map((o) => [o.provider, o.status, o.changes?.added]),
      [['local', 'updated', ['gpt-4o', 'gpt-4o-mini', 'my-finetune']]],
    );
    const c = readCatalog();
    assert.deepEqual(c.providers, { local: { lastRefresh: DAY1.toISOString() } });
    assert.deepEqual(
      c.models.find((m) => m.id === 'gpt-4o'),
      {
        id: 'gpt-4o',
        provider: 'local',
        active: true,
        contextWindow: 128000,
        inputPricePer1M: 2.5,
        outputPricePer1M: 10,
        sources: { contextWindow: 'snapshot', price: 'snapshot' },
        firstSeen: '2026-11-20',
        lastSeen: '2026-11-20',
        updatedAt: '2026-11-20',
      },
    );
    assert.deepEqual(
      c.models.find((m) => m.id === 'my-finetune'),
      {
        id: 'my-finetune',
        provider: 'local',
        active: true,
        firstSeen: '2026-11-20',
        lastSeen: '2026-11-20',
        updatedAt: '2026-11-20',
      },
    );
    assert.equal(server.requests[0]!.authorization, `Bearer ${KEY}`);
  });

  it('a model that disappears becomes inactive and keeps its record; when it returns it is active again', async () => {
    server.setModels(['a', 'b', 'c']);
    await refresh({ now: () => DAY1 });
    server.setModels(['a', 'b']);
    const r1 = await refresh({ now: () => DAY2 });
    assert.deepEqual(r1.outcomes[0]!.changes?.deactivated, ['c']);
    const c1 = readCatalog().models.find((m) => m.id === 'c')!;
    assert.deepEqual(
      [c1.active, c1.firstSeen, c1.lastSeen, c1.updatedAt],
      [false, '2026-11-20', '2026-11-20', '2026-11-21'],
    );
    server.setModels(['a', 'b', 'c']);
    const r2 = await refresh({ now: () => new Date('2026-11-22T00:00:00Z') });
    assert.deepEqual(r2.outcomes[0]!.changes?.reactivated, ['c']);
    const c2 = readCatalog().models.find((m) => m.id === 'c')!;
    assert.deepEqual([c2.active, c2.firstSeen, c2.lastSeen], [true, '2026-11-20', '2026-11-22']);
  });

  it('a second refresh the same day with the same list rewrites nothing but lastRefresh', async () => {
    server.setModels(['a', 'b']);
    await refresh({ now: () => DAY2 });
    const before = fs.readFileSync(catalogPath(root), 'utf8');
    const r = await refresh({ now: () => new Date(DAY2.getTime() + 3_600_000) });
    assert.equal(r.outcomes[0]!.status, 'unchanged');
    const after = fs.readFileSync(catalogPath(root), 'utf8');
    const beforeLines = before.split('\n');
    const changed = after.split('\n').filter((l, i) => l !== beforeLines[i]);
    assert.deepEqual(changed, ['      "lastRefresh": "2026-11-21T10:30:00.000Z"']);
  });

  it('keeps OpenRouter fields: name, context length, per-token prices and expiration date', async () => {
    server.setModels([
      {
        id: 'anthropic/claude-sonnet-4-5',
        name: 'Anthropic: Claude Sonnet 4.5',
        context_length: 1000000,
        pricing: { prompt: '0.000003', completion: '0.000015' },
      },
      {
        id: 'openai/gpt-4o',
        name: 'OpenAI: GPT-4o',
        context_length: 128000,
        pricing: { prompt: '0.0000025', completion: '0.00001' },
        expiration_date: '2026-12-15',
      },
      { id: 'meta/free', pricing: { prompt: '0', completion: '0' } },
    ]);
    await refresh();
    const byId = Object.fromEntries(readCatalog().models.map((m) => [m.id, m]));
    assert.equal(
      byId['anthropic/claude-sonnet-4-5']!.displayName,
      'Anthropic: Claude Sonnet 4.5',
      'provider name wins over the bundled one',
    );
    assert.equal(byId['anthropic/claude-sonnet-4-5']!.contextWindow, 1_000_000);
    assert.equal(byId['anthropic/claude-sonnet-4-5']!.inputPricePer1M, 3);
    assert.equal(byId['anthropic/claude-sonnet-4-5']!.outputPricePer1M, 15);
    assert.equal(byId['openai/gpt-4o']!.inputPricePer1M, 2.5);
    assert.equal(byId['openai/gpt-4o']!.deprecationDate, '2026-12-15');
    assert.equal(byId['meta/free']!.inputPricePer1M, 0);
  });

  describe('failures keep the old list byte for byte', () => {
    const cases: [string, (s: FakeOpenAI) => void, RegExp, string][] = [
      ['401', (s) => s.fail('/v1/models', { kind: 'status', status: 401 }), /API key was rejected/, 'auth'],
      ['403', (s) => s.fail('/v1/models', { kind: 'status', status: 403 }), /API key was rejected/, 'auth'],
      [
        '500 on every retry',
        (s) => s.fail('/v1/models', ...[1, 2, 3].map(() => ({ kind: 'status' as const, status: 500 }))),
        /server error/,
        'server',
      ],
      [
        '429 on every retry',
        (s) =>
          s.fail(
            '/v1/models',
            ...[1, 2, 3].map(() => ({ kind: 'status' as const, status: 429, headers: { 'retry-after-ms': '10' } })),
          ),
        /rate limited/,
        'rate-limit',
      ],
      [
        'timeout',
        (s) => s.fail('/v1/models', ...[1, 2, 3].map(() => ({ kind: 'delay' as const, ms: 1500 }))),
        /timed out/,
        'timeout',
      ],
      [
        'malformed JSON',
        (s) => s.fail('/v1/models', { kind: 'malformed' }),
        /not valid JSON|Unexpected end|JSON/,
        'malformed',
      ],
      [
        'a body that is not a list',
        (s) => {
          s.modelsBody = { object: 'list', items: ['x'] };
        },
        /not a model list/,
        'not-a-list',
      ],
      [
        'connection reset every time',
        (s) => s.fail('/v1/models', ...[1, 2, 3].map(() => ({ kind: 'reset' as const }))),
        /cannot connect/,
        'network',
      ],
    ];
    for (const [name, inject, reason, kind] of cases) {
      it(name, async function () {
        this.timeout(20_000);
        server.setModels(['a', 'b']);
        await refresh({ now: () => DAY1 });
        const before = fs.readFileSync(catalogPath(root));
        server.setModels(['x']);
        inject(server);
        const r = await refresh({ timeoutMs: 300, maxRetries: 2 });
        assert.equal(r.written, false);
        assert.equal(r.outcomes[0]!.status, 'failed');
        assert.equal(r.outcomes[0]!.errorKind, kind);
        assert.match(r.outcomes[0]!.reason!, reason);
        assert.ok(
          !r.outcomes[0]!.reason!.includes(KEY) && !r.outcomes[0]!.reason!.includes('SECRET'),
          'the key never appears in the reason',
        );
        assert.ok(fs.readFileSync(catalogPath(root)).equals(before), 'catalog.json is byte-identical');
      });
    }

    it('network error: nothing listening', async () => {
      writeFiles(root, {
        '.prompt-registry/catalog.json': serializeCatalog(catalogOf(model('a', { provider: 'local' }))),
      });
      const before = fs.readFileSync(catalogPath(root));
      const closed = await new FakeOpenAI().start();
      const url = closed.baseURL;
      await closed.stop();
      const config = parseConfig(`providers:\n  - name: local\n    baseURL: ${url}\n`, '/x', {}).config;
      const r = await refreshCatalog({ root, config, apiKeyFor: () => KEY, maxRetries: 0, timeoutMs: 1000 });
      assert.equal(r.outcomes[0]!.errorKind, 'network');
      assert.match(r.outcomes[0]!.reason!, /^local: cannot connect: .*ECONNREFUSED/);
      assert.ok(fs.readFileSync(catalogPath(root)).equals(before));
    });

    it('no key for OpenAI itself is a clear message and no request', async () => {
      const config = parseConfig('', '/x', {}).config;
      const r = await refreshCatalog({ root, config, apiKeyFor: () => undefined });
      assert.equal(r.outcomes[0]!.errorKind, 'no-key');
      assert.match(r.outcomes[0]!.reason!, /set the OPENAI_API_KEY environment variable/);
    });
  });

  it('a wrong baseURL is an http failure (404) with the status, asked once, and the old list stays', async () => {
    server.setModels(['a']);
    await refresh({ now: () => DAY1 });
    const before = fs.readFileSync(catalogPath(root));
    const wrong = server.baseURL.replace(/\/v1$/, '/wrong');
    const config = parseConfig(
      `providers:\n  - name: local\n    baseURL: ${wrong}\n    apiKeyEnv: TEST_KEY\n`,
      '/x/prompt-registry.yaml',
      {},
    ).config;
    const r = await refresh({ config });
    assert.equal(r.written, false);
    assert.deepEqual([r.outcomes[0]!.status, r.outcomes[0]!.errorKind], ['failed', 'http']);
    assert.match(r.outcomes[0]!.reason!, /^local: 404 no route \/wrong\/models/);
    assert.equal(server.count('/wrong/models'), 1, 'a 404 is not retried');
    assert.ok(fs.readFileSync(catalogPath(root)).equals(before), 'catalog.json is byte-identical');
  });

  it("one provider fails, another updates: the failed provider's records stay byte for byte", async function () {
    this.timeout(20_000);
    const other = await new FakeOpenAI().start();
    try {
      other.apiKey = KEY;
      const config = parseConfig(
        `providers:\n  - name: alpha\n    baseURL: ${server.baseURL}\n    apiKeyEnv: TEST_KEY\n  - name: beta\n    baseURL: ${other.baseURL}\n    apiKeyEnv: TEST_KEY\n`,
        '/x/prompt-registry.yaml',
        {},
      ).config;
      server.setModels(['gpt-4o', 'a1']);
      other.setModels([
        {
          id: 'anthropic/claude-sonnet-4-5',
          name: 'Claude',
          context_length: 1000000,
          pricing: { prompt: '0.000003', completion: '0.000015' },
        },
        'b1',
        'b2',
      ]);
      await refresh({ config, now: () => DAY1 });
      const recordsOf = (text: string, provider: string) => {
        const c = JSON.parse(text) as { providers: Record<string, unknown>; models: { provider: string }[] };
        return {
          entry: JSON.stringify(c.providers[provider]),
          models: c.models.filter((m) => m.provider === provider).map((m) => JSON.stringify(m)),
        };
      };
      const before = recordsOf(fs.readFileSync(catalogPath(root), 'utf8'), 'beta');
      assert.equal(before.models.length, 3);

      server.setModels(['gpt-4o', 'a2']);
      // beta's list would change too, had it been served: the failure is the only thing keeping it.
      other.setModels(['b1']);
      other.fail('/v1/models', ...[1, 2, 3].map(() => ({ kind: 'status' as const, status: 500 })));
      const r = await refresh({ config, now: () => DAY2 });
      assert.deepEqual(r.outcomes.map((o) => [o.provider, o.status]).sort(), [
        ['alpha', 'updated'],
        ['beta', 'failed'],
      ]);
      assert.equal(other.count('/v1/models'), 1 + 3, 'beta was asked again and failed on every retry');
      assert.equal(r.written, true);
      const text = fs.readFileSync(catalogPath(root), 'utf8');
      const after = recordsOf(text, 'beta');
      assert.deepEqual(after.models, before.models, "beta's records are byte for byte what they were");
      assert.equal(after.entry, before.entry, "beta's lastRefresh is not moved by a failed refresh");
      const alpha = readCatalog().models.filter((m) => m.provider === 'alpha');
      assert.deepEqual(
        alpha.map((m) => [m.id, m.active]),
        [
          ['a1', false],
          ['a2', true],
          ['gpt-4o', true],
        ],
      );
      assert.ok(
        text.includes(
          before.models.map((m) => JSON.stringify(JSON.parse(m), null, 2).replace(/^/gm, '    ')).join(',\n'),
        ),
        'the same bytes appear in the file',
      );
    } finally {
      await other.stop();
    }
  });

  it('honours retry-after on 429 and then succeeds', async function () {
    this.timeout(20_000);
    server.setModels(['a']);
    server.fail('/v1/models', { kind: 'status', status: 429, headers: { 'retry-after': '1' } });
    const r = await refresh();
    assert.equal(r.outcomes[0]!.status, 'updated');
    const [first, second] = server.requests;
    assert.ok(second!.at - first!.at >= 950, `waited ${second!.at - first!.at} ms, retry-after said 1 s`);
  });

  it('honours retry-after-ms', async () => {
    server.setModels(['a']);
    server.fail('/v1/models', { kind: 'status', status: 429, headers: { 'retry-after-ms': '300' } });
    await refresh();
    const [first, second] = server.requests;
    assert.ok(second!.at - first!.at >= 290, `waited ${second!.at - first!.at} ms`);
  });

  describe('shrink guard', () => {
    it('refuses to deactivate more than half of the active models, and --force applies it', async () => {
      server.setModels(['a', 'b', 'c', 'd']);
      await refresh({ now: () => DAY1 });
      const before = fs.readFileSync(catalogPath(root));
      server.setModels(['a']);
      const r = await refresh();
      assert.equal(r.outcomes[0]!.status, 'refused');
      assert.equal(r.outcomes[0]!.reason, 'the refresh would deactivate 3 of 4 active models; kept the old list');
      assert.deepEqual(r.outcomes[0]!.refusal, { kind: 'mass-deactivation', deactivated: 3, total: 4 });
      assert.ok(fs.readFileSync(catalogPath(root)).equals(before));
      const forced = await refresh({ force: true });
      assert.equal(forced.outcomes[0]!.status, 'updated');
      assert.equal(readCatalog().models.filter((m) => m.active).length, 1);
    });

    it('refuses an empty list', async () => {
      server.setModels(['a']);
      await refresh({ now: () => DAY1 });
      const before = fs.readFileSync(catalogPath(root));
      server.setModels([]);
      const r = await refresh();
      assert.equal(r.outcomes[0]!.status, 'refused');
      assert.match(r.outcomes[0]!.reason!, /empty model list/);
      assert.deepEqual(r.outcomes[0]!.refusal, { kind: 'empty-list' });
      assert.equal(r.written, false);
      assert.ok(fs.readFileSync(catalogPath(root)).equals(before), 'catalog.json is byte-identical');
    });

    it('a refused list keeps a catalog laid out by hand byte for byte (not re-serialized)', async () => {
      server.setModels(['a', 'b', 'c', 'd']);
      await refresh({ now: () => DAY1 });
      // One record per line, as the fixture workspace writes it: valid, but not how serializeCatalog lays it out.
      const compact = JSON.stringify(readCatalog()).replace(/\{"id"/g, '\n{"id"') + '\n';
      fs.writeFileSync(catalogPath(root), compact);
      server.setModels(['a']);
      const r = await refresh();
      assert.equal(r.outcomes[0]!.status, 'refused');
      assert.equal(r.written, false);
      assert.equal(fs.readFileSync(catalogPath(root), 'utf8'), compact, 'catalog.json is byte-identical');
    });

    it('allows deactivating half', async () => {
      server.setModels(['a', 'b', 'c', 'd']);
      await refresh({ now: () => DAY1 });
      server.setModels(['a', 'b']);
      assert.equal((await refresh()).outcomes[0]!.status, 'updated');
    });
  });

  it('never overwrites a catalog it cannot read', async () => {
    writeFiles(root, { '.prompt-registry/catalog.json': '{ "version": 1, "models": [ oops' });
    server.setModels(['a']);
    const r = await refresh();
    assert.equal(r.written, false);
    assert.match(r.outcomes[0]!.reason!, /it is invalid/);
    assert.equal(fs.readFileSync(catalogPath(root), 'utf8'), '{ "version": 1, "models": [ oops');
  });

  it('two processes refreshing at once never corrupt the file or lose a record', async function () {
    this.timeout(120_000);
    const other = await new FakeOpenAI().start();
    try {
      server.apiKey = undefined;
      server.setModels(Array.from({ length: 40 }, (_, i) => `alpha-${i}`));
      other.setModels(Array.from({ length: 40 }, (_, i) => `beta-${i}`));
      const run = (name: string, url: string) =>
        new Promise<number>((resolve) => {
          const child = spawn(
            process.execPath,
            ['--import', TSX, path.join(REPO_ROOT, 'test/support/refreshWorker.ts'), root, name, url, '15'],
            { stdio: ['ignore', 'inherit', 'inherit'] },
          );
          child.on('exit', (code) => resolve(code ?? -1));
        });
      const codes = await Promise.all([run('alpha', server.baseURL), run('beta', other.baseURL)]);
      assert.deepEqual(codes, [0, 0]);
      const c = readCatalog();
      assert.equal(c.models.filter((m) => m.provider === 'alpha').length, 40);
      assert.equal(c.models.filter((m) => m.provider === 'beta').length, 40);
      assert.ok(c.models.every((m) => m.active));
      assert.deepEqual(Object.keys(c.providers).sort(), ['alpha', 'beta']);
      assert.equal(server.count('/v1/models') + other.count('/v1/models'), 30);
      assert.equal(
        fs.readdirSync(path.dirname(catalogPath(root))).filter((f) => f !== 'catalog.json').length,
        0,
        'no temp or lock files left',
      );
    } finally {
      await other.stop();
    }
  });
});

describe('merge and normalize', () => {
  it('touches only the refreshed provider', () => {
    const before = catalogOf(model('x', { provider: 'p1' }), model('y', { provider: 'p2' }));
    const r = mergeProviderModels(before, 'p1', [], DAY2);
    assert.equal(r.catalog.models.find((m) => m.id === 'y')!.active, true);
    assert.equal(r.catalog.models.find((m) => m.id === 'x')!.active, false);
  });

  it('a value the provider sends wins over the bundled snapshot and the old record', () => {
    const before = catalogOf(
      model('gpt-5', { provider: 'p', contextWindow: 1, displayName: 'Old', inputPricePer1M: 99 }),
    );
    const r = mergeProviderModels(before, 'p', [{ id: 'gpt-5', contextWindow: 999 }], DAY2);
    const m = r.catalog.models[0]!;
    assert.equal(m.contextWindow, 999);
    assert.equal(m.displayName, 'GPT-5', 'bundled wins over the old record');
    assert.equal(m.inputPricePer1M, 1.25);
    assert.deepEqual(m.sources, { displayName: 'snapshot', contextWindow: 'provider', price: 'snapshot' });
    assert.deepEqual(r.changes.updated, ['gpt-5']);
  });

  it('both prices come from one place: a provider that sends one price is the source of both', () => {
    const r = mergeProviderModels(catalogOf(), 'p', [{ id: 'gpt-5', inputPricePer1M: 2 }], DAY2);
    const m = r.catalog.models[0]!;
    assert.deepEqual([m.inputPricePer1M, m.outputPricePer1M, m.sources?.price], [2, undefined, 'provider']);
  });

  it('a value neither sends keeps the old record and the source it had', () => {
    const before = catalogOf(
      model('my-model', {
        provider: 'p',
        contextWindow: 4096,
        inputPricePer1M: 1,
        outputPricePer1M: 2,
        sources: { contextWindow: 'provider', price: 'provider' },
      }),
    );
    const r = mergeProviderModels(before, 'p', [{ id: 'my-model' }], DAY2);
    const m = r.catalog.models[0]!;
    assert.deepEqual(
      [m.contextWindow, m.inputPricePer1M, m.sources],
      [4096, 1, { contextWindow: 'provider', price: 'provider' }],
    );
    assert.deepEqual(r.changes.updated, []);
  });

  it('records sources in a fixed key order and drops an empty one', () => {
    const text = serializeCatalog(
      catalogOf(model('a', { sources: { price: 'snapshot', displayName: 'provider' } }), model('b', { sources: {} })),
    );
    assert.match(text, /"sources": \{\n\s+"displayName": "provider",\n\s+"price": "snapshot"\n\s+\}/);
    assert.equal(text.match(/"sources"/g)!.length, 1);
  });

  it('normalizes odd items and skips invalid ones', () => {
    assert.equal(normalizeModel(null), undefined);
    assert.equal(normalizeModel({ id: '' }), undefined);
    assert.deepEqual(
      normalizeModel({ id: ' m ', context_length: '8192', pricing: { prompt: 'x' }, shutdown_date: 1767225600 }),
      { id: 'm', contextWindow: 8192, deprecationDate: '2026-01-01' },
    );
  });
});
