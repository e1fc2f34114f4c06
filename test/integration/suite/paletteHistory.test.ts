// The History view's operations from the command palette, with no view open: on the active prompt, the
// version (or label) chosen in a quick pick the test answers, then the same actions as the view's items.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LabelMoveResult } from '../../../src/core/history/labels';
import type { HistoryPaletteApi } from '../../../src/extension/palette/historyPalette';
import type { PickShown, QuickPicks } from '../../../src/extension/quickPicks';
import {
  captureNotifications,
  EXTENSION_ID,
  keys,
  openEditor,
  readWs,
  removeWs,
  revertAndCloseAll,
  waitFor,
  WAIT_MS,
  workspaceRoot,
  writeWs,
  wsPath,
  workspaceGit,
} from './helpers';

const PROMPT = 'prompts/clean.md';
const DRAFT = 'prompts/draft.md';
const TAG = 'prompt-registry/clean/production';
const git = workspaceGit('2026-11-01T10:00:00Z');

const api = () => vscode.extensions.getExtension(EXTENSION_ID)!.exports;
const activeInGit = () => (api().historyPalette as HistoryPaletteApi).activeInGit();
const quickPicks = () => api().palette.quickPicks as QuickPicks;

/** Queues one answer per pick the command will show (the label to accept, or undefined to dismiss) and records what each offered. */
function answerPicks(answers: (string | undefined)[]): vscode.Disposable & { seen: PickShown[] } {
  const seen: PickShown[] = [];
  const sub = quickPicks().onDidShow((shown) => seen.push(shown));
  for (const a of answers) quickPicks().answerNext(() => (a === undefined ? undefined : [a]));
  return { seen, dispose: () => sub.dispose() };
}

/** Resolves once the next pick is open, before anything answers it (the keyboard drives it). */
function nextPick(what: string): Promise<PickShown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`Timed out waiting for the quick pick of ${what}`));
    }, WAIT_MS);
    const sub = quickPicks().onDidShow((shown) => {
      clearTimeout(timer);
      sub.dispose();
      resolve(shown);
    });
  });
}
const tags = () => git('tag', '-l');
const labelCommit = () => git('rev-parse', `${TAG}^{commit}`);

