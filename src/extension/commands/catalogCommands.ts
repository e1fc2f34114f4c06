import * as vscode from 'vscode';
import type { ApiKeys } from '../apiKeys';
import type { CatalogSync } from '../catalogSync';
import { setDefaultModel, setEnabledModels } from '../configEdits';
import type { DisposableStore } from '../lifecycle';
import { pickEnabledModels, pickModel } from '../modelPicker';
import { pickWorkspace } from '../pickWorkspace';
import type { WorkspaceRegistry } from '../workspaces';

/** Refresh Models, Set API Key, Enable/Disable Models…, Set Default Model. */
export function registerCatalogCommands(
  store: DisposableStore,
  registry: WorkspaceRegistry,
  sync: CatalogSync,
  keys: ApiKeys,
): void {
  store.add(
    vscode.Disposable.from(
      vscode.commands.registerCommand('promptRegistry.refreshModels', async (opts?: { force?: boolean }) => {
        const ws = await pickWorkspace(registry);
        return ws ? sync.refresh(ws, { manual: true, force: opts?.force }) : false;
      }),

      vscode.commands.registerCommand('promptRegistry.setApiKey', async () => {
        const ws = await pickWorkspace(registry);
        if (!ws) return;
        // The providers as prompt-registry.yaml says now, not as the file watcher last saw them.
        registry.reloadConfig(ws);
        const provider = await keys.promptAndStore(ws.settings.providers);
        if (provider && ws.modelCatalog === undefined) await sync.refresh(ws, { manual: true });
      }),

      vscode.commands.registerCommand('promptRegistry.enableModels', async () => {
        const ws = await pickWorkspace(registry);
        if (!ws) return false;
        registry.reloadConfig(ws);
        const refs = await pickEnabledModels(ws);
        return refs ? setEnabledModels(registry, ws, refs) : false;
      }),

      vscode.commands.registerCommand('promptRegistry.setDefaultModel', async (ref?: string) => {
        const ws = await pickWorkspace(registry);
        if (!ws) return false;
        registry.reloadConfig(ws);
        const chosen =
          typeof ref === 'string'
            ? ref
            : (
                await pickModel(ws, {
                  title: 'Set Default Model',
                  current: ws.settings.defaultModel,
                  refresh: () => sync.refresh(ws, { manual: true }),
                })
              )?.ref;
        return chosen ? setDefaultModel(registry, ws, chosen) : false;
      }),
    ),
  );
}
