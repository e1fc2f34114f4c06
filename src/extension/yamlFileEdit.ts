import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { hasBom } from '../core/text/bom';
import { errorMessage } from '../core/text/errorMessage';
import { setYamlValue, type YamlPath } from '../core/yaml/edit';
import { untilText } from './currentDocument';

/**
 * Sets one YAML value in a file, touching only that value's text. A document with unsaved changes gets it as a
 * WorkspaceEdit (one undo step) and stays unsaved. Otherwise the file on disk is edited and written, and an open
 * editor reloads it (VS Code keeps the reload on its undo stack, so it is still one undo step). Not through the
 * editor's save: an open document can lag behind its file, or hold a stale idea of it after a rewrite by another
 * tool, and a save then fails and leaves the change unsaved.
 */
export async function setYamlValueInFile(
  uri: vscode.Uri,
  path: YamlPath,
  value: unknown,
): Promise<{ ok: true } | { ok: false; error: string }> {
  const name = vscode.workspace.asRelativePath(uri);
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && !d.isClosed);
  if (open?.isDirty) {
    const r = setYamlValue(open.getText(), path, value);
    if (!r.ok) return { ok: false, error: `${name}: ${r.error}` };
    const edit = new vscode.WorkspaceEdit();
    for (const e of r.edits)
      edit.replace(uri, new vscode.Range(open.positionAt(e.start), open.positionAt(e.end)), e.newText);
    return (await vscode.workspace.applyEdit(edit))
      ? { ok: true }
      : { ok: false, error: `${name}: the edit was rejected` };
  }
  let raw = '';
  try {
    raw = await fs.promises.readFile(uri.fsPath, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return { ok: false, error: `${name}: ${errorMessage(e)}` };
  }
  const bom = hasBom(raw) ? '\ufeff' : '';
  const text = raw.slice(bom.length);
  const r = setYamlValue(text, path, value);
  if (!r.ok) return { ok: false, error: `${name}: ${r.error}` };
  const next = r.text;
  if (next === text) return { ok: true };
  try {
    await vscode.workspace.fs.writeFile(uri, Buffer.from(bom + next, 'utf8'));
  } catch (e) {
    return { ok: false, error: `${name}: ${errorMessage(e)}` };
  }
  // Callers read the document next (the views, the diagnostics): return once an open editor shows the change.
  if (open) await untilText(open, next);
  return { ok: true };
}
