import * as vscode from 'vscode';
import { KeyedDebouncer } from '../debounce';
import type { WorkspaceRegistry } from '../workspaces';
import { SemanticDiffLens } from './diffLens';
import { registerHistoryCommands } from './historyCommands';
import { HistoryProvider, type HistoryNode } from './historyView';
import { VersionContentProvider } from './versionContent';

export interface HistoryApi {
  provider: HistoryProvider;
  view: vscode.TreeView<HistoryNode>;
  lens: SemanticDiffLens;
}

/**
 * Versions from git in the editor: the History view (following the active
 * prompt), its open/compare/restore/publish actions, read-only version documents,
 * and the semantic-diff lens on prompt diffs.
 */
export function registerHistory(registry: WorkspaceRegistry, log: vscode.LogOutputChannel): HistoryApi & { disposable: vscode.Disposable } {
  const provider = new HistoryProvider(registry);
  const view = vscode.window.createTreeView<HistoryNode>('promptRegistry.history', { treeDataProvider: provider });
  const lens = new SemanticDiffLens(registry);
  const isPrompt = (uri: vscode.Uri | undefined) => !!uri && uri.scheme === 'file' && !!registry.forFile(uri.fsPath)?.files.contains(uri.fsPath);

  const follow = () => {
    const uri = vscode.window.activeTextEditor?.document.uri;
    // Another kind of editor (or none) keeps the last prompt on screen, as the Timeline does.
    if (isPrompt(uri) && uri!.fsPath !== provider.state.file) void provider.show(uri!.fsPath);
  };
  const debouncer = new KeyedDebouncer<'reload'>(300, () => void provider.reload());
  const reload = () => debouncer.trigger('reload');
  provider.onDidLoad((s) => {
    view.message = s.message;
    view.description = s.promptId;
  });

  // Commits, checkouts and tag moves change the history without touching the prompt file. Not the
  // index: our own `git status` may rewrite it, which would make every reload trigger the next.
  const gitWatcher = vscode.workspace.createFileSystemWatcher('**/.git/{HEAD,packed-refs,refs/heads/**,refs/tags/**}');
  const disposable = vscode.Disposable.from(
    provider,
    view,
    lens,
    VersionContentProvider.register(),
    registerHistoryCommands(provider, log),
    gitWatcher,
    gitWatcher.onDidChange(reload),
    gitWatcher.onDidCreate(reload),
    gitWatcher.onDidDelete(reload),
    vscode.workspace.onDidSaveTextDocument((d) => {
      if (d.uri.fsPath === provider.state.file) reload();
    }),
    vscode.window.onDidChangeActiveTextEditor(follow),
    debouncer,
    vscode.commands.registerCommand('promptRegistry.prompts.showHistory', async (arg?: { file?: string } | vscode.Uri) => {
      const file = arg instanceof vscode.Uri ? arg.fsPath : arg?.file ?? vscode.window.activeTextEditor?.document.uri.fsPath;
      if (!file) return undefined;
      await vscode.commands.executeCommand('promptRegistry.history.focus');
      return provider.show(file);
    }),
  );
  void vscode.commands.executeCommand('setContext', 'promptRegistry.historyAvailable', true);
  follow();
  return { disposable, provider, view, lens };
}
