// Only providers in prompt-registry.yaml count, and a keyless loopback provider runs from the Testing view:
// editing `providers:` updates diagnostics, the Models view and the picker without a reload.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestingApi } from '../../../src/extension/testing/testController';
import type { ModelsProvider, ProviderNode } from '../../../src/extension/views/modelsView';
import { FakeOpenAI } from '../../support/fakeOpenAI';
import {
  EXTENSION_ID,
  keys,
  ours,
  readWs,
  removeWs,
  revertAndCloseAll,
  nextModelPicker,
  waitFor,
  writeWs,
  wsPath,
  wsUri,
} from './helpers';

const CONFIG = 'prompt-registry.yaml';
const PROMPT = 'prompts/loopback.md';
const SUITE = 'prompts/loopback.suite.yaml';
const ON_OPENAI = 'prompts/clean.md';

interface Api {
  views: { models: ModelsProvider };
  testing: TestingApi;
}

const api = () => vscode.extensions.getExtension(EXTENSION_ID)!.exports as Api;

/** The Models view as "provider: id, id". */
function modelsView(): string[] {
  const view = api().views.models;
  return (view.getChildren() as ProviderNode[])
    .filter((n) => n.kind === 'provider')
    .map((p) => `${p.provider}: ${p.models.map((m) => m.item.row.model.id).join(', ')}`);
}

describe('configured providers', function () {
  this.timeout(60_000);
  let fake: FakeOpenAI;
  let savedConfig: string;

  before(async () => {
    fake = await new FakeOpenAI().start();
    savedConfig = readWs(CONFIG);
  });

  after(async () => {
    await revertAndCloseAll();
    removeWs(SUITE);
    removeWs(PROMPT);
    writeWs(CONFIG, savedConfig);
    // The next suite counts the files with diagnostics at once: wait until the removed prompt's are gone too.
    await waitFor(
      'the original providers to be applied and the removed prompt forgotten',
      () => keys(ON_OPENAI).length === 0 && keys(PROMPT).length === 0,
    );
    await fake.stop();
  });

  it('a new providers: list re-checks prompts, refills the Models view and the picker, and a keyless loopback provider runs a suite', async () => {
    await waitFor(
      'the fixture on openai to be clean',
      () => keys(ON_OPENAI).length === 0 && modelsView().some((l) => l.startsWith('openai: ')),
    );

    // Only a local server with declared models: no key, nothing to fetch.
    writeWs(
      CONFIG,
      `defaultModel: loop-model\nrefreshIntervalHours: 1000000\nproviders:\n  - name: loop\n    baseURL: ${fake.baseURL}\n    models: [loop-model]\n`,
    );
    const d = await waitFor('gpt-4o to be on an unconfigured provider', () =>
      ours(ON_OPENAI).find((k) => String(k.code) === 'provider-not-configured'),
    );
    assert.match(
      d.message,
      /gpt-4o is only in the catalog for provider openai, which prompt-registry\.yaml no longer lists/,
    );
    await waitFor(
      'the Models view to show only the configured provider',
      () => modelsView().join('|') === 'loop: loop-model',
    );

    // The picker offers only loop-model: accepting what it preselects writes it.
    const before = readWs(ON_OPENAI);
    try {
      const shown = nextModelPicker('Change Model');
      const picked = vscode.commands.executeCommand('promptRegistry.changeModel', wsUri(ON_OPENAI));
      assert.deepEqual((await shown).refs, ['loop-model'], 'the picker offers only the configured provider');
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await picked;
      await waitFor('clean.md saved with the picked model', () => readWs(ON_OPENAI).includes('model: loop-model'));
    } finally {
      await revertAndCloseAll();
      writeWs(ON_OPENAI, before);
    }

    writeWs(PROMPT, '---\nmodel: loop-model\ninputs:\n  topic: {type: string}\n---\nExplain {{topic}}.\n');
    writeWs(
      SUITE,
      'cases:\n  - name: answers\n    vars: {topic: loops}\n    assert: [{type: contains, value: LOOPS}]\n',
    );
    const item = await waitFor(
      'the loopback suite item',
      () =>
        api().testing.controller.items.get(wsPath(SUITE))?.children.size === 1 &&
        api().testing.controller.items.get(wsPath(SUITE)),
    );
    const sentBefore = fake.count('/v1/chat/completions');
    const cts = new vscode.CancellationTokenSource();
    try {
      const reports = await api().testing.runRequest(new vscode.TestRunRequest([item]), cts.token);
      assert.deepEqual(
        reports.map((r) => [r.state, r.answeredBy]),
        [['passed', 'loop-model']],
        JSON.stringify(reports),
      );
    } finally {
      cts.dispose();
    }
    assert.ok(fake.count('/v1/chat/completions') > sentBefore, 'the loopback server was called');
    assert.equal(fake.requests.find((r) => r.path === '/v1/chat/completions')!.authorization, 'Bearer no-key');

    // Back to the original providers: openai counts again, without a reload.
    writeWs(CONFIG, savedConfig);
    await waitFor('gpt-4o to validate again', () => keys(ON_OPENAI).length === 0);
    await waitFor(
      'the Models view to show openai again',
      () => modelsView().length === 1 && modelsView()[0]!.startsWith('openai: '),
    );
  });
});
