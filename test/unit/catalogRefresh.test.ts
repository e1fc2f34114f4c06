import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { pruneCatalog, refreshCatalog, type RefreshOptions } from '../../src/core/catalog/refresh';
import { catalogPath, parseCatalog, serializeCatalog } from '../../src/core/catalog/store';
import { parseConfig } from '../../src/core/config/load';
import type { HostAllowance } from '../../src/core/providers/keyPolicy';
import { FakeOpenAI } from '../support/fakeOpenAI';
import { catalogOf, model } from './helpers/catalog';
import { tmpDir, writeFiles } from './helpers/tmp';

// refreshCatalog's promises beyond catalogSync.test.ts: what it asks, and when it leaves catalog.json alone.
const DAY1 = new Date('2026-11-20T08:00:00Z');
const DAY2 = new Date('2026-11-21T09:30:00Z');
const KEY = 'sk-test-SECRET0123456789abcdef';
const LOOPBACK: HostAllowance = { host: '127.0.0.1', source: 'flag' };

describe('catalog refresh: what is asked and what is written', () => {
  let server: FakeOpenAI;
  let other: FakeOpenAI;
  let root: string;
  const yaml = (...lines: string[]) =>
    parseConfig(`providers:\n${lines.join('')}`, '/x/prompt-registry.yaml', {}).config;
  const local = (name = 'local', s = () => server) =>
    `  - name: ${name}\n    baseURL: ${s().baseURL}\n    apiKeyEnv: TEST_KEY\n`;
  const refresh = (o: Partial<RefreshOptions> = {}) =>
    refreshCatalog({
      root,
      config: yaml(local()),
      apiKeyFor: () => KEY,
      allowances: [LOOPBACK],
      now: () => DAY2,
      maxRetries: 0,
      timeoutMs: 2000,
      ...o,
    });
  const file = () => catalogPath(root);

  beforeEach(async () => {
    server = await new FakeOpenAI().start();
    other = await new FakeOpenAI().start();
    server.apiKey = KEY;
    other.apiKey = KEY;
    root = tmpDir();
  });
  afterEach(async () => {
    await server.stop();
    await other.stop();
  });

  it('asks only the providers named, and only OpenAI-compatible ones', async () => {
    server.setModels(['a']);
    other.setModels(['b']);
    const config = yaml(
      local('alpha'),
      local('beta', () => other),
      '  - name: echo\n    type: echo\n',
    );
    const r = await refresh({ config, only: ['beta'] });
    assert.deepEqual(
      r.outcomes.map((o) => [o.provider, o.status]),
      [['beta', 'updated']],
    );
    assert.deepEqual([server.count('/v1/models'), other.count('/v1/models')], [0, 1]);
    const all = await refresh({ config });
    assert.deepEqual(all.outcomes.map((o) => o.provider).sort(), ['alpha', 'beta']);
  });

  it('a name that is not in prompt-registry.yaml is an error, and nothing is asked', async () => {
    await assert.rejects(refresh({ only: ['local', 'nope', 'gone'] }), {
      message: 'No provider named "nope", "gone" in prompt-registry.yaml',
    });
    assert.equal(server.count('/v1/models'), 0);
    assert.equal(fs.existsSync(file()), false);
  });

  it('a key that may not go where the provider points is refused before any request', async () => {
    server.setModels(['a']);
    const r = await refresh({ allowances: [] });
    assert.deepEqual([r.outcomes[0]!.status, r.outcomes[0]!.errorKind], ['failed', 'key-refused']);
    assert.equal(r.outcomes[0]!.keyRefused?.kind, 'refused');
    assert.equal(server.requests.length, 0);
    assert.equal(r.written, false);
  });

  it('a failure that is not a provider error (the key store throws) is a failed outcome, not a crash', async () => {
    const r = await refresh({
      apiKeyFor: () => {
        throw new Error('keychain locked');
      },
    });
    assert.deepEqual(
      [r.outcomes[0]!.status, r.outcomes[0]!.errorKind, r.outcomes[0]!.reason],
      ['failed', 'malformed', 'local: keychain locked'],
    );
  });

  it('every provider failing leaves a hand-formatted catalog.json byte for byte, not even reformatted', async () => {
    const text = JSON.stringify(catalogOf(model('a', { provider: 'local' })));
    writeFiles(root, { '.prompt-registry/catalog.json': text });
    const inode = fs.statSync(file()).ino;
    server.fail('/v1/models', { kind: 'status', status: 500 });
    const r = await refresh();
    assert.equal(r.written, false);
    assert.equal(fs.readFileSync(file(), 'utf8'), text);
    assert.equal(fs.statSync(file()).ino, inode, 'the file was not replaced');
  });

  it('a refused (shrink guard) refresh does not replace the file, even with the same bytes', async () => {
    server.setModels(['a', 'b', 'c']);
    await refresh({ now: () => DAY1 });
    const inode = fs.statSync(file()).ino;
    server.setModels([]);
    const r = await refresh();
    assert.deepEqual([r.outcomes[0]!.status, r.written], ['refused', false]);
    assert.equal(fs.statSync(file()).ino, inode);
  });

  it('an unreadable catalog: the providers fail with kind "catalog"; a prune is an error; the file stays', async () => {
    const broken = '{ "version": 1, "models": [ oops';
    writeFiles(root, { '.prompt-registry/catalog.json': broken });
    server.setModels(['a']);
    const r = await refresh();
    assert.deepEqual([r.outcomes[0]!.status, r.outcomes[0]!.errorKind], ['failed', 'catalog']);
    await assert.rejects(pruneCatalog({ root, config: yaml(local()) }), {
      message: /^cannot merge into \.prompt-registry\/catalog\.json: it is invalid \(Catalog is not valid JSON/,
    });
    assert.equal(fs.readFileSync(file(), 'utf8'), broken);
  });

  it('only a metadata change, or only a return, counts as updated', async () => {
    server.setModels(['a', 'b', { id: 'c', context_length: 1000 }]);
    await refresh({ now: () => DAY1 });
    server.setModels(['a', 'b']);
    await refresh({ now: () => DAY1 });
    server.setModels(['a', 'b', { id: 'c', context_length: 1000 }]);
    const back = await refresh({ now: () => DAY1 });
    assert.deepEqual([back.outcomes[0]!.status, back.outcomes[0]!.changes?.reactivated], ['updated', ['c']]);
    server.setModels(['a', 'b', { id: 'c', context_length: 2000 }]);
    const meta = await refresh({ now: () => DAY1 });
    assert.deepEqual([meta.outcomes[0]!.status, meta.outcomes[0]!.changes?.updated], ['updated', ['c']]);
  });

  it('a refresh keeps the records of providers no longer configured; only a prune drops them, refresh time too', async () => {
    const seeded = catalogOf(model('g', { provider: 'gone' }), model('a', { provider: 'local' }));
    seeded.providers = { gone: { lastRefresh: DAY1.toISOString() }, local: { lastRefresh: DAY1.toISOString() } };
    writeFiles(root, { '.prompt-registry/catalog.json': serializeCatalog(seeded) });
    server.setModels(['a', 'b']);
    const r = await refresh();
    assert.deepEqual([r.written, r.unconfigured, 'pruned' in r], [true, ['gone'], false]);
    const after = parseCatalog(fs.readFileSync(file(), 'utf8')).catalog!;
    assert.deepEqual(
      after.models.map((m) => `${m.provider}/${m.id}`),
      ['gone/g', 'local/a', 'local/b'],
    );
    const p = await pruneCatalog({ root, config: yaml(local()) });
    assert.deepEqual([p.written, p.pruned], [true, 1]);
    assert.deepEqual(Object.keys(parseCatalog(fs.readFileSync(file(), 'utf8')).catalog!.providers), ['local']);
  });

  it('a prune with no catalog.json writes none', async () => {
    const p = await pruneCatalog({ root, config: yaml(local()) });
    assert.equal(p.written, false);
    assert.equal(fs.existsSync(file()), false);
  });

  it('two refreshes at once in one process wait for each other on the lock: both lists are kept', async () => {
    server.setModels(['a1', 'a2']);
    other.setModels(['b1']);
    const config = yaml(
      local('alpha'),
      local('beta', () => other),
    );
    const [ra, rb] = await Promise.all([refresh({ config, only: ['alpha'] }), refresh({ config, only: ['beta'] })]);
    assert.deepEqual([ra.outcomes[0]!.status, rb.outcomes[0]!.status], ['updated', 'updated']);
    const after = parseCatalog(fs.readFileSync(file(), 'utf8')).catalog!;
    assert.deepEqual(
      after.models.map((m) => `${m.provider}/${m.id}`),
      ['alpha/a1', 'alpha/a2', 'beta/b1'],
    );
  });
});
