import * as vscode from 'vscode';
import { describeCostChange, estimateCostChange } from '../../core/catalog/cost';
import { modelRows, type ModelRow } from '../../core/catalog/listing';
import type { PromptWorkspace } from '../../core/workspace/promptWorkspace';
import { setDefaultModel, toggleModelEnabled } from '../configEdits';
import { pickModel } from '../modelPicker';
import type { DisposableStore } from '../lifecycle';
import type { WorkspaceRegistry } from '../workspaces';
import type { ModelNode, ModelsNode, ModelsProvider } from './modelsView';
import type { PromptTreeNode } from '../../core/views/promptTree';
import { plural } from '../../core/text/plural';
import type { ViewSync } from './viewSync';
import { errorMessage } from '../../core/text/errorMessage';

/** What promptRegistry.assignModel resolves to (undefined when the user cancelled). */
export interface AssignResult {
  updated: number;
  failed: { file: string; reason: string }[];
}

export interface ReplaceOptions {
  /** The model to write, skipping the picker (tests, automation). */
  target?: string;
  /** Ask before applying; default true. */
  confirm?: boolean;
}

interface Deps {
  registry: WorkspaceRegistry;
  sync: ViewSync;
  models: ModelsProvider;
  modelsView: vscode.TreeView<ModelsNode>;
  promptsView: vscode.TreeView<PromptTreeNode>;
  log: vscode.LogOutputChannel;
}

/** The Models view's item actions: Set as Default, Enable/Disable, Show Prompts, Replace Everywhere. */
export function registerModelCommands(store: DisposableStore, d: Deps): void {
  const target = (node?: ModelsNode): ModelNode | undefined => {
    const n = node ?? d.modelsView.selection[0];
    return n?.kind === 'model' ? n : undefined;
  };
  store.add(
    vscode.Disposable.from(
      vscode.commands.registerCommand('promptRegistry.models.setDefault', async (node?: ModelsNode) => {
        const n = target(node);
        return n ? setDefaultModel(d.registry, n.ws, n.item.row.ref) : false;
      }),

      vscode.commands.registerCommand('promptRegistry.models.toggleEnabled', async (node?: ModelsNode) => {
        const n = target(node);
        return n ? toggleModelEnabled(d.registry, n.ws, n.item.row.model) : false;
      }),

      vscode.commands.registerCommand('promptRegistry.models.showPrompts', async (node?: ModelsNode) => {
        const n = target(node);
        if (!n) return;
        d.sync.setGrouping('model');
        d.sync.flush();
        const m = n.item.row.model;
        const group = d.sync.tree.modelGroup(n.ws, `${m.provider}/${m.id}`);
        if (!group) {
          void vscode.window.showInformationMessage(`No prompt uses ${n.item.label}.`);
          return;
        }
        await d.promptsView.reveal(group, { select: true, focus: true, expand: true });
      }),

      vscode.commands.registerCommand(
        'promptRegistry.models.replaceEverywhere',
        async (node?: ModelsNode, opts: ReplaceOptions = {}) => {
          const n = target(node);
          return n ? replaceEverywhere(d, n, opts) : undefined;
        },
      ),
    ),
  );
}

/**
 * Moves every prompt on one model to another: pick the target, show the count
 * and the cost change, then let promptRegistry.assignModel apply it as one edit.
 */
async function replaceEverywhere(d: Deps, n: ModelNode, opts: ReplaceOptions): Promise<AssignResult | undefined> {
  d.sync.flush();
  const ws = n.ws;
  const catalog = ws.modelCatalog;
  const source = n.item.row;
  const index = d.sync.tree.index(ws);
  if (!catalog || !index) return undefined;
  const using = index.using(currentModel(ws, source) ?? source.model);
  if (!using.length) {
    void vscode.window.showInformationMessage(`No prompt uses ${source.label}.`);
    return undefined;
  }
  const chosen =
    opts.target !== undefined
      ? modelRows(catalog, ws.settings).find(
          (r) => r.ref === opts.target || `${r.model.provider}/${r.model.id}` === opts.target,
        )
      : await pickModel(ws, {
          title: `Replace ${source.label} in ${plural(using.length, 'prompt')} with…`,
          current: source.ref,
          refresh: () => Promise.resolve(vscode.commands.executeCommand('promptRegistry.refreshModels')),
        });
  if (!chosen) {
    if (opts.target !== undefined) void vscode.window.showErrorMessage(`Unknown model "${opts.target}".`);
    return undefined;
  }
  if (sameModel(chosen, source)) {
    void vscode.window.showInformationMessage(`Those prompts already use ${chosen.label}.`);
    return undefined;
  }
  const cost = describeCostChange(
    estimateCostChange(
      using.map((i) => i.prompt),
      chosen.model,
      catalog,
    ),
  );
  if (opts.confirm !== false) {
    const ok = await vscode.window.showWarningMessage(
      `Replace ${source.label} with ${chosen.label} in ${plural(using.length, 'prompt')}?`,
      { modal: true, detail: `Estimated cost: ${cost}.\nThe change is one edit: Undo reverts every file.` },
      'Replace',
    );
    if (ok !== 'Replace') return undefined;
  }
  let result: AssignResult | undefined;
  try {
    result = await vscode.commands.executeCommand<AssignResult | undefined>('promptRegistry.assignModel', {
      files: using.map((i) => i.file),
      model: chosen.ref,
      confirm: false,
    });
  } catch (e) {
    d.log.error(`Replace ${source.ref} with ${chosen.ref}: ${errorMessage(e)}`);
    void vscode.window.showErrorMessage(`Could not replace ${source.label}: ${errorMessage(e)}`);
    return undefined;
  }
  if (!result) return undefined;
  for (const f of result.failed)
    d.log.warn(`Replace ${source.ref} with ${chosen.ref}: ${ws.files.relative(f.file) ?? f.file}: ${f.reason}`);
  const summary = `${chosen.label}: ${result.updated} updated, ${result.failed.length} failed.`;
  if (!result.failed.length) void vscode.window.showInformationMessage(summary);
  else {
    void vscode.window.showWarningMessage(summary, 'Show Log').then((b) => {
      if (b) d.log.show();
    });
  }
  return result;
}

function sameModel(a: ModelRow, b: ModelRow): boolean {
  return a.model.provider === b.model.provider && a.model.id === b.model.id;
}

/** The node's model in the current catalog: a reload replaces the objects the index compares by identity. */
function currentModel(ws: PromptWorkspace, row: ModelRow) {
  return ws.modelCatalog?.models.find((m) => m.provider === row.model.provider && m.id === row.model.id);
}
