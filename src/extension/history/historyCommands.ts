import * as vscode from 'vscode';
import type { DisposableStore } from '../lifecycle';
import type { HistoryNode, HistoryProvider, VersionNode } from './historyView';
import type { VersionActions } from './versionActions';

/** The History view's item commands: each takes the selected tree node and does nothing without a version. */
export function registerHistoryCommands(
  store: DisposableStore,
  provider: HistoryProvider,
  actions: VersionActions,
): void {
  const onVersion =
    <A extends unknown[], R>(act: (node: VersionNode, ...args: A) => Promise<R>, none: R) =>
    (n?: HistoryNode, ...args: A) =>
      n?.kind === 'version' ? act(n, ...args) : Promise.resolve(none);

  store.add(
    vscode.Disposable.from(
      vscode.commands.registerCommand('promptRegistry.history.open', onVersion(actions.open, undefined)),
      vscode.commands.registerCommand(
        'promptRegistry.history.compareWithPrevious',
        onVersion(actions.compareWithPrevious, undefined),
      ),
      vscode.commands.registerCommand(
        'promptRegistry.history.compareWithWorkingCopy',
        onVersion(actions.compareWithWorking, undefined),
      ),
      vscode.commands.registerCommand('promptRegistry.history.restore', onVersion(actions.restore, false)),
      vscode.commands.registerCommand('promptRegistry.history.publish', onVersion(actions.publish, undefined)),
      vscode.commands.registerCommand('promptRegistry.history.refresh', () => provider.reload()),
    ),
  );
}