describe('palette history', function () {
  this.timeout(60_000);
  let v1: string, v2: string, v3: string;
  let shas: string[];
  let notes: ReturnType<typeof captureNotifications>;

  before(async () => {
    await revertAndCloseAll();
    v1 = readWs(PROMPT);
    v2 = v1.replace('model: gpt-4o\n', 'model: gpt-4o-mini\n');
    v3 = v2.replace('temperature: 0.2', 'temperature: 0.7');
    git('init', '-q', '-b', 'main');
    git('config', 'user.name', 'Ada Reviewer');
    git('config', 'user.email', 'ada@example.com');
    git('config', 'commit.gpgsign', 'false');
    git('config', 'tag.gpgsign', 'false');
    git('add', '-A');
    git('commit', '-q', '-m', 'Add the clean prompt');
    writeWs(PROMPT, v2);
    git('commit', '-q', '-am', 'Move clean to gpt-4o-mini');
    writeWs(PROMPT, v3);
    git('commit', '-q', '-am', 'Warmer answers');
    shas = git('log', '--format=%H', '--reverse').split('\n');
  });

  beforeEach(() => {
    notes = captureNotifications();
  });

  afterEach(() => notes.dispose());

  after(async () => {
    await revertAndCloseAll();
    writeWs(PROMPT, v1);
    removeWs(DRAFT);
    fs.rmSync(path.join(workspaceRoot(), '.git'), { recursive: true, force: true });
    await waitFor(
      'clean.md restored and draft.md forgotten',
      () => keys(PROMPT).length === 0 && keys(DRAFT).length === 0,
    );
  });

  it('with no prompt open, each command asks which prompt; dismissed, it writes nothing', async () => {
    await revertAndCloseAll();
    const ids = ['compareWithPrevious', 'restoreVersion', 'publish', 'rollbackLabel'];
    const picks = answerPicks(ids.map(() => undefined));
    try {
      for (const id of ids)
        assert.equal(await vscode.commands.executeCommand(`promptRegistry.palette.${id}`), undefined);
      assert.equal(picks.seen.length, ids.length, 'one prompt pick per command');
      for (const shown of picks.seen) {
        assert.match(shown.title, /^Which prompt\? \(to /);
        assert.ok(shown.labels.includes('Clean'), shown.labels.join(' | '));
      }
    } finally {
      picks.dispose();
    }
    assert.equal(tags(), '');
  });

  it('with no prompt open, the prompt picked is the one acted on', async () => {
    await revertAndCloseAll();
    const picks = answerPicks(['Clean']);
    quickPicks().answerNext((shown) => [shown.labels[0]!]); // the newest version that has a previous one
    try {
      const title = await vscode.commands.executeCommand<string>('promptRegistry.palette.compareWithPrevious');
      assert.equal(title, 'clean.md (v2) ↔ clean.md (v3)');
    } finally {
      picks.dispose();
    }
  });

  it('Show History of This Prompt with no prompt open asks which prompt, then shows it', async () => {
    await revertAndCloseAll();
    const picks = answerPicks(['Clean']);
    try {
      const state = await vscode.commands.executeCommand<{ file?: string }>('promptRegistry.prompts.showHistory');
      assert.equal(state.file, wsPath(PROMPT));
    } finally {
      picks.dispose();
    }
  });

  it('Show History of This Prompt shows the active prompt in the History view', async () => {
    await openEditor(PROMPT);
    const state = await vscode.commands.executeCommand<{ file?: string; history?: { versions: unknown[] } }>(
      'promptRegistry.prompts.showHistory',
    );
    assert.equal(state.file, wsPath(PROMPT));
    assert.equal(state.history?.versions.length, 3);
  });

  it('the palette shows the commands only while the active editor is a prompt in git', async () => {
    await openEditor(PROMPT);
    await waitFor('activeInGit on clean.md', () => activeInGit());
    await openEditor('prompt-registry.yaml');
    await waitFor('activeInGit off on the config file', () => !activeInGit());
    await openEditor(PROMPT);
    await waitFor('activeInGit back on clean.md', () => activeInGit());
    await revertAndCloseAll();
    await waitFor('activeInGit off with no editor', () => !activeInGit());
  });

  it('Compare With Previous Version offers the versions that have one and opens the titled diff', async () => {
    await openEditor(PROMPT);
    const picks = answerPicks(['v2  Move clean to gpt-4o-mini']);
    let title: string | undefined;
    try {
      title = await vscode.commands.executeCommand<string>('promptRegistry.palette.compareWithPrevious');
    } finally {
      picks.dispose();
    }
    assert.equal(title, 'clean.md (v1) ↔ clean.md (v2)');
    assert.deepEqual(picks.seen[0]!.labels, ['v3  Warmer answers', 'v2  Move clean to gpt-4o-mini']);
    assert.match(picks.seen[0]!.descriptions[1]!, /^Ada Reviewer · /);
    const tab = await waitFor(
      'the diff tab',
      () =>
        vscode.window.tabGroups.activeTabGroup.activeTab?.label === title &&
        vscode.window.tabGroups.activeTabGroup.activeTab,
    );
    const input = tab.input as vscode.TabInputTextDiff;
    assert.equal((await vscode.workspace.openTextDocument(input.original)).getText(), v1);
    assert.equal((await vscode.workspace.openTextDocument(input.modified)).getText(), v2);
  });

  it('the real quick pick is driven from the keyboard: next, accept', async () => {
    await openEditor(PROMPT);
    const shown = nextPick('Compare With Previous Version');
    const done = vscode.commands.executeCommand<string>('promptRegistry.palette.compareWithPrevious');
    const pick = await shown;
    assert.equal(pick.title, 'Compare clean.md with its previous version');
    assert.deepEqual(pick.labels, ['v3  Warmer answers', 'v2  Move clean to gpt-4o-mini']);
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    assert.equal(await done, 'clean.md (v1) ↔ clean.md (v2)');
  });

  it('Restore a Version… writes the chosen version into the file, saved and not committed; Undo reverts', async () => {
    const editor = await openEditor(PROMPT);
    const picks = answerPicks(['v1  Add the clean prompt']);
    try {
      assert.equal(await vscode.commands.executeCommand('promptRegistry.palette.restoreVersion'), true);
    } finally {
      picks.dispose();
    }
    assert.equal(picks.seen[0]!.labels.length, 3);
    assert.equal(fs.readFileSync(wsPath(PROMPT), 'utf8'), v1);
    assert.equal(git('log', '--format=%s', '-1'), 'Warmer answers', 'nothing was committed');
    await openEditor(PROMPT);
    await vscode.commands.executeCommand('undo');
    await waitFor('one undo to bring back v3', () => editor.document.getText() === v3);
    await editor.document.save();
    assert.equal(fs.readFileSync(wsPath(PROMPT), 'utf8'), v3);
  });

  it('Publish… asks for the label, then the version, and moves the label tag; a dismissed pick writes nothing', async () => {
    await openEditor(PROMPT);
    const dismissed = answerPicks(['production', undefined]);
    try {
      assert.equal(await vscode.commands.executeCommand('promptRegistry.palette.publish'), undefined);
    } finally {
      dismissed.dispose();
    }
    assert.equal(dismissed.seen.length, 2, 'the label, then the version');
    assert.equal(tags(), '', 'dismissing the version pick wrote no tag');

    const first = answerPicks(['production', 'v2  Move clean to gpt-4o-mini']);
    let r: LabelMoveResult | undefined;
    try {
      r = await vscode.commands.executeCommand<LabelMoveResult>('promptRegistry.palette.publish');
    } finally {
      first.dispose();
    }
    assert.equal(first.seen[0]!.descriptions[0], 'new label');
    assert.equal(first.seen[1]!.title, 'Publish clean as production');
    assert.equal(r?.target.version, 2);
    assert.equal(labelCommit(), shas[1]);
    await notes.next('the publish message', (m) =>
      m.message.startsWith(`production of "clean" now points at v2 (${shas[1]!.slice(0, 7)}). Push it with:`),
    );

    // One publish only: there is nothing earlier to roll back to.
    assert.equal(await vscode.commands.executeCommand('promptRegistry.palette.rollbackLabel'), undefined);
    await notes.next('no earlier version', (m) =>
      m.message.startsWith('No label of "clean" has an earlier published version to roll back to'),
    );

    const second = answerPicks(['production', 'v3  Warmer answers']);
    try {
      r = await vscode.commands.executeCommand<LabelMoveResult>('promptRegistry.palette.publish');
    } finally {
      second.dispose();
    }
    assert.equal(second.seen[0]!.descriptions[0], `now at v2 (${shas[1]!.slice(0, 7)})`);
    assert.match(second.seen[1]!.descriptions[1]!, /^⟨production⟩ · Ada Reviewer/);
    assert.equal(r?.previous?.version, 2);
    assert.equal(labelCommit(), shas[2]);
  });

  it('Roll Back Label… shows where the label goes back to, then moves it there as a rollback', async () => {
    await openEditor(PROMPT);
    const picks = answerPicks(['production', `v2 (${shas[1]!.slice(0, 7)})  Move clean to gpt-4o-mini`]);
    let r: LabelMoveResult | undefined;
    try {
      r = await vscode.commands.executeCommand<LabelMoveResult>('promptRegistry.palette.rollbackLabel');
    } finally {
      picks.dispose();
    }
    assert.equal(picks.seen[0]!.descriptions[0], `now at v3 (${shas[2]!.slice(0, 7)})`);
    assert.deepEqual(picks.seen[1]!.labels, [`v2 (${shas[1]!.slice(0, 7)})  Move clean to gpt-4o-mini`]);
    assert.match(picks.seen[1]!.descriptions[0]!, /^published by Ada Reviewer · /);
    assert.deepEqual([r?.previous?.version, r?.target.version], [3, 2]);
    assert.equal(labelCommit(), shas[1]);
    assert.match(git('tag', '-l', '--format=%(contents:subject)', TAG), /^Roll back clean production to v2$/);
    await notes.next('the rollback message', (m) =>
      m.message.startsWith(`production of "clean" rolled back to v2 (${shas[1]!.slice(0, 7)}) (was v3`),
    );
  });

  it('an uncommitted prompt has no versions to act on: it says so and offers no pick', async () => {
    writeWs(DRAFT, '---\nmodel: gpt-4o\n---\nDraft.\n');
    await openEditor(DRAFT);
    await waitFor('activeInGit on the draft (in the repository, no versions)', () => activeInGit());
    const picks = answerPicks([]);
    try {
      assert.equal(await vscode.commands.executeCommand('promptRegistry.palette.restoreVersion'), undefined);
    } finally {
      picks.dispose();
    }
    await notes.next('no versions', (m) => m.message === 'draft.md has no committed versions yet: commit it first.');
    assert.equal(picks.seen.length, 0);
  });

  it('outside a git repository: it says so, offers no pick and writes nothing', async () => {
    fs.rmSync(path.join(workspaceRoot(), '.git'), { recursive: true, force: true });
    await openEditor(PROMPT);
    const before = readWs(PROMPT);
    const picks = answerPicks([]);
    try {
      assert.equal(await vscode.commands.executeCommand('promptRegistry.palette.publish'), undefined);
      assert.equal(await vscode.commands.executeCommand('promptRegistry.palette.restoreVersion'), undefined);
    } finally {
      picks.dispose();
    }
    await waitFor('activeInGit off outside git', () => !activeInGit());
    await notes.next(
      'not in git',
      (m) => m.severity === 'warning' && m.message === 'clean.md is not in a git repository, so it has no versions.',
    );
    assert.equal(picks.seen.length, 0);
    assert.equal(readWs(PROMPT), before);
    assert.ok(!fs.existsSync(path.join(workspaceRoot(), '.git')), 'no repository was created');
  });
});
