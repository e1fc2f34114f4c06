// Palette commands that had no host test: Enable/Disable Models…, Set Default Model on Prompts Without One, Show
// Log, Set API Key, and what the model picker says about each model. Quick picks are driven with VS Code's own
// quick-open commands once the extension API says the picker is open; modals and notifications through the
// extension's notifier.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ResolvedProvider } from '../../../src/core/config/load';
import type { ConsentPrompt } from '../../../src/extension/keyConsent';
import type { QuickPicks } from '../../../src/extension/quickPicks';
import { FakeOpenAI } from '../../support/fakeOpenAI';
import {
  answerModals,
  captureNotifications,
  EXTENSION_ID,
  keys,
  nextModelPicker,
  readWs,
  revertAndCloseAll,
  waitFor,
  workspaceRoot,
  writeWs,
  wsPath,
  wsUri,
  type PickerItemsShown,
} from './helpers';

const CONFIG = 'prompt-registry.yaml';
const CATALOG = '.prompt-registry/catalog.json';
const NOT_ENABLED = 'prompts/models/not-enabled.md';
const NO_MODEL = 'prompts/format/missing-model.md';

interface Api {
  apiKeys: {
    input: (o: vscode.InputBoxOptions) => Thenable<string | undefined>;
    get(p: ResolvedProvider): Promise<string | undefined>;
    describe(p: ResolvedProvider): Promise<string>;
  };
  keyConsent: { prompt: ConsentPrompt };
}

function api(): Api {
  return vscode.extensions.getExtension(EXTENSION_ID)!.exports as Api;
}

const picks = () =>
  (vscode.extensions.getExtension(EXTENSION_ID)!.exports as { palette: { quickPicks: QuickPicks } }).palette.quickPicks;

const ENABLED_BEFORE = 'enabled: [gpt-4o, gpt-4o-mini, gpt-3.5-turbo-0301, gpt-4o-2024-05-13]';
const ENABLED_AFTER = 'enabled: [gpt-4.1, gpt-4o, gpt-4o-2024-05-13, gpt-4o-mini]';

/** Every file under the workspace (the .git folder of another suite included, if any), with its bytes. */
function workspaceFiles(dir = workspaceRoot()): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...workspaceFiles(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** The text of Prompt Registry's output channel as VS Code shows it (an `output:` document once the channel is shown). */
function logDocument(): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find(
    (d) => d.uri.scheme === 'output' && d.getText().includes('Prompt Registry 0.1.0 activated'),
  );
}

