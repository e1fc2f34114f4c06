import * as path from 'node:path';
import * as vscode from 'vscode';
import { runOutcome, failedLastTime, type RunOutcome } from '../../core/app/runOutcome';
import type { DisposableStore } from '../lifecycle';
import type { Notifier } from '../notifier';
import { pickModel, pickModels } from '../modelPicker';
import { pickWorkspace } from '../pickWorkspace';
import type { CasesRun, RunProgress, TestingApi } from '../testing/testController';
import type { Comparison } from '../testing/comparePanel';
import { caseId } from '../testing/testItems';
import type { WorkspaceRegistry } from '../workspaces';
import { wordOutcome, wordProgress } from './runWords';
import { pickScopes } from './scopePicker';
import { showFailures, type FailureShown } from './showFailures';

export { wordOutcome } from './runWords';

const LAST_RUN = 'promptRegistry.palette.lastRun';
const MAX_COMPARED = 4;

/** What a palette run ended with and how it was worded (the test hook reads it). */
export interface PaletteRunEnd {
  outcome: RunOutcome;
  message: string;
  /** What was run: "changed since main", "clean.md". */
  scope: string;
  /** Each progress line shown while it ran, in order. */
  progress: string[];
}

type Runner = (onProgress: (p: RunProgress) => void, token: vscode.CancellationToken) => Promise<CasesRun | undefined>;

/**
 * Palette-first runs: Run Tests…, Run Tests for This Prompt, Re-run Failed Tests and Compare Models…, each
 * through the Testing controller (results land in the Testing view), with a cancellable "12/40 cases · 1 failed"
 * progress notification and one end notification.
 */
