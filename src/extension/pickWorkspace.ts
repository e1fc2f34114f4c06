import * as vscode from 'vscode';
import type { PromptWorkspace } from '../core/workspace/promptWorkspace';
import type { WorkspaceRegistry } from './workspaces';

/** The workspace a command acts on: the active editor's, the only one, or the user's choice. */
export async function pickWorkspace(registry: WorkspaceRegistry): Promise<PromptWorkspace | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file') {
    const ws = registry.forFile(active.fsPath);
    if (ws) return ws;
  }
  const all = registry.all();
  if (all.length <= 1) {
    if (!all.length)
      void vscode.window.showWarningMessage(
        'Prompt Registry: open a folder with prompt-registry.yaml or prompts/ first.',
      );
    return all[0];
  }
  const picked = await vscode.window.showQuickPick(
    all.map((ws) => ({ label: vscode.workspace.asRelativePath(ws.root), ws })),
    { title: 'Which folder?' },
  );
  return picked?.ws;
}
