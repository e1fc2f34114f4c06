import * as vscode from 'vscode';
import { setYamlValue, type YamlPath } from '../core/yaml/edit';

/**
 * Sets one YAML value in a file as a single WorkspaceEdit (one undo step),
 * touching only that value's text. A document with unsaved changes keeps
 * them and stays unsaved; a clean one is saved, so the CLI sees the change.
 */
export async function setYamlValueInFile(
  uri: vscode.Uri,
  path: YamlPath,
  value: unknown,
): Promise<{ ok: true } | { ok: false; error: string }> {
  let doc: vscode.TextDocument;
  try {
    doc = await vscode.workspace.openTextDocument(uri);
  } catch {
    const edit = new vscode.WorkspaceEdit();
    edit.createFile(uri, { ignoreIfExists: true });
    await vscode.workspace.applyEdit(edit);
    doc = await vscode.workspace.openTextDocument(uri);
  }
  const wasDirty = doc.isDirty;
  const r = setYamlValue(doc.getText(), path, value);
  if (!r.ok) return { ok: false, error: `${vscode.workspace.asRelativePath(uri)}: ${r.error}` };
  const edit = new vscode.WorkspaceEdit();
  for (const e of r.edits)
    edit.replace(uri, new vscode.Range(doc.positionAt(e.start), doc.positionAt(e.end)), e.newText);
  if (!(await vscode.workspace.applyEdit(edit)))
    return { ok: false, error: `${vscode.workspace.asRelativePath(uri)}: the edit was rejected` };
  if (!wasDirty) await doc.save();
  return { ok: true };
}
