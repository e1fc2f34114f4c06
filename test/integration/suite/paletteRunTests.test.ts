// Run Tests… and Compare Models… from the palette, with the quick picks answered through the extension API
// (the answers are applied to the real, open quick pick), against the loopback server through the real client.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PaletteRunEnd } from '../../../src/extension/palette/runCommands';
import type { FailureShown } from '../../../src/extension/palette/showFailures';
import type { QuickPicks } from '../../../src/extension/quickPicks';
import type { Comparison } from '../../../src/extension/testing/comparePanel';
import type { TestingApi } from '../../../src/extension/testing/testController';
import { FakeOpenAI } from '../../support/fakeOpenAI';
import {
  captureNotifications,
  EXTENSION_ID,
  keys,
  nextModelPicker,
  readWs,
  removeWs,
  revertAndCloseAll,
  waitFor,
  workspaceRoot,
  writeWs,
  wsPath,
} from './helpers';

const CONFIG = 'prompt-registry.yaml';
const SIGNAL = 'prompts/models/not-enabled.md';
const CLEAN_SUITE = 'prompts/clean.suite.yaml';
const TAGGED = 'prompts/palette/tagged.md';
const TAGGED_SUITE = 'prompts/palette/tagged.suite.yaml';
const CACHE = '.prompt-registry/cache';
const CALLS = '.prompt-registry/calls';

// The loopback server answers with the last message upper-cased: "EXPLAIN RECURSION." passes, the lower case fails.
const TAGGED_CASES = [
  'cases:',
  '  - name: shouts',
  '    vars: {topic: recursion}',
  '    assert:',
  '      - {type: contains, value: EXPLAIN RECURSION}',
  '  - name: whispers',
  '    vars: {topic: recursion}',
  '    assert:',
  '      - {type: contains, value: explain recursion}',
  '',
].join('\n');
const CLEAN_CASES =
  'cases:\n  - name: loud\n    vars: {topic: loops}\n    assert:\n      - {type: contains, value: LOOPS}\n';

const api = () => vscode.extensions.getExtension(EXTENSION_ID)!.exports;
const testing = () => api().testing as TestingApi;
const picks = () => api().palette.quickPicks as QuickPicks;
const runTests = () => vscode.commands.executeCommand('promptRegistry.palette.runTests') as Thenable<PaletteRunEnd>;

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: workspaceRoot(), encoding: 'utf8' }).trim();
}

/** The models the server was asked for since `from`. */
function modelsAsked(server: FakeOpenAI, from: number): string[] {
  return server.requests
    .slice(from)
    .filter((r) => r.path === '/v1/chat/completions')
    .map((r) => (r.body as { model: string }).model);
}

