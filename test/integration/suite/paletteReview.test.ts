// Review Prompt Changes… and Show Call Statistics from the palette: the CLI's reports in a panel, quick picks
// answered through the workbench, a row opening the prompt's diff, and the suites run at both refs on echo.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Rendered } from '../../../src/extension/palette/markdownPreview';
import type { ReviewRunEnd } from '../../../src/extension/palette/reviewCommands';
import type { PickShown, QuickPicks } from '../../../src/extension/quickPicks';
import { FakeOpenAI } from '../../support/fakeOpenAI';
import {
  captureNotifications,
  EXTENSION_ID,
  keys,
  readWs,
  removeWs,
  revertAndCloseAll,
  waitFor,
  workspaceRoot,
  writeWs,
  wsPath,
  WAIT_MS,
  workspaceGit,
} from './helpers';

const CONFIG = 'prompt-registry.yaml';
const PROMPT = 'prompts/clean.md';
const SUITE = 'prompts/clean.suite.yaml';
const SIGNAL = 'prompts/models/not-enabled.md';
const CALLS = '.prompt-registry/calls';

interface Api {
  palette: { quickPicks: QuickPicks };
  review: { panel: { current?: Rendered }; onDidRun: vscode.Event<ReviewRunEnd> };
  callStats: { panel: { current?: Rendered } };
}

function api(): Api {
  return vscode.extensions.getExtension(EXTENSION_ID)!.exports as Api;
}

const git = workspaceGit('2026-11-10T10:00:00Z');

/** Resolves with the next quick pick the palette shows, once it is on screen with its items. */
function nextPick(what: string): Promise<PickShown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`Timed out after ${WAIT_MS} ms waiting for the quick pick of ${what}`));
    }, WAIT_MS);
    const sub = api().palette.quickPicks.onDidShow((shown) => {
      clearTimeout(timer);
      sub.dispose();
      resolve(shown);
    });
  });
}

/**
 * Runs a palette command and answers its quick pick: with `label` through the shared quick-pick hook, or
 * without one by pressing Enter in the workbench, which accepts the item the command highlighted.
 */
async function withPick<T>(command: string, label?: string): Promise<{ result: T; shown: PickShown }> {
  const opened = nextPick(command);
  if (label !== undefined) api().palette.quickPicks.answerNext(() => [label]);
  const done = vscode.commands.executeCommand<T>(command);
  const shown = await opened;
  if (label === undefined) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  return { result: await done, shown };
}

const suite = [
  'cases:',
  '  - name: mentions the topic',
  '    vars:',
  '      topic: recursion',
  '    assert:',
  '      - {type: contains, value: Explain recursion.}',
  '',
].join('\n');

