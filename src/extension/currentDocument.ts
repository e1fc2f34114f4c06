import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { stripBom } from '../core/text/bom';

/**
 * An open document that has no unsaved changes can still show an older text than its file: after a checkout,
 * or another tool's write, VS Code reloads it only once its file watcher reports the change. An edit computed
 * on that text is applied to it, and its save is then refused (the file on disk is newer): the change never
 * reaches the disk and the old text is left unsaved, in force for everything that follows unsaved edits.
 * So an edit first waits, a bounded time, for the document to match the disk.
 */
export type CurrentDocument =
  { ok: true; doc: vscode.TextDocument } | { ok: false; doc: vscode.TextDocument; reason: 'stale' };

const CATCH_UP_MS = 5_000;
const RECHECK_MS = 50;

/**
 * The document of `uri`, once it is safe to edit: it has unsaved changes (the user's text, to keep), or its text
 * is the file's (a missing file counts as current). `stale`: the editor did not catch up in time.
 */
export async function openCurrentDocument(uri: vscode.Uri, waitMs = CATCH_UP_MS): Promise<CurrentDocument> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (doc.isDirty || doc.isClosed) return { ok: true, doc };
    const disk = await readDisk(uri);
    if (disk === undefined || disk === doc.getText()) return { ok: true, doc };
    const left = deadline - Date.now();
    if (left <= 0) return { ok: false, doc, reason: 'stale' };
    await changeOf(doc, Math.min(left, RECHECK_MS));
  }
}

/**
 * Saves an edited document. save() is false when the editor saved nothing: another save (auto-save,
 * afterDelay) got there first, or the editor is still reloading the file and does not save meanwhile. Both
 * settle within moments, so it tries again for a few seconds. True once the disk has `text`; false leaves the
 * edit unsaved in the editor (the caller says so).
 */
export async function saveEdited(doc: vscode.TextDocument, text: string): Promise<boolean> {
  for (let attempt = 0; attempt < SAVE_ATTEMPTS; attempt++) {
    if (attempt) await new Promise((r) => setTimeout(r, SAVE_RETRY_MS));
    if (await doc.save()) return true;
    if (!doc.isDirty) return doc.getText() === text && (await readDisk(doc.uri)) === text;
  }
  return false;
}

const SAVE_ATTEMPTS = 30;
const SAVE_RETRY_MS = 100;

/** The file's text as a document holds it (without a BOM), or undefined when it cannot be read. */
export function readDisk(uri: vscode.Uri): Promise<string | undefined> {
  return fs.promises.readFile(uri.fsPath, 'utf8').then(stripBom, () => undefined);
}

/** Resolves once `doc` has `text` (an editor reloading a file just written), or after a few seconds regardless. */
export async function untilText(doc: vscode.TextDocument, text: string, waitMs = CATCH_UP_MS): Promise<boolean> {
  const deadline = Date.now() + waitMs;
  while (!doc.isClosed && doc.getText() !== text) {
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await changeOf(doc, Math.min(left, RECHECK_MS));
  }
  return true;
}

function changeOf(doc: vscode.TextDocument, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const sub = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === doc) finish();
    });
    const timer = setTimeout(finish, ms);
    function finish() {
      clearTimeout(timer);
      sub.dispose();
      resolve();
    }
  });
}

/** The words for a document that did not catch up with its file. */
export function staleText(name: string): string {
  return `${name} changed on disk and the editor has not reloaded it yet; nothing was changed. Try again in a moment.`;
}
