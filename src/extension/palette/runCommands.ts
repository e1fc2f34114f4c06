import * as path from 'node:path';
import * as vscode from 'vscode';
import { runOutcome, failedLastTime, type RunOutcome } from '../../core/app/runOutcome';
import { formatUsd } from '../../core/format/numbers';
import type { DisposableStore } from '../lifecycle';
import type { TestingApi } from '../testing/testController';
import { caseId } from '../testing/testItems';

const LAST_RUN = 'promptRegistry.palette.lastRun';

/** What a palette run ended with and how it was worded (the test hook reads it). */
export interface PaletteRunEnd {
  outcome: RunOutcome;
  message: string;
}

/** "38 passed, 2 failed on gpt-4o-mini · $0.012 · 8.1 s" */
export function wordOutcome(o: RunOutcome): string {
  const counts = [
    `${o.passed} passed`,
    ...(o.failed ? [`${o.failed} failed`] : []),
    ...(o.skipped ? [`${o.skipped} skipped`] : []),
  ];
  const on = o.models.length ? ` on ${o.models.join(', ')}` : '';
  const cost = o.costUsd !== undefined ? ` · ${formatUsd(o.costUsd)}` : '';
  return `${counts.join(', ')}${on}${cost} · ${(o.durationMs / 1000).toFixed(1)} s`;
}

/**
 * Palette-first runs: Run Tests for This Prompt and Re-run Failed Tests, each
 * through the Testing controller (results land in the Testing view), with a
 * cancellable progress notification and one end notification.
 */
export function registerPaletteRuns(store: DisposableStore, testing: TestingApi, state: vscode.Memento) {
  const ended = store.add(new vscode.EventEmitter<PaletteRunEnd>());

  const run = async (ids: string[], title: string): Promise<PaletteRunEnd | undefined> => {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(
        `${title} is disabled: this workspace is not trusted, so no model is called. Trust the workspace to run suites.`,
      );
      return undefined;
    }
    const started = Date.now();
    const r = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      (_progress, token) => testing.runIds(ids, token),
    );
    if (!r) return undefined;
    const byId = new Map(r.reports.map((c) => [c.id, c]));
    const outcome = runOutcome(
      [...byId.values()].map((c) => {
        const res = r.results.find((x) => caseId(x.suiteFile, x.caseName) === c.id);
        return { id: c.id, state: c.state, model: c.answeredBy, costUsd: res?.costUsd };
      }),
      Date.now() - started,
    );
    await state.update(LAST_RUN, outcome);
    const end = { outcome, message: wordOutcome(outcome) };
    ended.fire(end);
    const actions = outcome.failed ? ['Show Failures', 'Re-run Failed'] : [];
    const show = outcome.failed ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void show(end.message, ...actions).then((a) => {
      if (a === 'Re-run Failed') void vscode.commands.executeCommand('promptRegistry.palette.rerunFailed');
      if (a === 'Show Failures') void vscode.commands.executeCommand('testing.showMostRecentOutput');
    });
    return end;
  };

  store.add(
    vscode.Disposable.from(
      vscode.commands.registerCommand('promptRegistry.palette.runThisPrompt', async (uri?: vscode.Uri) => {
        const file = uri?.fsPath ?? vscode.window.activeTextEditor?.document.uri.fsPath;
        if (!file) {
          void vscode.window.showInformationMessage('Open a prompt or suite file to run its tests.');
          return undefined;
        }
        const ids = /\.suite\.ya?ml$/.test(file) ? [file] : testing.suitesOfPrompt(file);
        if (!ids.length) {
          void vscode.window.showInformationMessage(`No test suite for ${path.basename(file)}.`);
          return undefined;
        }
        return run(ids, `Running tests of ${path.basename(file)}`);
      }),
      vscode.commands.registerCommand('promptRegistry.palette.rerunFailed', async () => {
        const ids = failedLastTime(state.get<RunOutcome>(LAST_RUN), (id) => testing.hasItem(id));
        if (!ids.length) {
          void vscode.window.showInformationMessage('No failed tests from the last palette run.');
          return undefined;
        }
        return run(ids, 'Re-running failed tests');
      }),
    ),
  );
  return { onDidEndRun: ended.event };
}
