import * as path from 'node:path';
import * as vscode from 'vscode';
import { compareRows } from '../../core/run/compare';
import type { CaseResult } from '../../core/run/results';
import type { ApiKeys } from '../apiKeys';
import type { KeyConsent } from '../keyConsent';
import type { DisposableStore } from '../lifecycle';
import { pickModel, pickModels } from '../modelPicker';
import type { WorkspaceRegistry } from '../workspaces';
import { registerCaseCodeLens, RUN_ITEM_COMMAND } from './caseCodeLens';
import { ComparePanel, type Comparison } from './comparePanel';
import { makeRunCases, type CaseReport, type CasesRun, type RunCases, type RunProgress } from './runCases';
import { SuiteTestItems } from './testItems';

export type { CaseReport, CasesRun, RunProgress } from './runCases';

export interface IdsRunOptions {
  token?: vscode.CancellationToken;
  model?: string;
  onProgress?: (p: RunProgress) => void;
}

export interface TestingApi {
  controller: vscode.TestController;
  /** Runs a request through the run handler; `model` runs every case on it ("Run With Model…"). */
  runRequest(request: vscode.TestRunRequest, token?: vscode.CancellationToken, model?: string): Promise<CaseReport[]>;
  /** "Compare Models…" with the models already chosen: one run per model, then the table. */
  compareModels(
    request: vscode.TestRunRequest,
    models: string[],
    token?: vscode.CancellationToken,
  ): Promise<Comparison | undefined>;
  /** The title of the comparison panel, while it is open. */
  comparePanelTitle(): string | undefined;
  /** Runs test items by id (palette commands), with the runner's results for the end summary; `model` runs every case on it. */
  runIds(ids: string[], opts?: IdsRunOptions): Promise<CasesRun | undefined>;
  /** Compare Models… over test items by id (palette). */
  compareIds(ids: string[], models: string[], opts?: IdsRunOptions): Promise<Comparison | undefined>;
  /** Ids of the suite items of a prompt file (empty when it has none). */
  suitesOfPrompt(file: string): string[];
  /** True while the Testing view still has an item with this id. */
  hasItem(id: string): boolean;
  /** The run profiles as the Testing view offers them, so host tests run a profile's own handler. */
  profiles: { run: vscode.TestRunProfile; runWithModel: vscode.TestRunProfile; compareModels: vscode.TestRunProfile };
}

/**
 * The Testing view: items per suite and case, the Run, Run With Model… and
 * Compare Models… profiles, a "▶ Run" CodeLens per case, and the Prompts view's
 * Run Tests. Every run goes through the same core runner as the CLI.
 */
