// Restricted mode: the launcher runs this file alone in a second window without
// --disable-workspace-trust, so the workspace is untrusted. Files are still checked;
// nothing calls a provider and no suite runs.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestingApi } from '../../../src/extension/testing/testController';
import { FakeOpenAI } from '../../support/fakeOpenAI';
import { useRefreshFixture, withSchedProvider } from './refreshFixture';
import {
  captureNotifications,
  EXTENSION_ID,
  keys,
  readWs,
  recordRefreshDecisions,
  removeWs,
  waitFor,
  workspaceRoot,
  writeWs,
  wsPath,
  wsUri,
} from './helpers';

const CONFIG = 'prompt-registry.yaml';
const SUITE = 'prompts/clean.suite.yaml';
const CATALOG = '.prompt-registry/catalog.json';

describe('untrusted workspace', function () {
  this.timeout(60_000);
  let server: FakeOpenAI;
  let savedConfig: string;

  before(async () => {
    server = await new FakeOpenAI().start();
    savedConfig = readWs(CONFIG);
    // Every provider points at the loopback server, so any call would be counted.
    writeWs(
      CONFIG,
      savedConfig.replace(
        'defaultModel: gpt-4o',
        `providers:\n  - name: openai\n    baseURL: ${server.baseURL}\ndefaultModel: gpt-4o`,
      ),
    );
  });

  after(async () => {
    removeWs(SUITE);
    writeWs(CONFIG, savedConfig);
    await server.stop();
  });

  it('is untrusted, and the extension is active in limited mode with its diagnostics', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
    await waitFor('the unknown-model diagnostic', () =>
      keys('prompts/models/unknown-model.md').some((d) => d.code === 'unknown-model'),
    );
  });

  it('Refresh Models sends nothing, says why, and leaves the catalog alone', async () => {
    const before = readWs('.prompt-registry/catalog.json');
    const decisions = recordRefreshDecisions();
    const notes = captureNotifications();
    try {
      const ok = await vscode.commands.executeCommand<boolean>('promptRegistry.refreshModels');
      assert.equal(ok, false);
      assert.deepEqual(
        decisions.seen.filter((e) => e.stage === 'refresh').map((e) => [e.trigger, e.decision]),
        [['manual', { kind: 'skipped', reason: 'untrusted' }]],
      );
      assert.deepEqual(notes.shown, [
        {
          severity: 'warning',
          message:
            'Prompt Registry does not call providers in an untrusted workspace. Trust the workspace to refresh models.',
          actions: [],
        },
      ]);
    } finally {
      notes.dispose();
      decisions.dispose();
    }
    assert.equal(server.count('/v1/models'), 0);
    assert.equal(readWs('.prompt-registry/catalog.json'), before);
  });

  it('a test run reports every case skipped and calls no model; there are no ▶ Run lenses', async () => {
    writeWs(
      SUITE,
      'cases:\n  - name: one\n    model: openai/gpt-4o\n    vars:\n      topic: x\n  - name: two\n    vars:\n      topic: y\n',
    );
    const testing = vscode.extensions.getExtension(EXTENSION_ID)!.exports.testing as TestingApi;
    const item = await waitFor(
      'the suite item',
      () =>
        testing.controller.items.get(wsPath(SUITE))?.children.size === 2 && testing.controller.items.get(wsPath(SUITE)),
    );
    const cts = new vscode.CancellationTokenSource();
    try {
      const reports = await testing.runRequest(new vscode.TestRunRequest([item]), cts.token);
      assert.deepEqual(
        reports.map((r) => r.state),
        ['skipped', 'skipped'],
      );
      assert.equal(
        await testing.compareModels(
          new vscode.TestRunRequest([item]),
          ['openai/gpt-4o', 'openai/gpt-4o-mini'],
          cts.token,
        ),
        undefined,
      );
    } finally {
      cts.dispose();
    }
    assert.equal(server.count('/v1/chat/completions'), 0);
    const doc = await vscode.workspace.openTextDocument(wsUri(SUITE));
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
    assert.equal((lenses ?? []).filter((l) => l.command?.command === 'promptRegistry.tests.runItem').length, 0);
  });

  it('the palette run commands say why they are disabled and call no model', async () => {
    writeWs(SUITE, 'cases:\n  - name: one\n    model: openai/gpt-4o\n    vars:\n      topic: x\n');
    const testing = vscode.extensions.getExtension(EXTENSION_ID)!.exports.testing as TestingApi;
    await waitFor('the suite item', () => testing.controller.items.get(wsPath(SUITE))?.children.size === 1);
    assert.equal(await vscode.commands.executeCommand('promptRegistry.palette.runThisPrompt', wsUri(SUITE)), undefined);
    assert.equal(await vscode.commands.executeCommand('promptRegistry.palette.rerunFailed'), undefined);
    const seen = captureNotifications();
    try {
      for (const [command, title] of [
        ['promptRegistry.palette.runTests', 'Run Tests'],
        ['promptRegistry.palette.compareModels', 'Compare Models'],
      ]) {
        assert.equal(await vscode.commands.executeCommand(command!), undefined);
        const m = await seen.next(`${title}'s reason`, (x) => x.message.startsWith(`${title} is disabled`));
        assert.match(m.message, /not trusted, so no model is called/);
      }
    } finally {
      seen.dispose();
    }
    assert.equal(server.count('/v1/chat/completions'), 0);
  });
});

// The twin of autoRefresh.test.ts: there the same change makes one scheduled request; here none.
describe('automatic model refresh (untrusted)', function () {
  this.timeout(60_000);
  const f = useRefreshFixture();

  it('a new keyless loopback provider, due at once, is not scheduled (untrusted), gets no request and the catalog stays byte for byte', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    await waitFor('clean.md to be clean', () => keys('prompts/clean.md').length === 0);
    const decisions = recordRefreshDecisions();
    try {
      writeWs(CONFIG, withSchedProvider(f));
      // The extension reports its scheduling decision once it has read the new providers: no scheduler, untrusted.
      // (A trusted window starts one and refreshes at once, see autoRefresh.test.ts.)
      const d = await decisions.next(
        'the scheduling decision for the "sched" provider',
        (e) => e.stage === 'schedule' && e.root === workspaceRoot() && e.providers.includes('sched'),
      );
      assert.deepEqual(d.decision, { kind: 'skipped', reason: 'untrusted' });
      assert.deepEqual(
        decisions.seen.filter((e) => e.stage === 'refresh'),
        [],
        'no refresh was even attempted',
      );
    } finally {
      decisions.dispose();
    }
    assert.equal(f.server.requests.length, 0, 'no request at all');
    assert.equal(readWs(CATALOG), f.savedCatalog);
  });
});
