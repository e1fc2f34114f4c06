import * as vscode from 'vscode';
import { ApiKeys } from './apiKeys';
import { CatalogSync } from './catalogSync';
import { registerAssignCommands } from './commands/assignCommands';
import { registerCatalogCommands } from './commands/catalogCommands';
import { DiagnosticsPublisher } from './diagnostics';
import { registerHistory } from './history';
import { registerLanguageFeatures } from './language';
import { DisposableStore } from './lifecycle';
import { ModelStatusBar } from './statusBar';
import { registerTesting } from './testing/testController';
import { registerViews } from './views/registerViews';
import { WorkspaceRegistry } from './workspaces';

/** Composition root: builds the parts, each owned by the one store the context disposes, and nothing else. */
export function activate(context: vscode.ExtensionContext) {
  const store = new DisposableStore();
  context.subscriptions.push(store);
  const log = store.add(vscode.window.createOutputChannel('Prompt Registry', { log: true }));
  const registry = store.add(new WorkspaceRegistry(log));
  const keys = new ApiKeys(context.secrets);
  store.add(new DiagnosticsPublisher(registry));
  registerLanguageFeatures(store, registry);
  const sync = store.add(new CatalogSync(registry, keys, log));
  registerCatalogCommands(store, registry, sync, keys);
  const views = registerViews(store, registry, log, context.workspaceState);
  const statusBar = store.add(new ModelStatusBar(registry));
  registerAssignCommands(store, registry, sync, log);
  const testing = registerTesting(store, registry, keys, log);
  const history = registerHistory(store, registry, log);
  store.add(vscode.commands.registerCommand('promptRegistry.showLog', () => log.show()));
  // The first scan reads every prompt file; run it after activation returns.
  setTimeout(() => registry.start(), 0);
  log.info(`Prompt Registry ${context.extension.packageJSON.version} activated`);
  // The extension API; integration tests reach the views through it.
  return { views, statusBar, testing, history };
}

export function deactivate(): void {}
