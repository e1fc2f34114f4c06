import * as vscode from 'vscode';
import type { Grouping, PromptTreeNode } from '../../core/views/promptTree';
import type { DisposableStore } from '../lifecycle';
import type { WorkspaceRegistry } from '../workspaces';
import { registerModelCommands } from './modelCommands';
import { ModelsProvider, type ModelsNode } from './modelsView';
import { PromptsProvider } from './promptsView';
import { ViewSync } from './viewSync';

export interface Views {
  prompts: PromptsProvider;
  models: ModelsProvider;
  sync: ViewSync;
  promptsView: vscode.TreeView<PromptTreeNode>;
}

const GROUPING_NAMES: Record<Grouping, string> = { folder: 'by folder', model: 'by model', tag: 'by tag' };

/** The Prompts and Models views, their title-bar and item commands. */
export function registerViews(
  store: DisposableStore,
  registry: WorkspaceRegistry,
  log: vscode.LogOutputChannel,
  state?: vscode.Memento,
): Views {
  const sync = store.add(new ViewSync(registry, log, state));
  const prompts = store.add(new PromptsProvider(sync));
  const models = store.add(new ModelsProvider(registry, sync));
  const promptsView = store.add(
    vscode.window.createTreeView<PromptTreeNode>('promptRegistry.prompts', {
      treeDataProvider: prompts,
      canSelectMany: true,
      showCollapseAll: true,
    }),
  );
  const modelsView = store.add(
    vscode.window.createTreeView<ModelsNode>('promptRegistry.models', { treeDataProvider: models }),
  );
  const describe = () => (promptsView.description = GROUPING_NAMES[sync.grouping]);
  sync.listen('prompts', {
    refresh: (nodes) => {
      describe();
      prompts.refresh(nodes);
    },
  });
  sync.listen('models', { refresh: () => models.refresh() });
  describe();

  const groupBy = (g: Grouping) => () => {
    sync.setGrouping(g);
  };
  store.add(
    vscode.Disposable.from(
      vscode.commands.registerCommand('promptRegistry.prompts.groupByFolder', groupBy('folder')),
      vscode.commands.registerCommand('promptRegistry.prompts.groupByModel', groupBy('model')),
      vscode.commands.registerCommand('promptRegistry.prompts.groupByTag', groupBy('tag')),
      vscode.commands.registerCommand(
        'promptRegistry.prompts.revealInExplorer',
        async (arg?: PromptTreeNode | vscode.Uri) => {
          const node = arg ?? promptsView.selection[0];
          const uri =
            node instanceof vscode.Uri ? node : node?.kind === 'prompt' ? vscode.Uri.file(node.file) : undefined;
          if (uri) await vscode.commands.executeCommand('revealInExplorer', uri);
        },
      ),
    ),
  );
  registerModelCommands(store, { registry, sync, models, modelsView, promptsView, log });
  return { prompts, models, sync, promptsView };
}
