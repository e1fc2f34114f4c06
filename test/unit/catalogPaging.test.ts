import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { modelListProblem } from '../../src/core/catalog/listCheck';
import { refreshCatalog, type RefreshOptions } from '../../src/core/catalog/refresh';
import { catalogPath, parseCatalog } from '../../src/core/catalog/store';
import { parseConfig } from '../../src/core/config/load';
import { FakeOpenAI, type PageStyle } from '../support/fakeOpenAI';
import { tmpDir } from './helpers/tmp';

const DAY1 = new Date('2026-11-20T08:00:00Z');
const DAY2 = new Date('2026-11-21T09:30:00Z');
const KEY = 'sk-test-SECRET0123456789abcdef';
const ids = (n: number, prefix = 'm') => Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);

describe('paged model lists against a loopback server', () => {
  let server: FakeOpenAI;
  let root: string;
  const refresh = (o: Partial<RefreshOptions> = {}) =>
    refreshCatalog({
      root,
      config: parseConfig(
        `providers:\n  - name: paged\n    baseURL: ${server.baseURL}\n    apiKeyEnv: TEST_KEY\n`,
        '/x/prompt-registry.yaml',
        {},
      ).config,
      apiKeyFor: () => KEY,
      // The key may reach this server only (providers/keyPolicy.ts): a next page elsewhere must not get it.
      allowances: [{ host: '127.0.0.1', port: server.port, source: 'flag' }],
      now: () => DAY2,
      maxRetries: 0,
      timeoutMs: 5000,
      ...o,
    });
  const readCatalog = () => parseCatalog(fs.readFileSync(catalogPath(root), 'utf8')).catalog!;
  const modelRequests = () => server.requests.filter((r) => r.path === '/v1/models');

  beforeEach(async () => {
    server = await new FakeOpenAI().start();
    server.apiKey = KEY;
    root = tmpDir();
  });
  afterEach(() => server.stop());

  const styles: [PageStyle, RegExp][] = [
    ['after', /^after=m-0099&after_id=m-0099$/],
    ['after_id', /^after=m-0099&after_id=m-0099$/],
    ['links', /^offset=100$/],
  ];
  for (const [style, secondQuery] of styles) {
    it(`${style}: 1,000 models in pages of 100 all reach the catalog`, async () => {
      server.pageStyle = style;
      server.setModels(ids(1000));
      const r = await refresh();
      assert.equal(r.outcomes[0]!.status, 'updated');
      assert.equal(r.outcomes[0]!.modelCount, 1000);
      assert.equal(readCatalog().models.filter((m) => m.active).length, 1000);
      assert.equal(modelRequests().length, 10);
      assert.equal(modelRequests()[0]!.query, '');
      assert.match(modelRequests()[1]!.query!, secondQuery);
      assert.ok(
        modelRequests().every((q) => q.authorization === `Bearer ${KEY}`),
        'every page carries the key',
      );
    });

    it(`${style}: the shrink guard and the merge see the whole list, never one page`, async () => {
      server.pageStyle = style;
      server.setModels(ids(1000));
      await refresh({ now: () => DAY1 });
      const again = await refresh();
      assert.deepEqual(again.outcomes[0]!.changes?.deactivated, [], 'models on later pages stay active');
      const before = fs.readFileSync(catalogPath(root));
      server.setModels(ids(400));
      const shrunk = await refresh();
      assert.equal(shrunk.outcomes[0]!.status, 'refused');
      assert.match(shrunk.outcomes[0]!.reason!, /would deactivate 600 of 1000 active models/);
      assert.ok(fs.readFileSync(catalogPath(root)).equals(before));
    });
  }

  it("Anthropic's default page size (20) is followed too", async () => {
    server.pageStyle = 'after_id';
    server.pageSize = 20;
    server.setModels(ids(210));
    const r = await refresh();
    assert.equal(r.outcomes[0]!.modelCount, 210);
    assert.equal(modelRequests().length, 11);
  });

  it('reads Anthropic display names', async () => {
    server.pageStyle = 'after_id';
    server.setModels([
      {
        type: 'model',
        id: 'claude-sonnet-4-5-20250929',
        display_name: 'Claude Sonnet 4.5',
        created_at: '2025-09-29T00:00:00Z',
      },
    ]);
    await refresh();
    assert.equal(readCatalog().models[0]!.displayName, 'Claude Sonnet 4.5');
  });

  describe('a list that cannot be read whole keeps the old catalog byte for byte', () => {
    const cases: [string, (s: FakeOpenAI) => void, RegExp, string][] = [
      [
        'a cursor that repeats (the server ignores it)',
        (s) => {
          s.pageStyle = 'after';
          s.pageHook = (body) => ({ ...body, data: s.models.slice(0, 100), has_more: true, last_id: 'm-0099' });
        },
        /the model list loops: page 2 points again to m-0099/,
        'paging',
      ],
      [
        'a links.next that repeats',
        (s) => {
          s.pageStyle = 'links';
          s.pageHook = (body) => ({ ...body, links: { next: `${s.baseURL}/models?offset=100` } });
        },
        /the model list loops: page 2 points again to .*offset=100/,
        'paging',
      ],
      [
        'more than 100 pages',
        (s) => {
          s.pageStyle = 'after';
          s.pageSize = 5;
          s.setModels(ids(1000));
        },
        /more than 100 pages/,
        'paging',
      ],
      [
        'has_more without a cursor',
        (s) => {
          s.pageStyle = 'after';
          s.pageHook = (body) => ({ ...body, data: [], last_id: null, has_more: true });
        },
        /has_more but gives no last_id/,
        'paging',
      ],
      [
        'a later page that is not a list',
        (s) => {
          s.pageStyle = 'after';
          s.pageHook = (body, q) => (q.get('after') ? { error: 'gone' } : body);
        },
        /the response for page 2 is not a model list/,
        'not-a-list',
      ],
      [
        'a 20 MB list',
        (s) => {
          s.setModels([{ id: 'huge', description: 'x'.repeat(20 * 1024 * 1024) }]);
        },
        /larger than 8 MB/,
        'too-large',
      ],
      [
        'a 20 MB list spread over pages',
        (s) => {
          s.pageStyle = 'after';
          s.setModels(ids(400).map((id) => ({ id, description: 'x'.repeat(50 * 1024) })));
        },
        /larger than 8 MB/,
        'too-large',
      ],
      [
        'the same id twice on one page',
        (s) => s.setModels(['a', 'b', 'a']),
        /model id "a" is listed twice \(models 1 and 3\)/,
        'invalid-list',
      ],
      [
        'the same id on two pages',
        (s) => {
          s.pageStyle = 'after';
          s.setModels([...ids(150), 'm-0003']);
        },
        /model id "m-0003" is listed twice \(models 4 and 151\)/,
        'invalid-list',
      ],
      [
        'a numeric id',
        (s) => s.setModels(['a', { id: 42 }]),
        /model 2 of 2 has a non-string \(42\) id/,
        'invalid-list',
      ],
      ['a missing id', (s) => s.setModels(['a', { name: 'x' }]), /model 2 of 2 has a missing id/, 'invalid-list'],
      [
        'a negative price',
        (s) => s.setModels([{ id: 'a', pricing: { prompt: '-0.000001', completion: '0' } }]),
        /model "a" has a negative pricing.prompt/,
        'invalid-list',
      ],
      [
        'a non-numeric price',
        (s) => s.setModels([{ id: 'a', pricing: { prompt: '0', completion: 'cheap' } }]),
        /model "a" has a non-numeric pricing.completion \("cheap"\)/,
        'invalid-list',
      ],
    ];
    for (const [name, inject, reason, kind] of cases) {
      it(name, async function () {
        this.timeout(20_000);
        server.setModels(['a', 'b']);
        await refresh({ now: () => DAY1 });
        const before = fs.readFileSync(catalogPath(root));
        server.setModels(ids(300));
        inject(server);
        const r = await refresh();
        assert.equal(r.written, false);
        assert.equal(r.outcomes.length, 1, 'one reason');
        assert.equal(r.outcomes[0]!.status, 'failed');
        assert.equal(r.outcomes[0]!.errorKind, kind);
        assert.match(r.outcomes[0]!.reason!, reason);
        assert.ok(!r.outcomes[0]!.reason!.includes(KEY));
        assert.ok(fs.readFileSync(catalogPath(root)).equals(before), 'catalog.json is byte-identical');
      });
    }

    it('never sends the key to another host named by links.next', async () => {
      const other = await new FakeOpenAI().start();
      try {
        server.setModels(['a']);
        await refresh({ now: () => DAY1 });
        const before = fs.readFileSync(catalogPath(root));
        server.pageStyle = 'links';
        server.setModels(ids(300));
        server.pageHook = (body) => ({ ...body, links: { next: `${other.baseURL}/models?offset=100` } });
        const r = await refresh();
        assert.equal(r.outcomes[0]!.errorKind, 'paging');
        assert.match(r.outcomes[0]!.reason!, /points to another host/);
        assert.equal(other.requests.length, 0);
        assert.ok(fs.readFileSync(catalogPath(root)).equals(before));
      } finally {
        await other.stop();
      }
    });
  });

  it("OpenRouter's variable price (-1, its routers) is no price, not an error", async () => {
    server.setModels([
      { id: 'openrouter/auto', pricing: { prompt: '-1', completion: '-1' } },
      { id: 'x/free', pricing: { prompt: '0', completion: '0' } },
    ]);
    const r = await refresh();
    assert.equal(r.outcomes[0]!.status, 'updated');
    const auto = readCatalog().models.find((m) => m.id === 'openrouter/auto')!;
    assert.equal(auto.inputPricePer1M, undefined);
  });
});

describe('model list check', () => {
  it('accepts plain and priced lists', () => {
    assert.equal(
      modelListProblem([{ id: 'a' }, { id: 'b', pricing: { prompt: '0.000001', completion: 0 } }]),
      undefined,
    );
    assert.equal(modelListProblem([]), undefined);
  });

  it('rejects non-objects, empty ids and ids repeated after trimming', () => {
    assert.match(modelListProblem(['a'])!, /model 1 of 1 is not an object/);
    assert.match(modelListProblem([{ id: '  ' }])!, /empty id/);
    assert.match(modelListProblem([{ id: 'a' }, { id: ' a ' }])!, /listed twice/);
  });
});
