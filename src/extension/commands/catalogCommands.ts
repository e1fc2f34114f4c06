import * as vscode from 'vscode';
import type { ApiKeys } from '../apiKeys';
import { configUri, type CatalogSync } from '../catalogSync';
import type { DisposableStore } from '../lifecycle';
import { pickEnabledModels, pickModel } from '../modelPicker';
import { pickWorkspace } from '../pickWorkspace';
import type { WorkspaceRegistry } from '../workspaces';
import { setYamlValueInFile } from '../yamlFileEdit';

/** Refresh Models, Set API Key, Enable/Disable Models…, Set Default Model. */
export function registerCatalogCommands(store: DisposableStore, registry: WorkspaceRegistry, sync: CatalogSync, keys: ApiKeys): void {
  store.add(vscode.Disposable.from(
    vscode.commands.registerCommand('promptRegistry.refreshModels', async (opts?: { force?: boolean }) => {
      const ws = await pickWorkspace(registry);
      return ws ? sync.refresh(ws, { manual: true, force: opts?.force }) : false;
    }),

    vscode.commands.registerCommand('promptRegistry.setApiKey', async () => {
      const ws = await pickWorkspace(registry);
      if (!ws) return;
      const provider = await keys.promptAndStore(ws.config.config.providers);
      if (provider && ws.catalog.catalog === undefined) await sync.refresh(ws, { manual: true });
    }),

    vscode.commands.registerCommand('promptRegistry.enableModels', async () => {
      const ws = await pickWorkspace(registry);
      if (!ws) return;
      const refs = await pickEnabledModels(ws);
      if (!refs) return;
      const r = await setYamlValueInFile(configUri(ws), ['models', 'enabled'], refs);
      if (!r.ok) void vscode.window.showErrorMessage(`Could not update models.enabled: ${r.error}`);
      else {
        const def = ws.config.config.defaultModel;
        if (def && !refs.includes(def)) void vscode.window.showWarningMessage(`The default model ${def} is now disabled; pick another with "Prompt Registry: Set Default Model".`);
      }
    }),

    vscode.commands.registerCommand('promptRegistry.setDefaultModel', async (ref?: string) => {
      const ws = await pickWorkspace(registry);
      if (!ws) return;
      const chosen = typeof ref === 'string'
        ? ref
        : (await pickModel(ws, { title: 'Set Default Model', current: ws.config.config.defaultModel, refresh: () => sync.refresh(ws, { manual: true }) }))?.ref;
      if (!chosen) return;
      const r = await setYamlValueInFile(configUri(ws), ['defaultModel'], chosen);
      if (!r.ok) void vscode.window.showErrorMessage(`Could not set defaultModel: ${r.error}`);
      else if (ws.config.fromEnv.defaultModel) {
        void vscode.window.showWarningMessage(`defaultModel is now ${chosen}, but $${ws.config.fromEnv.defaultModel} overrides it in this environment.`);
      }
    }),
  ));
}