describe('palette: Run Tests… and Compare Models…', function () {
  this.timeout(60_000);
  let server: FakeOpenAI;
  let savedConfig: string;

  before(async () => {
    server = await new FakeOpenAI().start();
    savedConfig = readWs(CONFIG);
    removeWs(CACHE);
    removeWs(CALLS);
    writeWs(
      CONFIG,
      savedConfig.replace(
        'models:\n  enabled: [',
        `providers:\n  - name: openai\n    baseURL: ${server.baseURL}\nmodels:\n  enabled: [gpt-4.1, `,
      ),
    );
    await waitFor('the loopback config to be applied', () => !keys(SIGNAL).some((d) => d.code === 'model-not-enabled'));
    writeWs(
      TAGGED,
      readWs('prompts/clean.md').replace('name: Clean\n', 'id: palette-tagged\nname: Tagged\ntags: [palette-run]\n'),
    );
    writeWs(TAGGED_SUITE, TAGGED_CASES);
    writeWs(CLEAN_SUITE, CLEAN_CASES);
    await waitFor(
      'both suite items',
      () =>
        testing().controller.items.get(wsPath(TAGGED_SUITE))?.children.size === 2 &&
        testing().controller.items.get(wsPath(CLEAN_SUITE))?.children.size === 1,
    );
  });

  after(async () => {
    await revertAndCloseAll();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors'); // the comparison panel
    fs.rmSync(path.join(workspaceRoot(), '.git'), { recursive: true, force: true });
    removeWs(CLEAN_SUITE);
    removeWs(TAGGED_SUITE);
    removeWs(TAGGED);
    fs.rmSync(wsPath('prompts/palette'), { recursive: true, force: true });
    removeWs(CACHE);
    removeWs(CALLS);
    writeWs(CONFIG, savedConfig);
    await waitFor('the suite items to go', () => testing().controller.items.size === 0);
    await waitFor(
      'the original config to be applied',
      () => keys(SIGNAL).some((d) => d.code === 'model-not-enabled') && keys('prompts/clean.md').length === 0,
    );
    await server.stop();
  });

  it('a tag runs only its suites, with live "n/N cases" progress and one end notification; Show Failures peeks', async () => {
    // The user presses Show Failures on the end notification.
    const seen = captureNotifications((m) => (m.actions.includes('Show Failures') ? 'Show Failures' : undefined));
    const from = server.requests.length;
    const failure = new Promise<FailureShown>((resolve) => {
      const sub = (api().palette.onDidShowFailure as vscode.Event<FailureShown>)((f) => {
        sub.dispose();
        resolve(f);
      });
    });
    try {
      picks().answerNext((shown) => {
        assert.ok(shown.labels.includes('All suites'), shown.labels.join(' | '));
        assert.ok(shown.labels.includes('Folder: prompts/palette'), shown.labels.join(' | '));
        assert.deepEqual(shown.checked, [], 'nothing is remembered yet');
        return ['Tag: palette-run'];
      });
      const end = await runTests();
      assert.equal(end.scope, 'tag palette-run');
      assert.deepEqual([end.outcome.passed, end.outcome.failed], [1, 1]);
      assert.deepEqual(end.outcome.failedIds, [`${wsPath(TAGGED_SUITE)}#whispers`]);
      assert.equal(end.progress.at(-1), '2/2 cases · 1 failed');
      assert.equal(end.progress.length, 2, end.progress.join(' | '));
      assert.match(end.progress[0]!, /^1\/2 cases( · 1 failed)?$/);
      assert.equal(modelsAsked(server, from).length, 2, 'the untagged suite did not run');
      const shown = await seen.next('the end notification', (m) => m.message === end.message);
      assert.equal(shown.severity, 'warning');
      assert.deepEqual(shown.actions, ['Show Failures', 'Re-run Failed']);
      assert.match(end.message, /^1 passed, 1 failed on \S*gpt-4o(?: · \$[\d.]+)? · \d+\.\d s$/);
      // One failed case: its peek opens at once, on the suite file.
      assert.deepEqual(await failure, { id: `${wsPath(TAGGED_SUITE)}#whispers`, peeked: true });
      await waitFor('the suite file in the editor', () =>
        vscode.window.activeTextEditor?.document.uri.fsPath === wsPath(TAGGED_SUITE) ? true : undefined,
      );
    } finally {
      seen.dispose();
    }
  });

  it('opens with the last choice checked, and offers what failed last time; Enter runs them', async () => {
    picks().answerNext((shown) => {
      assert.deepEqual(shown.checked, ['Tag: palette-run']);
      assert.ok(shown.labels.includes('Failed last time'), shown.labels.join(' | '));
      return shown.checked;
    });
    const end = await runTests();
    assert.equal(end.scope, 'tag palette-run');
    assert.equal(end.outcome.passed + end.outcome.failed, 2);

    picks().answerNext(() => ['Failed last time']);
    const failed = await runTests();
    assert.deepEqual(failed.outcome.failedIds, [`${wsPath(TAGGED_SUITE)}#whispers`], 'only the failed case ran');
    assert.equal(failed.outcome.passed, 0);
  });

  it('changed since a git ref: the ref picker starts at main, and only the changed prompt’s suites run', async () => {
    git('init', '-q', '-b', 'main');
    git('config', 'user.name', 'Ada Reviewer');
    git('config', 'user.email', 'ada@example.com');
    git('config', 'commit.gpgsign', 'false');
    git('add', '-A');
    git('commit', '-q', '-m', 'Registry with two tested prompts');
    git('checkout', '-q', '-b', 'shorter-answers');
    writeWs(TAGGED, readWs(TAGGED).replace('You explain things simply.', 'You explain things briefly.'));
    picks().answerNext(() => ['Changed since a git ref…']);
    picks().answerNext((shown) => {
      assert.equal(shown.title, 'Run Tests: suites changed since…');
      assert.deepEqual(shown.labels.slice(0, 2), ['main', 'shorter-answers']);
      return ['main'];
    });
    const end = await runTests();
    assert.equal(end.scope, 'changed since main');
    assert.deepEqual(
      [end.outcome.passed, end.outcome.failed],
      [1, 1],
      'the two cases of the changed prompt, not clean.md',
    );
  });

  it('Run on model…: every case runs on the model picked in the model picker', async () => {
    const from = server.requests.length;
    picks().answerNext(() => ['Tag: palette-run', 'Run on model…']);
    const picker = nextModelPicker('Run Tests on Model…');
    const done = runTests();
    const { refs, title } = await picker;
    assert.equal(title, 'Run Tests on Model…');
    // The picker opens on the default model (gpt-4o); walk to gpt-4o-mini.
    const steps = refs.findIndex((r) => /gpt-4o-mini$/.test(r)) - refs.findIndex((r) => /(^|\/)gpt-4o$/.test(r));
    assert.ok(steps > 0, refs.join(' | '));
    for (let i = 0; i < steps; i++) await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    const end = await done;
    assert.equal(end.outcome.passed + end.outcome.failed, 2);
    assert.deepEqual(modelsAsked(server, from), ['gpt-4o-mini', 'gpt-4o-mini']);
    assert.match(end.message, / on \S*gpt-4o-mini · /);
  });

  it('Compare Models…: suites, then two models, opens the table; one model is refused with the reason', async () => {
    removeWs(CACHE); // the earlier runs' answers would be reused, and nothing would reach the server
    const from = server.requests.length;
    picks().answerNext(() => ['Tag: palette-run']);
    picks().answerNext((shown) => {
      assert.equal(shown.title, 'Compare Models: check 2 to 4 models');
      return ['gpt-4o', 'gpt-4o-mini'];
    });
    const c = (await vscode.commands.executeCommand('promptRegistry.palette.compareModels')) as Comparison;
    assert.equal(c.title, 'Compare Models: palette-tagged');
    assert.deepEqual(
      c.rows.map((r) => [r.model.replace(/^openai\//, ''), r.totals.cases, r.totals.passed]),
      [
        ['gpt-4o', 2, 1],
        ['gpt-4o-mini', 2, 1],
      ],
    );
    assert.deepEqual(modelsAsked(server, from).sort(), ['gpt-4o', 'gpt-4o', 'gpt-4o-mini', 'gpt-4o-mini']);
    await waitFor('the comparison panel', () => testing().comparePanelTitle() === 'Compare Models: palette-tagged');

    const seen = captureNotifications();
    try {
      const before = server.requests.length;
      picks().answerNext(() => ['Tag: palette-run']);
      picks().answerNext(() => ['gpt-4o']);
      assert.equal(await vscode.commands.executeCommand('promptRegistry.palette.compareModels'), undefined);
      const m = await seen.next('the refusal', (x) => x.message.startsWith('Compare Models compares 2 to 4'));
      assert.equal(m.severity, 'warning');
      assert.equal(server.requests.length, before, 'nothing was sent');
    } finally {
      seen.dispose();
    }
  });

  it('a scope that matches nothing says so and runs nothing', async () => {
    const seen = captureNotifications();
    try {
      const before = server.requests.length;
      picks().answerNext(() => ['Changed since a git ref…']);
      picks().answerNext(() => ['shorter-answers']);
      // Committed, the branch's only edit is no longer a change since shorter-answers.
      git('commit', '-q', '-am', 'Briefer');
      assert.equal(await runTests(), undefined);
      const m = await seen.next('the nothing-to-run note', (x) => x.message.includes('no suites to run'));
      assert.equal(m.message, 'Prompt Registry: no suites to run (changed since shorter-answers).');
      assert.equal(server.requests.length, before);
    } finally {
      seen.dispose();
    }
  });
});
