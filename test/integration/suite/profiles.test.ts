// The Testing view's "Run With Model…" and "Compare Models…" run profiles themselves: each profile's own run
// handler (as the Testing view calls it), its model picker driven with the quick-open commands, and the
// requests that reach the loopback server ("openai" points there, so no key is needed).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestingApi } from '../../../src/extension/testing/testController';
import { FakeOpenAI } from '../../support/fakeOpenAI';
import {
  EXTENSION_ID,
  keys,
  nextModelPicker,
  readWs,
  removeWs,
  waitFor,
  writeWs,
  wsPath,
  type PickerShown,
} from './helpers';

const CONFIG = 'prompt-registry.yaml';
const SUITE = 'prompts/clean.suite.yaml';
const CACHE = '.prompt-registry/cache';
const CALLS = '.prompt-registry/calls';
// Only a signal that the new config is applied: gpt-4.1 becomes enabled, so not-enabled.md loses its warning.
const SIGNAL = 'prompts/models/not-enabled.md';

function testing(): TestingApi {
  return vscode.extensions.getExtension(EXTENSION_ID)!.exports.testing as TestingApi;
}

function suiteItem(): vscode.TestItem | undefined {
  return testing().controller.items.get(wsPath(SUITE));
}

/** Runs a profile's handler on the suite, as the Testing view does; `drive` answers its model picker meanwhile. */
async function runProfile(
  profile: vscode.TestRunProfile,
  drive: (picker: PickerShown) => Promise<void>,
): Promise<void> {
  const cts = new vscode.CancellationTokenSource();
  try {
    // Listening before the handler starts: it opens the picker before it first yields.
    const shown = nextModelPicker(profile.label);
    const running = profile.runHandler(new vscode.TestRunRequest([suiteItem()!], undefined, profile), cts.token);
    await drive(await shown);
    await running;
  } finally {
    cts.dispose();
  }
}

describe('run profiles', function () {
  this.timeout(60_000);
  let server: FakeOpenAI;
  let savedConfig: string;
  const chatModels = () =>
    server.requests
      .filter((r) => r.path === '/v1/chat/completions')
      .map((r) => (r.body as { model?: string } | undefined)?.model);

  before(async () => {
    server = await new FakeOpenAI().start();
    savedConfig = readWs(CONFIG);
    removeWs(CACHE);
    writeWs(
      CONFIG,
      savedConfig.replace(
        'models:\n  enabled: [',
        `providers:\n  - name: openai\n    baseURL: ${server.baseURL}\nmodels:\n  enabled: [gpt-4.1, `,
      ),
    );
    await waitFor('the loopback config to be applied', () => !keys(SIGNAL).some((d) => d.code === 'model-not-enabled'));
    writeWs(
      SUITE,
      'cases:\n  - name: answers\n    vars:\n      topic: loops\n    assert:\n      - {type: contains, value: EXPLAIN}\n',
    );
    await waitFor('the suite item', () => suiteItem()?.children.size === 1);
  });

  beforeEach(() => {
    server.requests.length = 0;
    removeWs(CACHE); // each run asks the server, not the answer cache
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    removeWs(SUITE);
    removeWs(CACHE);
    removeWs(CALLS);
    writeWs(CONFIG, savedConfig);
    await waitFor('the suite item to go', () => !suiteItem());
    await vscode.commands.executeCommand('workbench.action.closeAllEditors'); // the comparison panel
    await waitFor('the comparison panel to close', () => testing().comparePanelTitle() === undefined);
    await waitFor(
      'the original config to be applied',
      () => keys(SIGNAL).some((d) => d.code === 'model-not-enabled') && keys('prompts/clean.md').length === 0,
    );
    await server.stop();
  });

  it('Run With Model…: the profile asks for a model and every case runs on the one chosen; Escape runs nothing', async () => {
    const profile = testing().profiles.runWithModel;
    assert.equal(profile.label, 'Run With Model…');
    assert.equal(profile.kind, vscode.TestRunProfileKind.Run);

    await runProfile(profile, async (picker) => {
      assert.equal(picker.title, 'Run Tests With Model…');
      assert.deepEqual(picker.refs, ['gpt-4.1', 'gpt-4o', 'gpt-4o-2024-05-13', 'gpt-4o-mini']);
      // It opens on the default model (gpt-4o): two steps down is gpt-4o-mini.
      await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
      await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    });
    assert.deepEqual(chatModels(), ['gpt-4o-mini'], 'the case ran on the model chosen, not the prompt’s gpt-4o');

    server.requests.length = 0;
    await runProfile(profile, async () => {
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    });
    assert.deepEqual(chatModels(), [], 'dismissed: nothing ran');
  });

  it('Compare Models…: the profile starts with the suite’s model checked, runs once per checked model, and shows the table', async () => {
    const profile = testing().profiles.compareModels;
    assert.equal(profile.label, 'Compare Models…');
    await runProfile(profile, async (picker) => {
      assert.equal(picker.title, 'Compare Models: run the tests on each checked model');
      assert.deepEqual(picker.refs, ['gpt-4.1', 'gpt-4o', 'gpt-4o-2024-05-13', 'gpt-4o-mini']);
      // gpt-4o (the prompt's model) starts checked; check gpt-4o-mini, the fourth item, too.
      for (let i = 0; i < 4; i++) await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
      await vscode.commands.executeCommand('workbench.action.quickPickManyToggle');
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    });
    assert.deepEqual(chatModels(), ['gpt-4o', 'gpt-4o-mini'], 'one run per checked model, in the picker’s order');
    await waitFor('the comparison panel', () => testing().comparePanelTitle() === 'Compare Models: clean');
  });
});
