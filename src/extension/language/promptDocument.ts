import * as path from 'node:path';
import * as vscode from 'vscode';
import { CONFIG_FILE } from '../../core/config/load';
import { parsePrompt } from '../../core/prompt/parse';
import type { ParsedPrompt } from '../../core/prompt/types';
import type { TextEdit } from '../../core/yaml/edit';
import type { PromptWorkspace } from '../../core/workspace/promptWorkspace';
import type { WorkspaceRegistry } from '../workspaces';

/** The workspace of a document that is one of its prompt files, else undefined. */
export function promptWorkspaceOf(
  registry: WorkspaceRegistry,
  document: vscode.TextDocument,
): PromptWorkspace | undefined {
  return registry.promptFileAt(document.uri)?.ws;
}

/** The workspace whose prompt-registry.yaml this document is, else undefined. */
export function configWorkspaceOf(
  registry: WorkspaceRegistry,
  document: vscode.TextDocument,
): PromptWorkspace | undefined {
  if (document.uri.scheme !== 'file') return undefined;
  const ws = registry.forFile(document.uri.fsPath);
  return ws && path.resolve(document.uri.fsPath) === path.join(ws.root, CONFIG_FILE) ? ws : undefined;
}

const parsed = new WeakMap<vscode.TextDocument, { version: number; prompt: ParsedPrompt }>();

/**
 * The prompt as the editor holds it now. The registry's copy of an open
 * document lags typing by a debounce; hover, completion and quick fixes must
 * see the current text, so they parse it themselves (cheap), once per version.
 */
export function currentPrompt(ws: PromptWorkspace, document: vscode.TextDocument): ParsedPrompt {
  const hit = parsed.get(document);
  if (hit && hit.version === document.version) return hit.prompt;
  const file = document.uri.fsPath;
  const prompt = parsePrompt(document.getText(), { file, defaultId: ws.files.idFor(file) });
  parsed.set(document, { version: document.version, prompt });
  return prompt;
}

/**
 * The core editor's text edits as one WorkspaceEdit (one undo step). Offsets
 * are into `document.getText()`, which is what the edits were computed from.
 */
export function toWorkspaceEdit(document: vscode.TextDocument, result: { edits: TextEdit[] }): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const e of result.edits)
    edit.replace(document.uri, new vscode.Range(document.positionAt(e.start), document.positionAt(e.end)), e.newText);
  return edit;
}

/** Markdown from our own describe* text: plain Markdown only, never HTML. */
export function markdown(text: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(text);
  md.supportHtml = false;
  return md;
}
