// Model catalog sync inside the real extension host, against a loopback OpenAI-compatible server.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { FakeOpenAI } from '../../support/fakeOpenAI';
import { captureNotifications, keys, readWs, waitFor, writeWs } from './helpers';

const CONFIG = 'prompt-registry.yaml';
const CATALOG = '.prompt-registry/catalog.json';

describe('catalog sync', function () {
  this.timeout(60_000);
  let server: FakeOpenAI;
  let savedConfig: string;
  let savedCatalog: string;

  /** The fixture's config with the provider named "openai" pointing at the loopback server (keyless there). */
  const loopbackConfig = () =>
    savedConfig.replace(
      'defaultModel: gpt-4o',
      `providers:\n  - name: openai\n    baseURL: ${server.baseURL}\ndefaultModel: gpt-4o`,
    );

  before(async () => {
    server = await new FakeOpenAI().start();
    savedConfig = readWs(CONFIG);
    savedCatalog = readWs(CATALOG);
  });

  beforeEach(() => {
    server.requests.length = 0;
  });

  after(async () => {
    writeWs(CONFIG, savedConfig);
    writeWs(CATALOG, savedCatalog);
    await server.stop();
    await waitFor('clean.md to be clean again', () => keys('prompts/clean.md').length === 0);
    // And the fixture's catalog applied (gpt-4.1 active again, only not enabled): the next suite reads it at once.
    await waitFor(
      'the fixture catalog to be applied',
      () => JSON.stringify(keys('prompts/models/not-enabled.md').map((d) => d.code)) === '["model-not-enabled"]',
    );
  });

  it('Refresh Models against the loopback server makes inactive-model appear on a prompt that was clean', async () => {
    await waitFor(
      'clean.md to be indexed and clean',
      () => keys('prompts/clean.md').length === 0 && keys('prompts/models/unknown-model.md').length > 0,
    );
    // The provider named "openai" now points at the loopback server; gpt-4o is gone from its list.
    writeWs(CONFIG, loopbackConfig());
    server.setModels(['gpt-4.1', 'gpt-4o-mini', 'gpt-4o-2024-05-13', 'gpt-3.5-turbo-0301']);

    const ok = await vscode.commands.executeCommand<boolean>('promptRegistry.refreshModels');
    assert.equal(ok, true);
    assert.equal(server.count('/v1/models'), 1);

    const diags = await waitFor('inactive-model on clean.md', () => {
      const d = keys('prompts/clean.md');
      return d.length ? d : undefined;
    });
    assert.deepEqual(diags, [{ code: 'inactive-model', severity: 'warning', range: [2, 7, 2, 13] }]);
    const catalog = JSON.parse(readWs(CATALOG));
    const gpt4o = catalog.models.find((m: { id: string }) => m.id === 'gpt-4o');
    assert.equal(gpt4o.active, false);
    assert.equal(
      catalog.models.find((m: { id: string }) => m.id === 'gpt-3.5-turbo-0301').active,
      true,
      'listed again, so active again',
    );
    // The config's default is now inactive: a policy error on prompt-registry.yaml.
    await waitFor('default-model-invalid on the config', () =>
      keys(CONFIG).some((d) => d.code === 'default-model-invalid'),
    );
  });

  it('a refresh whose every attempt gets a 500 keeps catalog.json byte-identical and says the old list is kept', async () => {
    // Its own config and catalog, whatever the tests before it did.
    writeWs(CONFIG, loopbackConfig());
    writeWs(CATALOG, savedCatalog);
    // A list that would change the catalog, if any attempt got through.
    server.setModels(['gpt-4.1', 'brand-new-model']);
    server.fail('/v1/models', ...[1, 2, 3].map(() => ({ kind: 'status' as const, status: 500 })));
    const notes = captureNotifications();
    try {
      const ok = await vscode.commands.executeCommand<boolean>('promptRegistry.refreshModels');
      assert.equal(ok, false);
      assert.equal(server.count('/v1/models'), 3, 'the first attempt and both retries were each served a 500');
      assert.equal(readWs(CATALOG), savedCatalog);
      const said = await notes.next('the failure message', (m) => m.message.startsWith('Refreshing models failed'));
      assert.equal(said.severity, 'error');
      assert.match(said.message, /^Refreshing models failed \(the old list is kept\): .*500/);
      assert.deepEqual(said.actions, ['Show Log']);
    } finally {
      notes.dispose();
    }
  });

  it('a refresh that would deactivate most models: refused and byte-identical, then applied with Refresh Anyway', async () => {
    writeWs(CONFIG, loopbackConfig());
    writeWs(CATALOG, savedCatalog);
    // 3 of openai's 4 active models would go: the shrink guard refuses.
    server.setModels(['gpt-4o']);
    let answer: string | undefined; // dismissed first
    const notes = captureNotifications((m) => (m.message.startsWith('Model refresh not applied') ? answer : undefined));
    try {
      assert.equal(await vscode.commands.executeCommand<boolean>('promptRegistry.refreshModels'), false);
      const refusal = await notes.next('the refusal', (m) => m.message.startsWith('Model refresh not applied'));
      assert.deepEqual(refusal, {
        severity: 'warning',
        message:
          'Model refresh not applied: openai: the refresh would deactivate 3 of 4 active models; kept the old list.',
        actions: ['Refresh Anyway', 'Show Log'],
      });
      assert.equal(server.count('/v1/models'), 1, 'the list was fetched');
      assert.equal(readWs(CATALOG), savedCatalog, 'dismissed: the catalog is byte-for-byte the old one');

      answer = 'Refresh Anyway';
      notes.shown.length = 0;
      assert.equal(await vscode.commands.executeCommand<boolean>('promptRegistry.refreshModels'), false);
      const done = await notes.next('the forced refresh to report', (m) => m.message.startsWith('Models refreshed'));
      assert.deepEqual(done, { severity: 'info', message: 'Models refreshed: 1 listed.', actions: [] });
      assert.equal(server.count('/v1/models'), 3, 'the refused refresh, then the forced one');
      const catalog = JSON.parse(readWs(CATALOG)) as { models: { id: string; provider: string; active: boolean }[] };
      assert.deepEqual(
        catalog.models.filter((m) => m.provider === 'openai').map((m) => [m.id, m.active]),
        [
          ['gpt-3.5-turbo-0301', false],
          ['gpt-4.1', false],
          ['gpt-4o', true],
          ['gpt-4o-2024-05-13', false],
          ['gpt-4o-mini', false],
        ],
      );
    } finally {
      notes.dispose();
    }
  });

  it('Set Default Model edits prompt-registry.yaml in place, keeping comments', async () => {
    writeWs(CONFIG, savedConfig);
    writeWs(CATALOG, savedCatalog);
    const before = savedConfig;
    await vscode.commands.executeCommand('promptRegistry.setDefaultModel', 'gpt-4o-mini');
    const after = await waitFor('defaultModel to change on disk', () =>
      readWs(CONFIG).includes('defaultModel: gpt-4o-mini') ? readWs(CONFIG) : undefined,
    );
    assert.equal(after, before.replace('defaultModel: gpt-4o\n', 'defaultModel: gpt-4o-mini\n'));
    assert.match(after, /# No automatic model refresh while tests run/);
  });
});
