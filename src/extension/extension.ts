import * as vscode from 'vscode';
import { ApiKeys } from './apiKeys';
import { CatalogSync } from './catalogSync';
import { registerAssignCommands } from './commands/assignCommands';
import { registerCatalogCommands } from './commands/catalogCommands';
import { DiagnosticsPublisher } from './diagnostics';
import { registerHistory } from './history';
import { KeyConsent } from './keyConsent';
import { registerLanguageFeatures } from './language';
import { registerStatusBar } from './statusBar';
import { registerTesting } from './testing/testController';
import { registerViews } from './views/registerViews';
import { WorkspaceRegistry } from './workspaces';

/** Composition root: builds the parts, gives each disposable to the context, and nothing else. */
export function activate(context: vscode.ExtensionContext) {
  const log = vscode.window.createOutputChannel('Prompt Registry', { log: true });
  const registry = new WorkspaceRegistry(log);
  const keys = new ApiKeys(context.secrets);
  // Global state, never workspace state: a repository must not allow hosts for itself.
  const consent = new KeyConsent(context.globalState);
  const statusBar = registerStatusBar(registry);
  const sync = new CatalogSync(registry, keys, log, consent, (note) => statusBar.setKeyNote(note));
  const views = registerViews(registry, log, context.workspaceState);
  const testing = registerTesting(registry, keys, consent, log);
  const history = registerHistory(registry, log);
  context.subscriptions.push(
    log,
    registry,
    consent,
    new DiagnosticsPublisher(registry),
    registerLanguageFeatures(registry),
    sync,
    registerCatalogCommands(registry, sync, keys),
    views.disposable,
    statusBar,
    registerAssignCommands(registry, sync, log),
    testing.disposable,
    history.disposable,
    vscode.commands.registerCommand('promptRegistry.showLog', () => log.show()),
  );
  // The first scan reads every prompt file; run it after activation returns.
  setTimeout(() => registry.start(), 0);
  log.info(`Prompt Registry ${context.extension.packageJSON.version} activated`);
  // The extension API; integration tests reach the views through it.
  return { views: { prompts: views.prompts, models: views.models, sync: views.sync, promptsView: views.promptsView }, statusBar, testing: { controller: testing.controller, runRequest: testing.runRequest, compareModels: testing.compareModels, comparePanelTitle: testing.comparePanelTitle }, history: { provider: history.provider, view: history.view, lens: history.lens }, keyConsent: consent, apiKeys: keys };
}

export function deactivate(): void {}