export function registerTesting(
  store: DisposableStore,
  registry: WorkspaceRegistry,
  keys: ApiKeys,
  consent: KeyConsent,
  log: vscode.LogOutputChannel,
): TestingApi {
  const controller = store.add(vscode.tests.createTestController('promptRegistry', 'Prompt Registry'));
  const items = new SuiteTestItems(controller, registry);
  const runCases = makeRunCases(controller, items, registry, keys, consent, log);
  const panel = store.add(new ComparePanel());
  // "Refresh Tests" in the Testing view: reconcile with the disk, in case the file watcher missed a suite.
  controller.refreshHandler = () => {
    registry.reconcile('Refresh Tests');
  };
  const runRequest: TestingApi['runRequest'] = async (req, token, model) => (await runCases(req, token, model)).reports;
  const compareModels: TestingApi['compareModels'] = (req, models, token) =>
    compare(runCases, panel, req, models, token);

  const workspaceOf = (req: vscode.TestRunRequest) => {
    const first = items.casesOf(req)[0];
    return registry.byRoot(first && items.dataOf(first)?.root);
  };

  const runProfile = store.add(
    controller.createRunProfile(
      'Run',
      vscode.TestRunProfileKind.Run,
      (req, token) => runRequest(req, token).then(() => undefined),
      true,
    ),
  );
  const runWithModelProfile = store.add(
    controller.createRunProfile(
      'Run With Model…',
      vscode.TestRunProfileKind.Run,
      async (req, token) => {
        const ws = vscode.workspace.isTrusted ? workspaceOf(req) : undefined;
        const picked = ws ? await pickModel(ws, { title: 'Run Tests With Model…' }) : undefined;
        if (vscode.workspace.isTrusted && !picked) return;
        if (!token.isCancellationRequested) await runRequest(req, token, picked?.ref);
      },
      false,
    ),
  );
  const compareProfile = store.add(
    controller.createRunProfile(
      'Compare Models…',
      vscode.TestRunProfileKind.Run,
      async (req, token) => {
        const ws = vscode.workspace.isTrusted ? workspaceOf(req) : undefined;
        if (!ws) {
          await runRequest(req, token); // untrusted: reports every case skipped, and why
          return;
        }
        const used = new Set(
          items
            .casesOf(req)
            .map((i) => modelOfCase(registry, items, i))
            .filter((m): m is string => !!m),
        );
        const models = await pickModels(ws, {
          title: 'Compare Models: run the tests on each checked model',
          preselect: [...used],
        });
        if (!models || token.isCancellationRequested) return;
        if (models.length < 2) {
          void vscode.window.showWarningMessage(
            'Compare Models needs two or more models; use "Run With Model…" for one.',
          );
          return;
        }
        await compareModels(req, models, token);
      },
      false,
    ),
  );

  const runItem = (ids: string[]) => {
    const picked = ids.map((id) => items.get(id)).filter((i): i is vscode.TestItem => !!i);
    if (!picked.length) return Promise.resolve(undefined);
    const cts = new vscode.CancellationTokenSource();
    return runRequest(new vscode.TestRunRequest(picked, undefined, runProfile), cts.token).finally(() => cts.dispose());
  };

  store.add(
    vscode.Disposable.from(
      vscode.commands.registerCommand(RUN_ITEM_COMMAND, (id: string) => runItem([id])),
      vscode.commands.registerCommand('promptRegistry.prompts.runTests', async (arg?: { file?: string }) => {
        const file = arg?.file ?? vscode.window.activeTextEditor?.document.uri.fsPath;
        if (!file) return undefined;
        const suites = items.suitesOfPrompt(file);
        if (!suites.length) {
          void vscode.window.showInformationMessage(
            `No test suite for ${path.basename(file)}: add ${path.basename(file, '.md')}.suite.yaml next to it.`,
          );
          return undefined;
        }
        return runItem(suites.map((s) => s.id));
      }),
      registry.onDidChange((ws) => items.sync(ws)),
    ),
  );
  registerCaseCodeLens(store, items, registry);

  items.syncAll();
  void vscode.commands.executeCommand('setContext', 'promptRegistry.testsAvailable', true);
  const requestOf = (ids: string[]) => {
    const picked = ids.map((id) => items.get(id)).filter((i): i is vscode.TestItem => !!i);
    return picked.length ? new vscode.TestRunRequest(picked, undefined, runProfile) : undefined;
  };
  const runIds: TestingApi['runIds'] = async (ids, opts = {}) => {
    const req = requestOf(ids);
    return req && runCases(req, opts.token, opts.model, opts.onProgress);
  };
  const compareIds: TestingApi['compareIds'] = async (ids, models, opts = {}) => {
    const req = requestOf(ids);
    return req && compare(runCases, panel, req, models, opts.token, opts.onProgress);
  };
  return {
    controller,
    runRequest,
    compareModels,
    comparePanelTitle: () => panel.visibleTitle,
    runIds,
    compareIds,
    suitesOfPrompt: (file) => items.suitesOfPrompt(file).map((s) => s.id),
    hasItem: (id) => !!items.get(id),
    profiles: { run: runProfile, runWithModel: runWithModelProfile, compareModels: compareProfile },
  };
}

/** Runs the request once per model (each its own TestRun in Test Results), then shows the table. */
async function compare(
  runCases: RunCases,
  panel: ComparePanel,
  req: vscode.TestRunRequest,
  models: string[],
  token?: vscode.CancellationToken,
  onProgress?: (p: RunProgress) => void,
): Promise<Comparison | undefined> {
  const cases: CaseResult[] = [];
  // One count over every model's pass: "12/40 cases" means the whole comparison.
  let before = { done: 0, failed: 0 };
  for (const model of models) {
    if (token?.isCancellationRequested) break;
    const start = before;
    let last = { done: 0, failed: 0 };
    const r = await runCases(req, token, model, (p) => {
      last = p;
      onProgress?.({ done: start.done + p.done, total: p.total * models.length, failed: start.failed + p.failed });
    });
    before = { done: start.done + last.done, failed: start.failed + last.failed };
    if (r.untrusted) return undefined;
    cases.push(...r.results);
  }
  const ran = models.filter((m) => cases.some((c) => c.model === m));
  const names = [...new Set(cases.map((c) => c.promptId ?? c.suite))];
  const comparison: Comparison = {
    title: `Compare Models: ${names.length === 1 ? names[0] : `${names.length} prompts`}`,
    models: ran,
    rows: compareRows(ran, cases),
    cases,
  };
  if (ran.length) panel.show(comparison);
  return comparison;
}

/** The model a case runs on by default: the case's, the suite's, then the prompt's. */
function modelOfCase(registry: WorkspaceRegistry, items: SuiteTestItems, item: vscode.TestItem): string | undefined {
  const d = items.dataOf(item);
  const ws = registry.byRoot(d?.root);
  const suites = ws && registry.suitesOf(ws);
  const suite = suites?.get(d!.file);
  if (!suite) return undefined;
  return suite.cases.find((c) => c.name === d!.caseName)?.model ?? suite.model ?? suites!.promptFor(suite)?.model;
}