describe('palette review', function () {
  this.timeout(90_000);
  let savedConfig: string;
  let savedPrompt: string;

  before(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    savedConfig = readWs(CONFIG);
    savedPrompt = readWs(PROMPT);
    // The offline echo provider at both refs: BASE and HEAD call the same (no) endpoint.
    writeWs(
      CONFIG,
      savedConfig.replace(
        'models:\n  enabled: [',
        'providers:\n  - {name: local, type: echo}\nmodels:\n  enabled: [gpt-4.1, ',
      ),
    );
    writeWs(SUITE, suite);
    await waitFor('the echo config to be applied', () => !keys(SIGNAL).some((d) => d.code === 'model-not-enabled'));
    git('init', '-q', '-b', 'main');
    git('config', 'user.name', 'Ada Reviewer');
    git('config', 'user.email', 'ada@example.com');
    git('config', 'commit.gpgsign', 'false');
    git('config', 'tag.gpgsign', 'false');
    git('add', '-A');
    git('commit', '-q', '-m', 'The registry as it is');
    git('tag', 'v1');
    git('checkout', '-q', '-b', 'feature');
    // HEAD: warmer, and the body no longer says "Explain", so the suite that passed at BASE fails.
    writeWs(
      PROMPT,
      savedPrompt.replace('temperature: 0.2', 'temperature: 0.7').replace('Explain {{topic}}.', 'Describe {{topic}}.'),
    );
    git('commit', '-q', '-am', 'Warmer, and describe instead of explain');
  });

  after(async () => {
    await revertAndCloseAll();
    if (savedPrompt !== undefined) writeWs(PROMPT, savedPrompt);
    removeWs(SUITE);
    if (savedConfig !== undefined) writeWs(CONFIG, savedConfig);
    fs.rmSync(path.join(workspaceRoot(), '.git'), { recursive: true, force: true });
    await waitFor(
      'the original config to be applied',
      () => keys(SIGNAL).some((d) => d.code === 'model-not-enabled') && keys(PROMPT).length === 0,
    );
  });

  it('Review Prompt Changes… offers branches and tags, defaults to main, and shows the diff report with linked rows', async () => {
    // Enter, without moving: the highlighted default.
    const { result, shown } = await withPick<{ base: { ref: string } }>('promptRegistry.palette.reviewChanges');
    assert.deepEqual(shown.labels, ['feature', 'main', 'v1']);
    assert.deepEqual(shown.descriptions, ['', 'default', ''], 'no upstream: main is the default base');
    assert.equal(result.base.ref, 'main', 'Enter takes the default');
    const r = api().review.panel.current!;
    assert.equal(r.title, 'Review: main → HEAD');
    assert.match(
      r.markdown,
      /^\[▶ Run Affected Suites at Both Refs\]\(command:promptRegistry\.palette\.reviewRunSuites\)/,
    );
    assert.match(r.markdown, /### Prompt changes: `main` → `HEAD`/);
    assert.match(r.markdown, /\*\*1 prompt\*\*: 1 changed/);
    assert.match(
      r.markdown,
      /\| \[`clean`\]\(command:promptRegistry\.palette\.openPromptDiff\?%5B0%5D\) \| changed \| [^|]*temperature 0\.2 → 0\.7/,
    );
    // Rendered by the Markdown extension: the row is a real link the webview runs.
    assert.match(
      r.html,
      /<a href="command:promptRegistry\.palette\.openPromptDiff\?%5B0%5D"[^>]*><code>clean<\/code><\/a>/,
    );
    assert.match(r.html, /Content-Security-Policy" content="default-src 'none'/);
  });

  it("a row's link opens the prompt's diff: the base version ↔ the working copy", async () => {
    const r = api().review.panel.current!;
    const href = /\]\((command:promptRegistry\.palette\.openPromptDiff\?[^)]+)\)/.exec(r.markdown)![1]!;
    const uri = vscode.Uri.parse(href);
    const title = await vscode.commands.executeCommand<string>(uri.path, ...(JSON.parse(uri.query) as unknown[]));
    assert.equal(title, 'clean.md (main) ↔ clean.md (working copy)');
    const tab = await waitFor(
      'the diff tab',
      () =>
        vscode.window.tabGroups.activeTabGroup.activeTab?.label === title &&
        vscode.window.tabGroups.activeTabGroup.activeTab,
    );
    const input = tab.input as vscode.TabInputTextDiff;
    assert.equal(input.original.scheme, 'prompt-registry-version');
    assert.equal(input.modified.fsPath, wsPath(PROMPT));
    const base = await vscode.workspace.openTextDocument(input.original);
    assert.equal(base.getText(), savedPrompt, 'the left side is the prompt at main');
  });

  it('Run Affected Suites at Both Refs runs the suite at main and at HEAD on echo, and the report shows both', async () => {
    const notes = captureNotifications();
    let end: ReviewRunEnd | undefined;
    try {
      end = await vscode.commands.executeCommand<ReviewRunEnd>('promptRegistry.palette.reviewRunSuites');
    } finally {
      notes.dispose();
    }
    assert.deepEqual(notes.shown, [], 'no key to ask about, no endpoint moved');
    assert.ok(end?.kind === 'ran', JSON.stringify(end));
    assert.deepEqual(
      end.run.suites.map((s) => [s.suite, s.base?.passed, s.base?.cases, s.head?.passed, s.head?.cases]),
      [['prompts/clean.suite.yaml', 1, 1, 0, 1]],
    );
    assert.equal(end.run.headPassed, false);
    const r = api().review.panel.current!;
    assert.match(r.markdown, /#### Suites at BASE and HEAD/);
    assert.match(r.markdown, /\| `prompts\/clean\.suite\.yaml` \| [^|]*\(1\/1\) \| [^|]*\(0\/1\) \| 🔻 \|/);
    assert.match(r.markdown, /suites [^·]*\(1\/1\) → [^·]*\(0\/1\)/, 'the headline has the pass rates');
    assert.equal(git('worktree', 'list').split('\n').length, 1, 'the temporary worktrees are gone');
  });

  it('refuses to run when HEAD points a provider somewhere BASE did not, until the reviewer says Run Anyway', async () => {
    const server = await new FakeOpenAI().start();
    try {
      // A pull request that sends the suites (and any key) to a new endpoint.
      writeWs(CONFIG, readWs(CONFIG).replace('{name: local, type: echo}', `{name: local, baseURL: ${server.baseURL}}`));
      git('commit', '-q', '-am', 'Send the suites somewhere else');
      await withPick('promptRegistry.palette.reviewChanges', 'main');

      const notes = captureNotifications();
      try {
        const end = await vscode.commands.executeCommand<ReviewRunEnd>('promptRegistry.palette.reviewRunSuites');
        assert.ok(end.kind === 'refused', JSON.stringify(end));
        assert.match(
          end.reason,
          /^Nothing was run: HEAD calls providers whose endpoint differs from BASE: local \(new → http:\/\/127\.0\.0\.1:\d+\)\. /,
        );
        // The new provider may also get the extension's automatic model refresh (its own notice): only the run's counts here.
        assert.deepEqual(
          notes.shown.filter((m) => m.actions.includes('Run Anyway')),
          [{ severity: 'warning', message: end.reason, actions: ['Run Anyway'] }],
        );
      } finally {
        notes.dispose();
      }
      assert.equal(server.count('/v1/chat/completions'), 0, 'no suite reached the new endpoint');
      assert.doesNotMatch(api().review.panel.current!.markdown, /Suites at BASE and HEAD/);

      // The reviewer has looked, and says Run Anyway (the CLI's --allow-provider-change): both sides run.
      const anyway = captureNotifications((m) => (m.actions.includes('Run Anyway') ? 'Run Anyway' : undefined));
      try {
        const end = await vscode.commands.executeCommand<ReviewRunEnd>('promptRegistry.palette.reviewRunSuites');
        assert.ok(end.kind === 'ran', JSON.stringify(end));
        assert.deepEqual(
          end.run.suites.map((s) => [s.suite, s.base?.cases, s.head?.cases]),
          [['prompts/clean.suite.yaml', 1, 1]],
        );
        assert.equal(anyway.shown.filter((m) => m.actions.includes('Run Anyway')).length, 1);
      } finally {
        anyway.dispose();
      }
      assert.ok(server.count('/v1/chat/completions') > 0, 'HEAD called its endpoint');
      assert.match(api().review.panel.current!.markdown, /#### Suites at BASE and HEAD/);
    } finally {
      await server.stop();
      git('reset', '-q', '--hard', 'HEAD~1');
    }
  });
});

