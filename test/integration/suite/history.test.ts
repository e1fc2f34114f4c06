// Versions from git in the real extension host: the History view on a repository the
// suite creates in the workspace, restore as one undo, comparisons with the semantic lens,
// and publishing a label.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HistoryApi } from '../../../src/extension/history';
import type { HistoryNode } from '../../../src/extension/history/historyView';
import {
  captureNotifications,
  EXTENSION_ID,
  keys,
  openEditor,
  readWs,
  removeWs,
  revertAndCloseAll,
  waitFor,
  waitForAsync,
  workspaceRoot,
  writeWs,
  wsPath,
  workspaceGit,
} from './helpers';

const PROMPT = 'prompts/clean.md';
const git = workspaceGit('2026-11-01T10:00:00Z');

function history(): HistoryApi {
  return vscode.extensions.getExtension(EXTENSION_ID)!.exports.history as HistoryApi;
}

type VersionNode = Extract<HistoryNode, { kind: 'version' }>;
function versions(): VersionNode[] {
  return history()
    .provider.getChildren()
    .filter((n): n is VersionNode => n.kind === 'version');
}

describe('history', function () {
  this.timeout(60_000);
  let v1: string, v2: string, v3: string;

  before(async () => {
    // No editor open: opening the prompt below is then a change of the active editor, which the view follows.
    await revertAndCloseAll();
    v1 = readWs(PROMPT);
    v2 = v1.replace('model: gpt-4o\n', 'model: gpt-4o-mini\n');
    v3 = v2
      .replace('temperature: 0.2', 'temperature: 0.7')
      .replace('You explain things simply.', 'You explain things simply and briefly.');
    git('init', '-q', '-b', 'main');
    git('config', 'user.name', 'Ada Reviewer');
    git('config', 'user.email', 'ada@example.com');
    git('config', 'commit.gpgsign', 'false');
    git('config', 'tag.gpgsign', 'false');
    git('add', '-A');
    git('commit', '-q', '-m', 'Add the clean prompt');
    writeWs(PROMPT, v2);
    git('commit', '-q', '-am', 'Move clean to gpt-4o-mini', '-m', 'Cheaper, and good enough for the explain task.');
    writeWs(PROMPT, v3);
    git('commit', '-q', '-am', 'Warmer and shorter answers');
  });

  after(async () => {
    await revertAndCloseAll();
    writeWs(PROMPT, v1);
    removeWs('prompts/draft.md');
    fs.rmSync(path.join(workspaceRoot(), '.git'), { recursive: true, force: true });
    // The next suites read diagnostics at once: wait until clean.md is the fixture's again and draft.md is gone.
    await waitFor(
      'clean.md restored and draft.md forgotten',
      () => keys(PROMPT).length === 0 && keys('prompts/draft.md').length === 0,
    );
  });

  it('follows the active prompt and lists its versions newest first, with author and full message', async () => {
    await openEditor(PROMPT);
    await waitFor(
      'three versions in the History view',
      () => history().provider.state.file === wsPath(PROMPT) && versions().length === 3,
    );
    const items = versions().map((n) => history().provider.getTreeItem(n));
    assert.deepEqual(
      items.map((i) => i.label),
      ['v3  Warmer and shorter answers', 'v2  Move clean to gpt-4o-mini', 'v1  Add the clean prompt'],
    );
    assert.match(String(items[1]!.description), /^Ada Reviewer · /);
    assert.match((items[1]!.tooltip as vscode.MarkdownString).value, /Cheaper, and good enough/);
    assert.equal(history().provider.getChildren()[0]!.kind, 'version', 'a clean file has no working-copy entry');
    assert.equal(history().view.description, 'clean');
  });

  it('Restore This Version writes v1 into the file as one undoable edit, without committing', async () => {
    await openEditor(PROMPT);
    await waitFor('three versions', () => versions().length === 3);
    const node = versions()[2]!;
    assert.equal(
      await vscode.commands.executeCommand('promptRegistry.history.restore', node, { confirm: false }),
      true,
    );
    assert.equal(fs.readFileSync(wsPath(PROMPT), 'utf8'), v1);
    assert.equal(git('log', '--format=%s', '-1'), 'Warmer and shorter answers', 'nothing was committed');
    const editor = await waitFor(
      'the restored editor',
      () => vscode.window.activeTextEditor?.document.uri.fsPath === wsPath(PROMPT) && vscode.window.activeTextEditor,
    );
    assert.equal(editor.document.getText(), v1);
    await vscode.commands.executeCommand('undo');
    await waitFor('one undo to bring back v3', () => editor.document.getText() === v3);
    await editor.document.save();
    await waitFor('the working copy to be clean again', () => history().provider.state.history?.working === 'clean');
  });

  it('Restore succeeds when auto-save saves the restored text first (a slow machine with files.autoSave on)', async () => {
    const editor = await openEditor(PROMPT);
    await waitFor('three versions', () => versions().length === 3);
    // What auto-save does after its delay, done at once: the document is saved before Restore's own save runs,
    // which then has nothing left to save.
    const autoSave = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document.uri.fsPath === wsPath(PROMPT) && e.document.isDirty) void e.document.save();
    });
    const seen = captureNotifications();
    try {
      assert.equal(
        await vscode.commands.executeCommand('promptRegistry.history.restore', versions()[2]!, { confirm: false }),
        true,
      );
    } finally {
      autoSave.dispose();
      seen.dispose();
    }
    assert.deepEqual(
      seen.shown.filter((m) => m.severity === 'error'),
      [],
      'no "could not save" error: the file was saved',
    );
    assert.equal(fs.readFileSync(wsPath(PROMPT), 'utf8'), v1);
    await vscode.commands.executeCommand('undo');
    await waitFor('one undo to bring back v3', () => editor.document.getText() === v3);
    await editor.document.save();
    await waitFor('the working copy to be clean again', () => history().provider.state.history?.working === 'clean');
  });

  it('Compare With Previous opens a titled diff, and the lens sums up the change', async () => {
    await openEditor(PROMPT);
    await waitFor('three versions', () => versions().length === 3);
    const title = await vscode.commands.executeCommand<string>(
      'promptRegistry.history.compareWithPrevious',
      versions()[1]!,
    );
    assert.equal(title, 'clean.md (v1) ↔ clean.md (v2)');
    const tab = await waitFor(
      'the diff tab',
      () =>
        vscode.window.tabGroups.activeTabGroup.activeTab?.label === title &&
        vscode.window.tabGroups.activeTabGroup.activeTab,
    );
    const input = tab.input as vscode.TabInputTextDiff;
    assert.equal(input.modified.scheme, 'prompt-registry-version');
    const doc = await vscode.workspace.openTextDocument(input.modified);
    assert.equal(doc.getText(), v2);
    const lens = await waitForAsync('the semantic diff lens', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>(
        'vscode.executeCodeLensProvider',
        input.modified,
      );
      return l?.find((x) => x.command?.title.includes('model'));
    });
    assert.match(lens.command!.title, /model gpt-4o → gpt-4o-mini · input price −\d+ %/);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      input.modified,
      new vscode.Position(0, 1),
    );
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /What changed in this prompt[\s\S]*- model gpt-4o → gpt-4o-mini\n- input price −\d+ %/);

    const working = await vscode.commands.executeCommand<string>(
      'promptRegistry.history.compareWithWorkingCopy',
      versions()[2]!,
    );
    assert.equal(working, 'clean.md (v1) ↔ clean.md (working copy)');
    const fileLens = await waitForAsync('the lens on the working copy side', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>(
        'vscode.executeCodeLensProvider',
        vscode.Uri.file(wsPath(PROMPT)),
      );
      return l?.find((x) => x.command?.title.includes('temperature'));
    });
    assert.match(fileLens.command!.title, /model gpt-4o → gpt-4o-mini.*temperature 0\.2 → 0\.7.*body \+1 −1/);
  });

  it('Publish… points the production label at a version, shown as a badge', async () => {
    await openEditor(PROMPT);
    await waitFor('three versions', () => versions().length === 3);
    const r = await vscode.commands.executeCommand<{ target: { version: number; tag: string } }>(
      'promptRegistry.history.publish',
      versions()[1]!,
      'production',
    );
    assert.equal(r.target.version, 2);
    assert.equal(r.target.tag, 'prompt-registry/clean/production');
    assert.equal(git('rev-parse', 'prompt-registry/clean/production^{commit}'), versions()[1]!.version.sha);
    await waitFor('the badge on v2', () => versions()[1]?.labels.includes('production'));
    assert.match(String(history().provider.getTreeItem(versions()[1]!).description), /^⟨production⟩ · Ada Reviewer/);
  });

  it('an uncommitted prompt says so', async () => {
    writeWs('prompts/draft.md', '---\nmodel: gpt-4o\n---\nDraft.\n');
    const state = await vscode.commands.executeCommand<{ message?: string }>('promptRegistry.prompts.showHistory', {
      file: wsPath('prompts/draft.md'),
    });
    assert.match(state.message ?? '', /draft\.md: not committed yet/);
    assert.equal(history().provider.getChildren()[0]?.kind, 'working');
  });

  it('a reload that overtakes a load answers for the prompt asked for last, not the one shown before', async () => {
    const provider = history().provider;
    const draft = wsPath('prompts/draft.md');
    writeWs('prompts/draft.md', '---\nmodel: gpt-4o\n---\nDraft.\n');
    await provider.show(wsPath(PROMPT));
    // A commit's file event lands while the draft is loading: the reload must not bring clean.md back.
    const [asked, reloaded] = await Promise.all([provider.show(draft), provider.reload()]);
    for (const s of [asked, reloaded, provider.state]) {
      assert.equal(s.file, draft);
      assert.match(s.message ?? '', /draft\.md: not committed yet/);
    }
  });

  it('a repository removed under the view: it says so and lists nothing (no crash)', async () => {
    fs.rmSync(path.join(workspaceRoot(), '.git'), { recursive: true, force: true });
    const state = await vscode.commands.executeCommand<{ message?: string }>('promptRegistry.prompts.showHistory', {
      file: wsPath(PROMPT),
    });
    assert.equal(state.message, 'clean.md is not in a git repository, so it has no versions.');
    assert.deepEqual(history().provider.getChildren(), []);
  });
});