describe('palette commands', function () {
  this.timeout(60_000);
  let savedConfig: string;
  let savedCatalog: string;

  before(() => {
    savedConfig = readWs(CONFIG);
    savedCatalog = readWs(CATALOG);
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await revertAndCloseAll();
  });

  /** The fixture config on disk, and applied (no unsaved copy left over it): the model is flagged again. */
  async function restoreConfig(): Promise<void> {
    await revertAndCloseAll();
    writeWs(CONFIG, savedConfig);
    await waitFor('not-enabled.md flagged again', () => keys(NOT_ENABLED).some((d) => d.code === 'model-not-enabled'));
  }

  after(async () => {
    writeWs(CONFIG, savedConfig);
    writeWs(CATALOG, savedCatalog);
    await waitFor(
      'the fixture config to be applied again',
      () => keys(NOT_ENABLED).some((d) => d.code === 'model-not-enabled') && keys('prompts/clean.md').length === 0,
    );
  });

  it('Enable/Disable Models…: the checks in the picker become models.enabled, and the diagnostics follow', async () => {
    await waitFor('not-enabled.md flagged', () => keys(NOT_ENABLED).some((d) => d.code === 'model-not-enabled'));
    const shown = nextModelPicker('Enable/Disable Models');
    const done = vscode.commands.executeCommand<boolean>('promptRegistry.enableModels');
    const picker = await shown;
    assert.match(picker.title, /^Enable\/Disable Models/);
    // Available or enabled: gpt-3.5-turbo-0301 is enabled though no longer available, gpt-4.1 available though not enabled.
    assert.deepEqual(picker.refs, ['gpt-3.5-turbo-0301', 'gpt-4.1', 'gpt-4o', 'gpt-4o-2024-05-13', 'gpt-4o-mini']);
    // A multi-select starts with no active item: the first "next" is the first model.
    try {
      await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
      await vscode.commands.executeCommand('workbench.action.quickPickManyToggle'); // gpt-3.5-turbo-0301 off
      await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
      await vscode.commands.executeCommand('workbench.action.quickPickManyToggle'); // gpt-4.1 on
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      assert.equal(await done, true);
      assert.equal(readWs(CONFIG), savedConfig.replace(ENABLED_BEFORE, ENABLED_AFTER));
      await waitFor('gpt-4.1 enabled: not-enabled.md clean', () => keys(NOT_ENABLED).length === 0);
    } finally {
      await restoreConfig();
    }
  });

  it('Enable/Disable Models… right after prompt-registry.yaml changed on disk edits the new text, not the editor’s older copy', async () => {
    // The config is open in the host, as any earlier edit through the editor leaves it, and another tool (a
    // checkout) rewrites it: the command runs before the editor has reloaded it.
    const doc = await vscode.workspace.openTextDocument(wsUri(CONFIG));
    assert.equal(doc.getText(), savedConfig);
    const changed = savedConfig.replace(
      'fallbackModel: gpt-4o-mini\n',
      'fallbackModel: gpt-4o-mini\n# rewritten on disk\n',
    );
    assert.notEqual(changed, savedConfig);
    try {
      writeWs(CONFIG, changed);
      picks().answerNext((shown) => {
        assert.deepEqual(
          shown.checked,
          [shown.labels[0], ...shown.labels.slice(2)],
          'the enabled models start checked',
        );
        return shown.labels.slice(1); // gpt-3.5-turbo-0301 off, gpt-4.1 on
      });
      assert.equal(await vscode.commands.executeCommand<boolean>('promptRegistry.enableModels'), true);
      assert.equal(readWs(CONFIG), changed.replace(ENABLED_BEFORE, ENABLED_AFTER), 'the disk has the new text, edited');
      assert.equal(doc.isDirty, false, 'nothing is left unsaved');
      assert.equal(doc.getText(), readWs(CONFIG));
    } finally {
      await restoreConfig();
    }
  });

  it('Enable/Disable Models… in an open editor: one undo step; with unsaved changes, they are kept and stay unsaved', async () => {
    const doc = await vscode.workspace.openTextDocument(wsUri(CONFIG));
    await vscode.window.showTextDocument(doc);
    const enable = async () => {
      picks().answerNext((shown) => shown.labels.slice(1)); // gpt-3.5-turbo-0301 off, gpt-4.1 on
      assert.equal(await vscode.commands.executeCommand<boolean>('promptRegistry.enableModels'), true);
    };
    try {
      await enable();
      assert.equal(readWs(CONFIG), savedConfig.replace(ENABLED_BEFORE, ENABLED_AFTER));
      assert.equal(doc.getText(), readWs(CONFIG));
      await vscode.commands.executeCommand('undo');
      assert.equal(doc.getText(), savedConfig, 'one undo brings the list back');
      await vscode.commands.executeCommand('workbench.action.files.save');
      await waitFor('the undo saved', () => readWs(CONFIG) === savedConfig);

      const edit = new vscode.WorkspaceEdit();
      edit.insert(doc.uri, new vscode.Position(0, 0), '# typed, not saved\n');
      assert.ok(await vscode.workspace.applyEdit(edit));
      await enable();
      assert.equal(doc.getText(), '# typed, not saved\n' + savedConfig.replace(ENABLED_BEFORE, ENABLED_AFTER));
      assert.equal(doc.isDirty, true, 'still unsaved');
      assert.equal(readWs(CONFIG), savedConfig, 'the disk is untouched');
    } finally {
      await restoreConfig();
    }
  });

  it('Set Default Model on Prompts Without One: Cancel writes nothing; Set Model writes the default and says so', async () => {
    const before = readWs(NO_MODEL);
    await waitFor('missing-model.md indexed', () => keys(NO_MODEL).length > 0);
    let answer: string | undefined; // Cancel first
    const modals = answerModals(() => answer);
    const notes = captureNotifications();
    try {
      assert.equal(await vscode.commands.executeCommand('promptRegistry.backfillModels'), undefined);
      assert.deepEqual(modals.asked, [
        {
          message: 'Set gpt-4o on 1 prompt without a model?',
          detail: 'prompts/format/missing-model.md',
          actions: ['Set Model'],
        },
      ]);
      assert.equal(readWs(NO_MODEL), before, 'cancelled: unchanged');

      answer = 'Set Model';
      const r = await vscode.commands.executeCommand<{ updated: number }>('promptRegistry.backfillModels');
      assert.equal(r.updated, 1);
      const after = readWs(NO_MODEL);
      assert.match(after, /^model: gpt-4o\r?\n/m);
      assert.equal(after.replace(/^model: gpt-4o\r?\n/m, ''), before, 'only the model line is added');
      const said = await notes.next('the summary', (m) => m.message.startsWith('Model gpt-4o'));
      assert.deepEqual(said, { severity: 'info', message: 'Model gpt-4o: 1 updated, 0 failed.', actions: [] });
      const again = await vscode.commands.executeCommand<{ updated: number }>('promptRegistry.backfillModels');
      assert.equal(again.updated, 0);
      await notes.next('nothing left to do', (m) => m.message === 'Every prompt already has a model.');
    } finally {
      modals.dispose();
      notes.dispose();
      writeWs(NO_MODEL, before);
    }
    await waitFor('missing-model.md without a model again', () => keys(NO_MODEL).length > 0);
  });

  it("the model picker shows each model's prices per 1M tokens and context window", async () => {
    const shown = nextModelPicker('Change Model') as Promise<PickerItemsShown>;
    const done = vscode.commands.executeCommand('promptRegistry.changeModel', wsUri('prompts/clean.md'));
    const picker = await shown;
    // From the fixture's catalog: enabled, active models only. The retirement date is the workspace copy's (dated
    // on the real clock by the launcher).
    const retires = (JSON.parse(readWs(CATALOG)) as { models: { id: string; deprecationDate?: string }[] }).models.find(
      (m) => m.id === 'gpt-4o-2024-05-13',
    )!.deprecationDate;
    assert.deepEqual(
      picker.items.map((i) => [i.ref, i.detail]),
      [
        ['gpt-4o', '$2.50 / $10.00 per 1M in/out · 128k context · recommended'],
        ['gpt-4o-2024-05-13', `$5.00 / $15.00 per 1M in/out · 128k context · retires ${retires}`],
        ['gpt-4o-mini', '$0.15 / $0.60 per 1M in/out · 128k context'],
      ],
    );
    assert.match(picker.items[0]!.description, /^gpt-4o · current/);
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(await done, undefined, 'closed: nothing chosen');
  });

  it('Reveal in Explorer: the Explorer replaces the Prompt Registry views, with the prompt selected', async () => {
    const promptsView = (
      vscode.extensions.getExtension(EXTENSION_ID)!.exports as { views: { promptsView: vscode.TreeView<unknown> } }
    ).views.promptsView;
    await revertAndCloseAll();
    await vscode.commands.executeCommand('promptRegistry.prompts.focus');
    await waitFor('the Prompts view to be visible', () => promptsView.visible);
    // As the Prompts view's context menu passes it: the prompt's tree node.
    await vscode.commands.executeCommand('promptRegistry.prompts.revealInExplorer', {
      kind: 'prompt',
      file: wsPath('prompts/clean.md'),
    });
    await waitFor('the Explorer to take the side bar', () => !promptsView.visible);
    // What the Explorer has selected: with its list focused, Enter (explorer.openAndPassFocus) opens it.
    await vscode.commands.executeCommand('workbench.files.action.focusFilesExplorer');
    await vscode.commands.executeCommand('explorer.openAndPassFocus');
    await waitFor(
      'the selected file to open',
      () => vscode.window.activeTextEditor?.document.uri.fsPath === wsPath('prompts/clean.md'),
    );
  });

  it('Show Log opens the Prompt Registry output channel', async () => {
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await vscode.commands.executeCommand('promptRegistry.showLog');
    const doc = await waitFor('the log to be shown', () =>
      vscode.window.visibleTextEditors.map((e) => e.document).find((d) => d.uri.scheme === 'output'),
    );
    await waitFor('the log text', () => doc.getText().includes('Prompt Registry 0.1.0 activated'));
  });

  it('Set API Key: the typed key lands in secret storage, is used, and never reaches a workspace file or the log', async () => {
    const KEY = 'sk-set-api-key-test-5f1e2d3c4b5a6978';
    const server = await new FakeOpenAI().start();
    server.apiKey = KEY;
    const provider: ResolvedProvider = {
      name: 'keyed',
      type: 'openai',
      baseURL: server.baseURL,
      apiKeyEnv: 'PR_TEST_KEYED_KEY',
      apiKeyEnvExplicit: true,
    };
    const savedInput = api().apiKeys.input;
    const savedPrompt = api().keyConsent.prompt;
    const notes = captureNotifications();
    const asked: vscode.InputBoxOptions[] = [];
    try {
      writeWs(
        CONFIG,
        savedConfig.replace(
          'defaultModel: gpt-4o',
          `providers:\n  - name: keyed\n    baseURL: ${server.baseURL}\n    apiKeyEnv: PR_TEST_KEYED_KEY\ndefaultModel: gpt-4o`,
        ),
      );
      api().apiKeys.input = async (o) => {
        asked.push(o);
        return KEY;
      };
      await vscode.commands.executeCommand('promptRegistry.setApiKey');
      assert.equal(asked.length, 1);
      assert.equal(asked[0]!.password, true, 'the input box masks the key');
      assert.match(
        asked[0]!.title ?? '',
        new RegExp(`^API key for keyed \\(http://127\\.0\\.0\\.1:${server.port}\\)$`),
      );
      await notes.next('the confirmation', (m) => m.message === 'Stored the API key for keyed.');
      assert.equal(await api().apiKeys.describe(provider), 'stored in VS Code');
      assert.equal(await api().apiKeys.get(provider), KEY);

      // The key is used: the refresh reaches the server with it (once the key's host is allowed). The server answers
      // with an error that echoes the key, so only redaction keeps it out of the message and the log.
      api().keyConsent.prompt = async () => 'once';
      const echo = {
        kind: 'status' as const,
        status: 500,
        body: { error: { message: `bad upstream for key ${KEY}` } },
      };
      server.fail('/v1/models', echo, echo, echo);
      assert.equal(await vscode.commands.executeCommand<boolean>('promptRegistry.refreshModels'), false);
      assert.equal(server.sawKey(KEY), 3, 'the first attempt and both retries carried the stored key');
      const failed = await notes.next('the failure', (m) => m.message.startsWith('Refreshing models failed'));
      assert.ok(!failed.message.includes(KEY), `the key is in the message: ${failed.message}`);
      assert.equal(readWs(CATALOG), savedCatalog, 'nothing written');

      for (const file of workspaceFiles())
        assert.ok(!fs.readFileSync(file).includes(KEY), `the key is in ${path.relative(workspaceRoot(), file)}`);
      await vscode.commands.executeCommand('promptRegistry.showLog');
      // The refresh's own log line is there, so the log is read after the key was used.
      const log = await waitFor(
        'the failed refresh in the log',
        () =>
          logDocument()?.getText().includes('refresh failed, the catalog keeps its old list') &&
          logDocument()!.getText(),
      );
      assert.ok(!log.includes(KEY), 'the key is in the log');

      // An empty answer removes it.
      api().apiKeys.input = async () => '';
      await vscode.commands.executeCommand('promptRegistry.setApiKey');
      await notes.next('the removal', (m) => m.message === 'Removed the stored API key for keyed.');
      assert.equal(await api().apiKeys.describe(provider), 'not set');
    } finally {
      api().apiKeys.input = savedInput;
      api().keyConsent.prompt = savedPrompt;
      notes.dispose();
      writeWs(CONFIG, savedConfig);
      writeWs(CATALOG, savedCatalog);
      await server.stop();
    }
  });
});
