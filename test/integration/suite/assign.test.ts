// Change Model and bulk assign in the real extension host.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  captureNotifications,
  keys,
  nextModelPicker,
  readWs,
  removeWs,
  revertAndCloseAll,
  waitFor,
  writeWs,
  wsPath,
  wsUri,
} from './helpers';

// CRLF throughout: VS Code keeps a document's line endings when saving, and normalizes mixed ones on load.
const crlf = (i: number, model: string) =>
  `---\r\n# keep this comment\r\nmodel: ${model}   # pinned\r\ntemperature: 0.${i % 10}\r\ninputs: {a: {type: string}}\r\n---\r\nBody ${i} {{a}}\r\n`;

describe('assign', function () {
  this.timeout(90_000);

  afterEach(async () => {
    await revertAndCloseAll();
  });

  it('Change Model: choosing in the picker writes only the model value to the file, and says so', async () => {
    const before = readWs('prompts/clean.md');
    const notes = captureNotifications();
    await waitFor(
      'clean.md indexed',
      () => keys('prompts/clean.md').length === 0 && keys('prompts/models/unknown-model.md').length > 0,
    );
    const shown = nextModelPicker('Change Model');
    const done = vscode.commands.executeCommand('promptRegistry.changeModel', wsUri('prompts/clean.md'));
    // The picker opens with the current model (gpt-4o) active; the enabled, active models
    // sorted by id are gpt-4o, gpt-4o-2024-05-13, gpt-4o-mini: two steps down is gpt-4o-mini.
    assert.deepEqual((await shown).refs.slice(0, 3), ['gpt-4o', 'gpt-4o-2024-05-13', 'gpt-4o-mini']);
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await done;
    try {
      const after = await waitFor('clean.md saved with the new model', () =>
        readWs('prompts/clean.md') !== before ? readWs('prompts/clean.md') : undefined,
      );
      assert.equal(after, before.replace('model: gpt-4o\n', 'model: gpt-4o-mini\n'));
      const said = await notes.next('the summary of Change Model', (m) => m.message.startsWith('Model '));
      assert.deepEqual(said, { severity: 'info', message: 'Model gpt-4o-mini: 1 updated, 0 failed.', actions: [] });
      assert.equal(notes.shown.length, 1, JSON.stringify(notes.shown));
    } finally {
      notes.dispose();
      writeWs('prompts/clean.md', before);
    }
  });

  it('bulk assign over 50 prompts is one edit and a single undo; saved; "50 updated, 1 failed" with the reason', async () => {
    // Outside prompts/ so the other suites' views never see these files; the command takes any paths.
    const files: string[] = [];
    for (let i = 0; i < 50; i++) {
      const rel = `bulk/p${String(i).padStart(2, '0')}.md`;
      writeWs(rel, crlf(i, 'gpt-4o'));
      files.push(wsPath(rel));
    }
    const notes = captureNotifications();
    try {
      const missing = wsPath('bulk/deleted.md');
      const result = await vscode.commands.executeCommand<{
        updated: number;
        unchanged: number;
        failed: { file: string; reason: string }[];
      }>('promptRegistry.assignModel', { files: [...files, missing], model: 'gpt-4o-mini', confirm: false });
      assert.equal(result.updated, 50);
      assert.deepEqual(
        result.failed.map((f) => [f.file, f.reason]),
        [[missing, 'file was deleted']],
      );
      const said = await notes.next('the bulk summary', (m) => m.message.includes('updated'));
      assert.deepEqual(said, {
        severity: 'warning',
        message: '50 updated, 1 failed. deleted.md: file was deleted',
        actions: ['Show Log'],
      });
      for (let i = 0; i < 50; i++) {
        const rel = `bulk/p${String(i).padStart(2, '0')}.md`;
        assert.equal(readWs(rel), crlf(i, 'gpt-4o-mini'), rel);
      }
      // One undo, from any of the files, reverts all 50 (the documents; saving would write them back).
      const doc = await vscode.workspace.openTextDocument(wsUri('bulk/p07.md'));
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('undo');
      for (let i = 0; i < 50; i++) {
        const d = await vscode.workspace.openTextDocument(wsUri(`bulk/p${String(i).padStart(2, '0')}.md`));
        assert.equal(d.getText(), crlf(i, 'gpt-4o'), `p${i} after one undo`);
      }
    } finally {
      notes.dispose();
      await revertAndCloseAll();
      removeWs('bulk');
    }
  });

  it('rejects a model that is not enabled, changing nothing, with the reason', async () => {
    const before = readWs('prompts/clean.md');
    const notes = captureNotifications();
    try {
      const result = await vscode.commands.executeCommand('promptRegistry.assignModel', {
        files: [wsPath('prompts/clean.md')],
        model: 'gpt-4.1',
        confirm: false,
      });
      assert.equal(result, undefined);
      assert.equal(readWs('prompts/clean.md'), before);
      const said = await notes.next('the refusal', (m) => m.message.startsWith('Cannot assign'));
      assert.deepEqual(said, {
        severity: 'error',
        message: 'Cannot assign gpt-4.1: "gpt-4.1" is not enabled in this workspace (models.enabled).',
        actions: [],
      });
    } finally {
      notes.dispose();
    }
  });

  it('bulk assign right after an open prompt changed on disk edits the new text, not the editor’s older copy', async () => {
    // A prompt open in the host (no unsaved changes) that another tool rewrites: the command runs before the
    // editor has reloaded it. An edit of the older text would not save, and would leave that text unsaved.
    const rel = 'bulk/rewritten.md';
    writeWs(rel, crlf(1, 'gpt-4o'));
    try {
      const doc = await vscode.workspace.openTextDocument(wsUri(rel));
      assert.equal(doc.getText(), crlf(1, 'gpt-4o'));
      const rewritten = crlf(2, 'gpt-4o').replace('Body 2', 'Body rewritten on disk');
      writeWs(rel, rewritten);
      const result = await vscode.commands.executeCommand<{ updated: number; failed: unknown[] }>(
        'promptRegistry.assignModel',
        { files: [wsPath(rel)], model: 'gpt-4o-mini', confirm: false },
      );
      assert.deepEqual([result.updated, result.failed], [1, []]);
      assert.equal(readWs(rel), rewritten.replace('model: gpt-4o ', 'model: gpt-4o-mini '));
      assert.equal(doc.isDirty, false, 'nothing is left unsaved');
      assert.equal(doc.getText(), readWs(rel));
    } finally {
      await revertAndCloseAll();
      removeWs('bulk');
    }
  });
});
