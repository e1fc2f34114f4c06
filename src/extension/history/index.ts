import * as vscode from 'vscode';
import { KeyedDebouncer } from '../debounce';
import { pickPromptFile } from '../palette/pickPrompt';
import type { DisposableStore } from '../lifecycle';
import type { Notifier } from '../notifier';
import type { WorkspaceRegistry } from '../workspaces';
import { SemanticDiffLens } from './diffLens';
import { registerHistoryCommands } from './historyCommands';
import { HistoryProvider, type HistoryNode } from './historyView';
import { versionActions, type VersionActions } from './versionActions';
import { VersionContentProvider } from './versionContent';

export interface HistoryApi {
  provider: HistoryProvider;
  view: vscode.TreeView<HistoryNode>;
  lens: SemanticDiffLens;
  /** What the view's items do to a version; the palette runs the same. */
  actions: VersionActions;
}

/**
 * Versions from git in the editor: the History view (following the active
 * prompt), its open/compare/restore/publish actions, read-only version documents,
 * and the semantic-diff lens on prompt diffs.
 */
export function registerHistory(
  store: DisposableStore,
  registry: WorkspaceRegistry,
  log: vscode.LogOutputChannel,
  notifier: Notifier,
): HistoryApi {
  const provider = store.add(new HistoryProvider(registry));
  const view = store.add(
    vscode.window.createTreeView<HistoryNode>('promptRegistry.history', { treeDataProvider: provider }),
  );
  const lens = store.add(new SemanticDiffLens(registry));
  const debouncer = store.add(new KeyedDebouncer<'reload'>(300, () => void provider.reload()));
  const reload = () => debouncer.trigger('reload');

  const follow = () => {
    const file = registry.promptFileAt(vscode.window.activeTextEditor?.document.uri)?.file;
    // Another kind of editor (or none) keeps the last prompt on screen, as the Timeline does.
    if (!file) return;
    if (file !== provider.file) void provider.show(file);
    // Back on the same prompt: catch up with git changes whose file events were missed.
    else reload();
  };
  store.add(
    provider.onDidLoad((s) => {
      view.message = s.message;
      view.description = s.promptId;
    }),
  );

  // Commits, checkouts and tag moves change the history without touching the prompt file. Not the
  // index: our own `git status` may rewrite it, which would make every reload trigger the next.
  // The repository itself appearing or going (git init, a clone, rm -rf .git) is watched too: the
  // files git writes into a brand-new .git folder come before the watcher follows it, so are missed.
  for (const glob of ['**/.git/{HEAD,packed-refs,refs/heads/**,refs/tags/**}', '**/.git']) {
    const w = store.add(vscode.workspace.createFileSystemWatcher(glob));
    store.add(vscode.Disposable.from(w.onDidChange(reload), w.onDidCreate(reload), w.onDidDelete(reload)));
  }
  const actions = versionActions(provider, log, notifier);
  registerHistoryCommands(store, provider, actions);
  store.add(VersionContentProvider.register());
  store.add(
    vscode.Disposable.from(
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (d.uri.fsPath === provider.file) reload();
      }),
      vscode.window.onDidChangeActiveTextEditor(follow),
      // Trusted now: git may run, so the versions can be read.
      vscode.workspace.onDidGrantWorkspaceTrust(reload),
      // Git run in a terminal outside VS Code: its file events may have been missed.
      vscode.window.onDidChangeWindowState((s) => {
        if (s.focused) reload();
      }),
      vscode.commands.registerCommand(
        'promptRegistry.prompts.showHistory',
        async (arg?: { file?: string } | vscode.Uri) => {
          const file =
            arg instanceof vscode.Uri
              ? arg.fsPath
              : (arg?.file ??
                registry.promptFileAt(vscode.window.activeTextEditor?.document.uri)?.file ??
                (await pickPromptFile(registry, 'Show History of which prompt?')));
          if (!file) return undefined;
          await vscode.commands.executeCommand('promptRegistry.history.focus');
          return provider.show(file);
        },
      ),
    ),
  );
  void vscode.commands.executeCommand('setContext', 'promptRegistry.historyAvailable', true);
  follow();
  return { provider, view, lens, actions };
}
