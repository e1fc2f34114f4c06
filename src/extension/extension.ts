import * as vscode from 'vscode';
import { ApiKeys } from './apiKeys';
import { CatalogSync } from './catalogSync';
import { registerAssignCommands } from './commands/assignCommands';
import { registerCatalogCommands } from './commands/catalogCommands';
import { DiagnosticsPublisher } from './diagnostics';
import { WorkspaceRegistry } from './workspaces';

/** Composition root: builds the parts, gives each disposable to the context, and nothing else. */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Prompt Registry', { log: true });
  const registry = new WorkspaceRegistry(log);
  const keys = new ApiKeys(context.secrets);
  const sync = new CatalogSync(registry, keys, log);
  context.subscriptions.push(
    log,
    registry,
    new DiagnosticsPublisher(registry),
    sync,
    registerCatalogCommands(registry, sync, keys),
    registerAssignCommands(registry, sync, log),
    vscode.commands.registerCommand('promptRegistry.showLog', () => log.show()),
  );
  // The first scan reads every prompt file; run it after activation returns.
  setTimeout(() => registry.start(), 0);
  log.info(`Prompt Registry ${context.extension.packageJSON.version} activated`);
}

export function deactivate(): void {}
