// Restricted mode: the launcher runs this file alone in a second window without
// --disable-workspace-trust, so the workspace is untrusted. Files are still checked;
// nothing calls a provider and no suite runs.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestingApi } from '../../../src/extension/testing/testController';
import { FakeOpenAI } from '../../support/fakeOpenAI';
import { useRefreshFixture, withSchedProvider } from './refreshFixture';
import {
  captureNotifications,
  EXTENSION_ID,
  keys,
  openEditor,
  readWs,
  recordRefreshDecisions,
  removeWs,
  waitFor,
  workspaceRoot,
  writeWs,
  wsPath,
  wsUri,
  workspaceGit,
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

// The twin of paletteReview.test.ts: the review itself only reads git, so it opens; running its suites refuses.
describe('git in an untrusted workspace', function () {
  this.timeout(60_000);
  let savedPrompt: string;
  const git = workspaceGit('2026-11-10T10:00:00Z');
  const exports = () => vscode.extensions.getExtension(EXTENSION_ID)!.exports;
  const quickPicks = () => exports().palette.quickPicks as { onDidShow: vscode.Event<{ labels: string[] }> };

  before(() => {
    savedPrompt = readWs('prompts/clean.md');
    git('init', '-q', '-b', 'main');
    git('config', 'user.name', 'Ada Reviewer');
    git('config', 'user.email', 'ada@example.com');
    git('config', 'commit.gpgsign', 'false');
    git('add', '-A');
    git('commit', '-q', '-m', 'The registry as it is');
    git('checkout', '-q', '-b', 'feature');
    writeWs('prompts/clean.md', savedPrompt.replace('temperature: 0.2', 'temperature: 0.7'));
    git('commit', '-q', '-am', 'Warmer');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    writeWs('prompts/clean.md', savedPrompt);
    fs.rmSync(path.join(workspaceRoot(), '.git'), { recursive: true, force: true });
  });

  // A repository can make git run a program (core.fsmonitor on every status, hooks on a tag write): restricted
  // mode runs no git at all. The hook here leaves a mark if anything ran git in this repository.
  const mark = path.join(os.tmpdir(), `pr-untrusted-git-ran-${process.pid}`);
  const armTrap = () => {
    const hook = path.join(os.tmpdir(), `pr-untrusted-fsmonitor-${process.pid}.sh`);
    fs.writeFileSync(hook, `#!/bin/sh\ntouch '${mark}'\nexit 1\n`, { mode: 0o755 });
    fs.rmSync(mark, { force: true });
    git('config', 'core.fsmonitor', hook);
  };

  it('Review Prompt Changes… says it needs trust, offers no pick and runs no git', async () => {
    armTrap();
    let picked = false;
    const sub = quickPicks().onDidShow(() => (picked = true));
    const notes = captureNotifications();
    try {
      assert.equal(await vscode.commands.executeCommand('promptRegistry.palette.reviewChanges'), undefined);
      const m = await notes.next('the refusal', (x) => x.message.startsWith('Review Prompt Changes needs a trusted'));
      assert.equal(m.severity, 'warning');
    } finally {
      notes.dispose();
      sub.dispose();
    }
    assert.equal(picked, false, 'no ref pick');
    assert.equal(fs.existsSync(mark), false, 'git ran in the untrusted repository');
  });

  it('the History view says it needs trust and runs no git', async () => {
    armTrap();
    const history = exports().history as {
      provider: { state: { message?: string; file?: string; history?: unknown } };
    };
    await openEditor('prompts/clean.md');
    await waitFor(
      'the History view to answer for clean.md',
      () =>
        history.provider.state.file === wsPath('prompts/clean.md') &&
        (history.provider.state.message !== undefined || history.provider.state.history !== undefined),
    );
    assert.equal(fs.existsSync(mark), false, 'git ran in the untrusted repository');
    assert.match(history.provider.state.message ?? '', /^History needs a trusted workspace: git is not run here/);
  });

  it('Run Affected Suites at Both Refs refuses, says why and starts nothing', async () => {
    const notes = captureNotifications();
    try {
      const end = await vscode.commands.executeCommand('promptRegistry.palette.reviewRunSuites');
      const reason =
        'Run Affected Suites at Both Refs is disabled: this workspace is not trusted, so no model is called and no suite runs. Trust the workspace to run them.';
      assert.deepEqual(end, { kind: 'refused', reason });
      assert.deepEqual(notes.shown, [{ severity: 'warning', message: reason, actions: [] }]);
    } finally {
      notes.dispose();
    }
    git('config', '--unset', 'core.fsmonitor');
    assert.equal(git('worktree', 'list').split('\n').length, 1, 'no worktree was made');
  });
});
