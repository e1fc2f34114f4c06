import * as vscode from 'vscode';
import { SUITE_SUFFIX } from '../../core/suite/parse';
import type { DisposableStore } from '../lifecycle';
import type { WorkspaceRegistry } from '../workspaces';
import type { SuiteTestItems } from './testItems';

export const RUN_ITEM_COMMAND = 'promptRegistry.tests.runItem';

/**
 * "▶ Run" above each case of a suite file and "▶ Run All" above the suite,
 * placed from the test items' ranges so lens and Testing view always agree.
 * Hidden in an untrusted workspace, where nothing may run.
 */
export function registerCaseCodeLens(store: DisposableStore, items: SuiteTestItems, registry: WorkspaceRegistry): void {
  const changed = store.add(new vscode.EventEmitter<void>());
  const provider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: changed.event,
    provideCodeLenses(doc) {
      if (!vscode.workspace.isTrusted) return [];
      const suite = items.get(doc.uri.fsPath);
      if (!suite?.range) return [];
      const lenses = [
        new vscode.CodeLens(suite.range, {
          title: '▶ Run All',
          command: RUN_ITEM_COMMAND,
          arguments: [suite.id],
          tooltip: `Run every case of ${suite.label}`,
        }),
      ];
      suite.children.forEach((c) => {
        if (c.range)
          lenses.push(
            new vscode.CodeLens(c.range, {
              title: '▶ Run',
              command: RUN_ITEM_COMMAND,
              arguments: [c.id],
              tooltip: `Run "${c.label}"`,
            }),
          );
      });
      return lenses.sort((a, b) => a.range.start.line - b.range.start.line);
    },
  };
  store.add(
    vscode.Disposable.from(
      vscode.languages.registerCodeLensProvider({ scheme: 'file', pattern: `**/*${SUITE_SUFFIX}` }, provider),
      // After the items: the registry's listeners run in order, and the items sync first.
      registry.onDidChange(() => changed.fire()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => changed.fire()),
    ),
  );
}