describe('palette review without git', function () {
  it('says the folder is not in a git repository, and shows no pick', async () => {
    assert.ok(!fs.existsSync(path.join(workspaceRoot(), '.git')));
    let picked = false;
    const sub = api().palette.quickPicks.onDidShow(() => (picked = true));
    const notes = captureNotifications();
    try {
      assert.equal(await vscode.commands.executeCommand('promptRegistry.palette.reviewChanges'), undefined);
      assert.deepEqual(notes.shown, [
        {
          severity: 'warning',
          message: 'Review Prompt Changes compares git refs, and this folder is not in a git repository.',
          actions: [],
        },
      ]);
    } finally {
      notes.dispose();
      sub.dispose();
    }
    assert.equal(picked, false);
  });
});

describe('palette call statistics', function () {
  this.timeout(60_000);
  const backup = `${CALLS}-before-palette-stats`;
  const record = (promptId: string, model: string, status: string) =>
    JSON.stringify({
      ts: '2026-11-20T10:00:00.000Z',
      kind: 'case',
      promptId,
      promptVersion: 'abc',
      provider: 'openai',
      model,
      fallback: false,
      varsHash: '0',
      tokensIn: 1200,
      tokensOut: 300,
      costUsd: 0.25,
      latencyMs: 120,
      status,
    });

  before(() => {
    // Other suites' runs may have logged calls: this suite counts only its own.
    if (fs.existsSync(wsPath(CALLS))) fs.renameSync(wsPath(CALLS), wsPath(backup));
  });

  after(async () => {
    await revertAndCloseAll();
    removeWs(CALLS);
    if (fs.existsSync(wsPath(backup))) fs.renameSync(wsPath(backup), wsPath(CALLS));
  });

  it('with no call log, says so and opens nothing', async () => {
    const notes = captureNotifications();
    try {
      const { result } = await withPick<Rendered | undefined>('promptRegistry.palette.callStats');
      assert.equal(result, undefined);
      assert.deepEqual(notes.shown, [
        {
          severity: 'info',
          message: 'No calls logged (.prompt-registry/calls/). Run "prompt-registry run" to make some.',
          actions: [],
        },
      ]);
    } finally {
      notes.dispose();
    }
  });

  it('shows the table by prompt first, then by model when chosen, and remembers that choice', async () => {
    writeWs(
      `${CALLS}/calls.jsonl`,
      [
        record('clean', 'gpt-4o', 'pass'),
        record('clean', 'gpt-4o', 'fail'),
        record('hello', 'gpt-4o-mini', 'pass'),
      ].join('\n') + '\n',
    );
    const byPrompt = await withPick<Rendered>('promptRegistry.palette.callStats');
    assert.deepEqual(byPrompt.shown.labels, ['By prompt', 'By model']);
    assert.equal(byPrompt.result.title, 'Call Statistics by prompt', 'Enter takes "By prompt" the first time');
    assert.match(byPrompt.result.markdown, /^### Call statistics by prompt\n\n\| PROMPT \| CALLS \| PASS RATE \|/);
    assert.match(byPrompt.result.markdown, /^\| `clean` \| 2 \|/m);
    assert.match(byPrompt.result.markdown, /^\| \*\*total\*\* \| \*\*3\*\* \|/m);
    assert.match(byPrompt.result.html, /<table[ >][\s\S]*<td><code>clean<\/code><\/td>/);

    const byModel = await withPick<Rendered>('promptRegistry.palette.callStats', 'By model');
    assert.equal(byModel.result.title, 'Call Statistics by model');
    assert.match(byModel.result.markdown, /^\| `gpt-4o-mini` \| 1 \|/m);

    // Enter again, without moving: the remembered choice is the highlighted one.
    const again = await withPick<Rendered>('promptRegistry.palette.callStats');
    assert.equal(again.result.title, 'Call Statistics by model', 'the last choice is remembered');
  });
});
