// Model catalog sync inside the real extension host, against a loopback OpenAI-compatible server.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { FakeOpenAI } from '../../support/fakeOpenAI';
import { keys, readWs, waitFor, writeWs } from './helpers';

const CONFIG = 'prompt-registry.yaml';
const CATALOG = '.prompt-registry/catalog.json';

describe('catalog sync', function () {
  this.timeout(60_000);
  let server: FakeOpenAI;
  let savedConfig: string;
  let savedCatalog: string;

  before(async () => {
    server = await new FakeOpenAI().start();
    savedConfig = readWs(CONFIG);
    savedCatalog = readWs(CATALOG);
  });

  after(async () => {
    writeWs(CONFIG, savedConfig);
    writeWs(CATALOG, savedCatalog);
    await server.stop();
    await waitFor('clean.md to be clean again', () => keys('prompts/clean.md').length === 0);
  });

  it('Refresh Models against the loopback server makes inactive-model appear on a prompt that was clean', async () => {
    await waitFor(
      'clean.md to be indexed and clean',
      () => keys('prompts/clean.md').length === 0 && keys('prompts/models/unknown-model.md').length > 0,
    );
    // The provider named "openai" now points at the loopback server; gpt-4o is gone from its list.
    writeWs(
      CONFIG,
      savedConfig.replace(
        'defaultModel: gpt-4o',
        `providers:\n  - name: openai\n    baseURL: ${server.baseURL}\ndefaultModel: gpt-4o`,
      ),
    );
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

  it('a failing refresh keeps catalog.json byte-identical', async () => {
    const before = readWs(CATALOG);
    server.fail('/v1/models', ...[1, 2, 3].map(() => ({ kind: 'status' as const, status: 500 })));
    const ok = await vscode.commands.executeCommand<boolean>('promptRegistry.refreshModels');
    assert.equal(ok, false);
    assert.equal(readWs(CATALOG), before);
  });

  it('Set Default Model edits prompt-registry.yaml in place, keeping comments', async () => {
    const before = readWs(CONFIG);
    await vscode.commands.executeCommand('promptRegistry.setDefaultModel', 'gpt-4o-mini');
    const after = await waitFor('defaultModel to change on disk', () =>
      readWs(CONFIG).includes('defaultModel: gpt-4o-mini') ? readWs(CONFIG) : undefined,
    );
    assert.equal(after, before.replace('defaultModel: gpt-4o\n', 'defaultModel: gpt-4o-mini\n'));
    assert.match(after, /# No automatic model refresh while tests run/);
  });
});
