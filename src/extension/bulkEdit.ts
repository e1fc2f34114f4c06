import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { planAssign, type AssignOutcome } from '../core/assign/assign';
import { LineIndex } from '../core/text/lineIndex';
import { errorMessage } from '../core/text/errorMessage';
import { stripBom } from '../core/text/bom';
import { openCurrentDocument, saveEdited } from './currentDocument';

export interface BulkResult {
  updated: number;
  unchanged: number;
  failed: { file: string; reason: string }[];
}

/**
 * Sets `model` on every file as ONE WorkspaceEdit, so the whole change is a
 * single undo. Text comes from the open document when there is one (unsaved
 * edits are kept), else from disk; an open clean one first catches up with
 * the disk. Files that were not dirty are saved after, so the CLI and git see
 * the change; dirty ones stay dirty.
 */
export async function assignInEditor(files: string[], model: string): Promise<BulkResult> {
  const edit = new vscode.WorkspaceEdit();
  const result: BulkResult = { updated: 0, unchanged: 0, failed: [] };
  const toSave: vscode.Uri[] = [];
  const open = new Map(
    vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'file').map((d) => [d.uri.fsPath, d]),
  );
  for (const file of files) {
    const uri = vscode.Uri.file(file);
    let doc = open.get(file);
    let text: string;
    if (doc) {
      const current = await openCurrentDocument(uri);
      if (!current.ok) {
        result.failed.push({ file, reason: 'changed on disk, and the editor has not reloaded it yet' });
        continue;
      }
      doc = current.doc;
      text = doc.getText();
    } else {
      try {
        text = stripBom(fs.readFileSync(file, 'utf8'));
      } catch (e) {
        result.failed.push({
          file,
          reason:
            (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file was deleted' : `cannot read: ${errorMessage(e)}`,
        });
        continue;
      }
    }
    const plan: AssignOutcome = planAssign(file, text, model);
    if (plan.status === 'failed') result.failed.push({ file, reason: plan.reason });
    else if (plan.status === 'unchanged') result.unchanged++;
    else {
      const lines = new LineIndex(text);
      const pos = (offset: number) => {
        const p = lines.positionAt(offset);
        return new vscode.Position(p.line, p.character);
      };
      for (const e of plan.edits) edit.replace(uri, new vscode.Range(pos(e.start), pos(e.end)), e.newText);
      result.updated++;
      if (!doc?.isDirty) toSave.push(uri);
    }
  }
  if (result.updated === 0) return result;
  if (!(await vscode.workspace.applyEdit(edit, { isRefactoring: false }))) {
    return {
      updated: 0,
      unchanged: result.unchanged,
      failed: [...result.failed, ...toSave.map((u) => ({ file: u.fsPath, reason: 'VS Code rejected the edit' }))],
    };
  }
  const saved = await Promise.all(
    toSave.map(async (uri) => {
      const doc = await vscode.workspace.openTextDocument(uri);
      return saveEdited(doc, doc.getText());
    }),
  );
  toSave.forEach((uri, i) => {
    if (saved[i]) return;
    result.updated--;
    result.failed.push({ file: uri.fsPath, reason: 'changed in the editor, but the editor could not save it' });
  });
  return result;
}

// VS Code documents never contain the BOM; offsets must be computed on the same text.
