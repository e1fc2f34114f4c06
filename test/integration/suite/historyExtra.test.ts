// The History view's Open This Version and Refresh History, and a prompt's history across a rename (git mv),
// in the real extension host, on a repository this suite creates in the workspace (and removes after).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HistoryApi } from '../../../src/extension/history';
import type { HistoryNode } from '../../../src/extension/history/historyView';
import {
  EXTENSION_ID,
  keys,
  openEditor,
  readWs,
  removeWs,
  revertAndCloseAll,
  waitFor,
  workspaceRoot,
  writeWs,
  wsPath,
  workspaceGit,
} from './helpers';

const PROMPT = 'prompts/hello.md';
const RENAMED = 'prompts/greeting.md';
const git = workspaceGit('2026-11-02T10:00:00Z');

function history(): HistoryApi {
  return vscode.extensions.getExtension(EXTENSION_ID)!.exports.history as HistoryApi;
}

type VersionNode = Extract<HistoryNode, { kind: 'version' }>;
function versions(): VersionNode[] {
  return history()
    .provider.getChildren()
    .filter((n): n is VersionNode => n.kind === 'version');
}

function labels(): string[] {
  return versions().map((n) => String(history().provider.getTreeItem(n).label));
}

describe('history, more', function () {
  this.timeout(60_000);
  let v1: string, v2: string;

  before(async () => {
    await revertAndCloseAll();
    v1 = readWs(PROMPT);
    v2 = v1.replace('Hello {{name}}', 'Hello there, {{name}}');
    git('init', '-q', '-b', 'main');
    git('config', 'user.name', 'Ada Reviewer');
    git('config', 'user.email', 'ada@example.com');
    git('config', 'commit.gpgsign', 'false');
    git('add', '-A');
    git('commit', '-q', '-m', 'Add hello');
    writeWs(PROMPT, v2);
    git('commit', '-q', '-am', 'Friendlier hello');
  });

  after(async () => {
    await revertAndCloseAll();
    removeWs(RENAMED);
    writeWs(PROMPT, v1);
    fs.rmSync(path.join(workspaceRoot(), '.git'), { recursive: true, force: true });
    // The next suites read diagnostics at once: wait until greeting.md is forgotten and hello.md is the fixture's.
    await waitFor('greeting.md forgotten', () => keys(RENAMED).length === 0 && keys(PROMPT).length === 0);
  });

  it('Open This Version opens that version read from git, not the working copy', async () => {
    await openEditor(PROMPT);
    await waitFor('two versions', () => history().provider.state.file === wsPath(PROMPT) && versions().length === 2);
    const uri = await vscode.commands.executeCommand<vscode.Uri>('promptRegistry.history.open', versions()[1]!);
    assert.equal(uri.scheme, 'prompt-registry-version');
    const editor = await waitFor(
      'the version in the active editor',
      () =>
        vscode.window.activeTextEditor?.document.uri.toString() === uri.toString() && vscode.window.activeTextEditor,
    );
    assert.equal(editor.document.getText(), v1, 'v1, while the file on disk is v2');
    assert.equal(readWs(PROMPT), v2);
  });

  it('Refresh History shows a commit made outside VS Code at once', async () => {
    await openEditor(PROMPT);
    await waitFor('two versions', () => history().provider.state.file === wsPath(PROMPT) && versions().length === 2);
    writeWs(PROMPT, v2.replace('gpt-4o', 'gpt-4o-mini'));
    git('commit', '-q', '-am', 'Cheaper hello');
    // Right after the commit, before the file watcher's debounced reload could land.
    const state = await vscode.commands.executeCommand<{ history?: { versions: unknown[] } }>(
      'promptRegistry.history.refresh',
    );
    assert.equal(state.history?.versions.length, 3);
    assert.deepEqual(labels(), ['v3  Cheaper hello', 'v2  Friendlier hello', 'v1  Add hello']);
  });

  it('after git mv and a commit, the renamed prompt still lists the versions from before the rename', async () => {
    await revertAndCloseAll();
    git('mv', PROMPT, RENAMED);
    git('commit', '-q', '-m', 'Rename hello to greeting');
    await openEditor(RENAMED);
    await waitFor(
      'the renamed prompt with four versions',
      () => history().provider.state.file === wsPath(RENAMED) && versions().length === 4,
    );
    assert.deepEqual(labels(), [
      'v4  Rename hello to greeting',
      'v3  Cheaper hello',
      'v2  Friendlier hello',
      'v1  Add hello',
    ]);
    assert.deepEqual(
      versions().map((n) => n.version.gitPath),
      [RENAMED, PROMPT, PROMPT, PROMPT],
    );
    // The version from before the rename opens with its own text.
    const uri = await vscode.commands.executeCommand<vscode.Uri>('promptRegistry.history.open', versions()[3]!);
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.equal(doc.getText(), v1);
  });
});