export function registerPaletteRuns(
  store: DisposableStore,
  registry: WorkspaceRegistry,
  testing: TestingApi,
  state: vscode.Memento,
  notifier: Notifier,
) {
  const ended = store.add(new vscode.EventEmitter<PaletteRunEnd>());
  const failureShown = store.add(new vscode.EventEmitter<FailureShown>());

  const untrusted = (title: string) => {
    if (vscode.workspace.isTrusted) return false;
    void notifier.warn(
      `${title} is disabled: this workspace is not trusted, so no model is called. Trust the workspace to run suites.`,
    );
    return true;
  };

  const withProgress = async <T>(
    title: string,
    work: (p: (x: RunProgress) => void, t: vscode.CancellationToken) => Promise<T>,
  ) => {
    const lines: string[] = [];
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      (progress, token) => {
        let shown = 0;
        return work((p) => {
          const message = wordProgress(p);
          lines.push(message);
          progress.report({ message, increment: p.total ? ((p.done - shown) * 100) / p.total : undefined });
          shown = p.done;
        }, token);
      },
    );
    return { result, lines };
  };

  const finish = async (r: CasesRun, started: number, scope: string, progress: string[]) => {
    const byId = new Map(r.reports.map((c) => [c.id, c]));
    const outcome = runOutcome(
      [...byId.values()].map((c) => {
        const res = r.results.find((x) => caseId(x.suiteFile, x.caseName) === c.id);
        return { id: c.id, state: c.state, model: c.answeredBy, costUsd: res?.costUsd };
      }),
      Date.now() - started,
    );
    await state.update(LAST_RUN, outcome);
    const end: PaletteRunEnd = { outcome, message: wordOutcome(outcome), scope, progress };
    ended.fire(end);
    const actions = outcome.failed ? ['Show Failures', 'Re-run Failed'] : [];
    void (outcome.failed ? notifier.warn(end.message, ...actions) : notifier.info(end.message)).then((a) => {
      if (a === 'Re-run Failed') void vscode.commands.executeCommand('promptRegistry.palette.rerunFailed');
      if (a === 'Show Failures')
        void showFailures(
          r.reports.filter((c) => c.state === 'failed' || c.state === 'errored'),
          (f) => registry.forFile(f)?.files.relative(f) ?? f,
        ).then((shown) => shown && failureShown.fire(shown));
    });
    return end;
  };

  const run = async (title: string, scope: string, runner: Runner): Promise<PaletteRunEnd | undefined> => {
    const started = Date.now();
    const { result, lines } = await withProgress(title, runner);
    return result ? finish(result, started, scope, lines) : undefined;
  };

  const failedIds = () => failedLastTime(state.get<RunOutcome>(LAST_RUN), (id) => testing.hasItem(id));

  const runTests = async () => {
    if (untrusted('Run Tests')) return undefined;
    const ws = await pickWorkspace(registry);
    if (!ws) return undefined;
    const choice = await pickScopes(ws, registry, state, notifier, {
      title: 'Run Tests…',
      failed: failedIds(),
      allowModel: true,
    });
    if (!choice) return undefined;
    let model: string | undefined;
    if (choice.onModel) {
      model = (await pickModel(ws, { title: 'Run Tests on Model…' }))?.ref;
      if (!model) return undefined;
    }
    const on = model ? ` on ${model}` : '';
    return run(`Running tests: ${choice.words}${on}`, choice.words, (onProgress, token) =>
      testing.runIds(choice.ids, { token, model, onProgress }),
    );
  };

  const compareModels = async (): Promise<Comparison | undefined> => {
    if (untrusted('Compare Models')) return undefined;
    const ws = await pickWorkspace(registry);
    if (!ws) return undefined;
    const choice = await pickScopes(ws, registry, state, notifier, {
      title: 'Compare Models: which suites?',
      failed: failedIds(),
      allowModel: false,
    });
    if (!choice) return undefined;
    const models = await pickModels(ws, {
      title: `Compare Models: check 2 to ${MAX_COMPARED} models`,
      preselect: ws.settings.defaultModel ? [ws.settings.defaultModel] : [],
      placeholder: `Check 2 to ${MAX_COMPARED} models`,
    });
    if (!models) return undefined;
    if (models.length < 2 || models.length > MAX_COMPARED) {
      void notifier.warn(
        `Compare Models compares 2 to ${MAX_COMPARED} models; ${models.length} ${models.length === 1 ? 'was' : 'were'} checked. Use "Run Tests…" with "Run on model…" for one.`,
      );
      return undefined;
    }
    const { result } = await withProgress(`Comparing ${models.join(', ')}: ${choice.words}`, (onProgress, token) =>
      testing.compareIds(choice.ids, models, { token, onProgress }),
    );
    return result;
  };

  store.add(
    vscode.Disposable.from(
      vscode.commands.registerCommand('promptRegistry.palette.runTests', runTests),
      vscode.commands.registerCommand('promptRegistry.palette.compareModels', compareModels),
      vscode.commands.registerCommand('promptRegistry.palette.runThisPrompt', async (uri?: vscode.Uri) => {
        if (untrusted('Run Tests for This Prompt')) return undefined;
        const file = uri?.fsPath ?? vscode.window.activeTextEditor?.document.uri.fsPath;
        if (!file) {
          void notifier.info('Open a prompt or suite file to run its tests.');
          return undefined;
        }
        const ids = /\.suite\.ya?ml$/.test(file) ? [file] : testing.suitesOfPrompt(file);
        if (!ids.length) {
          void notifier.info(`No test suite for ${path.basename(file)}.`);
          return undefined;
        }
        const name = path.basename(file);
        return run(`Running tests of ${name}`, name, (onProgress, token) => testing.runIds(ids, { token, onProgress }));
      }),
      vscode.commands.registerCommand('promptRegistry.palette.rerunFailed', async () => {
        if (untrusted('Re-run Failed Tests')) return undefined;
        const ids = failedIds();
        if (!ids.length) {
          void notifier.info('No failed tests from the last palette run.');
          return undefined;
        }
        return run('Re-running failed tests', 'failed last time', (onProgress, token) =>
          testing.runIds(ids, { token, onProgress }),
        );
      }),
    ),
  );
  return { onDidEndRun: ended.event, onDidShowFailure: failureShown.event };
}
