import * as vscode from 'vscode';
import { setGitGate } from '../core/git/git';
import { ApiKeys } from './apiKeys';
import { CatalogSync } from './catalogSync';
import { registerAssignCommands } from './commands/assignCommands';
import { registerCatalogCommands } from './commands/catalogCommands';
import { DiagnosticsPublisher } from './diagnostics';
import { registerHistory } from './history';
import { KeyConsent } from './keyConsent';
import { registerLanguageFeatures } from './language';
import { DisposableStore } from './lifecycle';
import { pickerShown } from './modelPicker';
import { quickPicks } from './quickPicks';
import { Notifier } from './notifier';
import { registerHistoryPalette } from './palette/historyPalette';
import { registerPaletteReview } from './palette/reviewCommands';
import { registerPaletteRuns } from './palette/runCommands';
import { registerPaletteStats } from './palette/statsCommands';
import { ModelStatusBar } from './statusBar';
import { registerTesting } from './testing/testController';
import { registerViews } from './views/registerViews';
import { WorkspaceRegistry } from './workspaces';

/** Composition root: builds the parts, each owned by the one store the context disposes, and nothing else. */
export function activate(context: vscode.ExtensionContext) {
  // Restricted mode runs no git: a repository's config can make git run programs (core.fsmonitor, hooks).
  setGitGate(() => vscode.workspace.isTrusted);
  const store = new DisposableStore();
  context.subscriptions.push(store);
  const log = store.add(vscode.window.createOutputChannel('Prompt Registry', { log: true }));
  const registry = store.add(new WorkspaceRegistry(log));
  const notifier = new Notifier();
  const keys = new ApiKeys(context.secrets, notifier);
  // Global state, never workspace state: a repository must not allow hosts for itself.
  const consent = store.add(new KeyConsent(context.globalState));
  store.add(new DiagnosticsPublisher(registry));
  registerLanguageFeatures(store, registry);
  const statusBar = store.add(new ModelStatusBar(registry));
  const sync = store.add(new CatalogSync(registry, keys, log, consent, notifier, (note) => statusBar.setKeyNote(note)));
  registerCatalogCommands(store, registry, sync, keys);
  const views = registerViews(store, registry, log, context.workspaceState);
  registerAssignCommands(store, registry, sync, log, notifier);
  const testing = registerTesting(store, registry, keys, consent, log);
  const history = registerHistory(store, registry, log, notifier);
  const historyPalette = registerHistoryPalette(store, registry, history, notifier);
  const palette = registerPaletteRuns(store, registry, testing, context.workspaceState, notifier);
  const review = registerPaletteReview(store, registry, keys, consent, notifier);
  const callStats = registerPaletteStats(store, registry, context.workspaceState, notifier);
  store.add(vscode.commands.registerCommand('promptRegistry.showLog', () => log.show()));
  store.add(pickerShown);
  store.add(quickPicks);
  // The first scan reads every prompt file; run it after activation returns.
  setTimeout(() => registry.start(), 0);
  log.info(`Prompt Registry ${context.extension.packageJSON.version} activated`);
  // The extension API; integration tests reach the views through it.
  return {
    views,
    statusBar,
    testing,
    history,
    keyConsent: consent,
    apiKeys: keys,
    modelPicker: { onDidShow: pickerShown.event },
    notifier,
    catalogSync: { onDidDecide: sync.onDidDecide },
    palette: { ...palette, quickPicks },
    historyPalette,
    review,
    callStats,
  };
}

export function deactivate(): void {}
