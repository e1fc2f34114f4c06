import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AssertionOutcome } from '../../core/assert/evaluate';
import type { Env, ResolvedProvider } from '../../core/config/load';
import { chooseProvider } from '../../core/providers/select';
import { planSuite, type PlannedCase, type PlannedSuite } from '../../core/run/plan';
import type { CaseResult } from '../../core/run/results';
import { runSuites } from '../../core/run/runner';
import type { ParsedSuite } from '../../core/suite/types';
import type { PromptWorkspace } from '../../core/workspace/promptWorkspace';
import type { ApiKeys } from '../apiKeys';
import { toRange } from '../convert';
import { pickModel } from '../modelPicker';
import type { WorkspaceRegistry } from '../workspaces';

/** What was reported for one test item in a run (also what the extension API returns, for tests). */
export interface CaseReport {
  id: string;
  state: 'passed' | 'failed' | 'errored' | 'skipped';
  messages: { message: string; expected?: string; actual?: string }[];
  durationMs?: number;
}

export interface TestingApi {
  controller: vscode.TestController;
  /** Runs a request through the run handler; `model` runs every case on it ("Run With Model…"). */
  runRequest(request: vscode.TestRunRequest, token?: vscode.CancellationToken, model?: string): Promise<CaseReport[]>;
}

interface ItemData {
  root: string;
  file: string;
  /** Set for a case item. */
  caseName?: string;
}

/**
 * The Testing view: one item per suite file, one child per case, kept in step with
 * the registry, and run profiles that plan and run on the same core as the CLI.
 */
export function registerTesting(registry: WorkspaceRegistry, keys: ApiKeys, log: vscode.LogOutputChannel): TestingApi & { disposable: vscode.Disposable } {
  const controller = vscode.tests.createTestController('promptRegistry', 'Prompt Registry');
  const data = new WeakMap<vscode.TestItem, ItemData>();

  const caseId = (file: string, name: string) => `${file}#${name}`;

  /** Brings the items of one workspace folder up to date, in place. */
  const sync = (ws: PromptWorkspace) => {
    const suites = registry.suitesOf(ws);
    const seen = new Set<string>();
    for (const s of suites?.suites() ?? []) {
      if (!s.file) continue;
      seen.add(s.file);
      const uri = vscode.Uri.file(s.file);
      let item = controller.items.get(s.file);
      if (!item) {
        item = controller.createTestItem(s.file, path.basename(s.file), uri);
        data.set(item, { root: ws.root, file: s.file });
        controller.items.add(item);
      }
      const label = suites!.promptFor(s)?.id ?? path.basename(s.file);
      if (item.label !== label) item.label = label;
      const rel = ws.files.relative(s.file) ?? s.file;
      if (item.description !== rel) item.description = rel;
      setRange(item, toRange(s.headerRange));
      syncCases(item, s, uri, ws.root);
    }
    controller.items.forEach((item) => {
      const d = data.get(item);
      if (d?.root === ws.root && (!registry.all().includes(ws) || !seen.has(d.file))) controller.items.delete(item.id);
    });
  };

  const syncCases = (parent: vscode.TestItem, s: ParsedSuite, uri: vscode.Uri, root: string) => {
    const names = new Set<string>();
    for (const k of s.cases) {
      const id = caseId(s.file!, k.name);
      if (names.has(id)) continue; // a duplicate name is a diagnostic; the first one keeps the id
      names.add(id);
      let child = parent.children.get(id);
      if (!child) {
        child = controller.createTestItem(id, k.name, uri);
        data.set(child, { root, file: s.file!, caseName: k.name });
        parent.children.add(child);
      }
      setRange(child, toRange(k.nameRange));
    }
    parent.children.forEach((c) => {
      if (!names.has(c.id)) parent.children.delete(c.id);
    });
  };

  const syncAll = () => {
    for (const ws of registry.all()) sync(ws);
  };

  /** The requested case items (a suite item stands for all its cases), minus the excluded ones. */
  const casesOf = (request: vscode.TestRunRequest): vscode.TestItem[] => {
    const roots: vscode.TestItem[] = [];
    if (request.include) roots.push(...request.include);
    else controller.items.forEach((i) => roots.push(i));
    const excluded = new Set((request.exclude ?? []).map((i) => i.id));
    const out = new Map<string, vscode.TestItem>();
    for (const r of roots) {
      if (excluded.has(r.id)) continue;
      if (data.get(r)?.caseName !== undefined) out.set(r.id, r);
      else r.children.forEach((c) => {
        if (!excluded.has(c.id)) out.set(c.id, c);
      });
    }
    return [...out.values()];
  };

  const runRequest = async (request: vscode.TestRunRequest, token?: vscode.CancellationToken, model?: string): Promise<CaseReport[]> => {
    const items = casesOf(request);
    const run = controller.createTestRun(request, model ? `Prompt Registry (${model})` : 'Prompt Registry', true);
    const reports = new Map<string, CaseReport>();
    const out = (line: string) => run.appendOutput(`${line.replace(/\r?\n/g, '\r\n')}\r\n`);
    const report = (item: vscode.TestItem, r: CaseReport, messages: vscode.TestMessage[] = []) => {
      reports.set(item.id, r);
      if (r.state === 'passed') run.passed(item, r.durationMs);
      else if (r.state === 'failed') run.failed(item, messages, r.durationMs);
      else if (r.state === 'errored') run.errored(item, messages, r.durationMs);
      else run.skipped(item);
    };
    const ac = new AbortController();
    const sub = token?.onCancellationRequested(() => ac.abort());
    try {
      if (!vscode.workspace.isTrusted) {
        out('Prompt Registry: this workspace is not trusted, so no test was run (no model was called). Trust the workspace to run suites.');
        for (const item of items) report(item, { id: item.id, state: 'skipped', messages: [] });
        return [...reports.values()];
      }
      for (const item of items) run.enqueued(item);
      const byRoot = new Map<string, vscode.TestItem[]>();
      for (const item of items) {
        const root = data.get(item)!.root;
        byRoot.set(root, [...(byRoot.get(root) ?? []), item]);
      }
      const missingKeys = new Set<string>();
      for (const [root, mine] of byRoot) {
        if (ac.signal.aborted) break;
        const ws = registry.all().find((w) => w.root === root);
        const suites = ws && registry.suitesOf(ws);
        if (!ws || !suites) continue;
        const config = ws.config.config;
        const catalog = ws.catalog.catalog;
        const itemOf = new Map(mine.map((i) => [i.id, i]));
        const diagnostics = suites.validate();
        const plans: PlannedSuite[] = [];
        for (const file of new Set(mine.map((i) => data.get(i)!.file))) {
          const suite = suites.get(file);
          if (!suite) continue;
          const plan = planSuite(suites, suite, { model, config, relative: (f) => ws.files.relative(f) ?? f, diagnostics: diagnostics.get(file) ?? [] });
          plan.cases = plan.cases.filter((c) => itemOf.has(caseId(file, c.caseName)));
          plans.push(plan);
        }
        // Keys from VS Code's secret storage (or the environment), handed to the core as its env.
        const env: Env = { ...process.env };
        const keyed = new Set<string>();
        for (const p of config.providers) {
          if (p.type !== 'openai') continue;
          const key = await keys.get(p);
          if (key) {
            env[p.apiKeyEnv] = key;
            keyed.add(p.name);
          }
        }
        const noKey = (c: PlannedCase): ResolvedProvider | undefined => {
          if (c.blocked || !c.model) return undefined;
          try {
            const p = chooseProvider(c.model, config, catalog).provider;
            return p.type === 'openai' && !keyed.has(p.name) ? p : undefined;
          } catch {
            return undefined;
          }
        };
        for (const plan of plans) {
          plan.cases = plan.cases.filter((c) => {
            const p = noKey(c);
            if (!p) return true;
            missingKeys.add(p.name);
            const item = itemOf.get(caseId(c.suiteFile, c.caseName))!;
            const message = `No API key for provider "${p.name}": set one with "Prompt Registry: Set API Key" or in $${p.apiKeyEnv}. Nothing was sent.`;
            out(`${c.caseName}: ${message}`);
            report(item, { id: item.id, state: 'failed', messages: [{ message }] }, [located(new vscode.TestMessage(message), item)]);
            return false;
          });
        }
        const runnable = plans.filter((p) => p.cases.length);
        if (!runnable.length) continue;
        const result = await runSuites(runnable, {
          root: ws.root,
          config,
          catalog,
          env,
          signal: ac.signal,
          onCaseStart: (c) => {
            const item = itemOf.get(caseId(c.suiteFile, c.caseName));
            if (item) run.started(item);
          },
          onCaseEnd: (r) => {
            const item = itemOf.get(caseId(r.suiteFile, r.caseName));
            if (item) reportResult(item, r);
          },
        });
        // Cases the runner never started (a cancelled run) have no onCaseEnd.
        for (const r of result.cases) {
          const item = itemOf.get(caseId(r.suiteFile, r.caseName));
          if (item && !reports.has(item.id)) reportResult(item, r);
        }
      }
      if (missingKeys.size) {
        const names = [...missingKeys].map((n) => `"${n}"`).join(', ');
        void vscode.window.showWarningMessage(`Prompt Registry: no API key for ${names}, so those tests failed without calling the model.`, 'Set API Key').then((choice) => {
          if (choice === 'Set API Key') void vscode.commands.executeCommand('promptRegistry.setApiKey');
        });
      }
      return [...reports.values()];
    } catch (e) {
      log.error(`Test run failed: ${(e as Error)?.message ?? String(e)}`);
      for (const item of items) if (!reports.has(item.id)) report(item, { id: item.id, state: 'errored', messages: [{ message: `internal error: ${(e as Error)?.message}` }] }, [new vscode.TestMessage(`internal error: ${(e as Error)?.message}`)]);
      return [...reports.values()];
    } finally {
      sub?.dispose();
      run.end();
    }

    function reportResult(item: vscode.TestItem, r: CaseResult): void {
      const who = r.answeredBy ? ` on ${r.answeredBy}${r.provider ? ` (${r.provider})` : ''}${r.fallback ? ' (fallback)' : ''}` : '';
      const cost = r.costUsd !== undefined ? `, $${r.costUsd.toFixed(6)}` : '';
      out(`── ${r.caseName}: ${r.status}${who}, ${r.durationMs} ms${r.cached ? ' (cached)' : ''}, ${r.tokens.input}/${r.tokens.output} tokens${cost}`);
      if (r.output !== undefined) out(r.output);
      if (r.status === 'pass') {
        report(item, { id: item.id, state: 'passed', messages: [], durationMs: r.durationMs });
      } else if (r.status === 'fail') {
        const failed = r.assertions.filter((a) => a.status === 'fail');
        report(item, { id: item.id, state: 'failed', messages: failed.map(plain), durationMs: r.durationMs }, failed.map((a) => located(toMessage(a), item)));
      } else if (r.status === 'error') {
        const errs = r.error ? [{ message: r.error }] : r.assertions.filter((a) => a.status === 'error').map(plain);
        out(`   ${errs.map((m) => m.message).join('; ')}`);
        report(item, { id: item.id, state: 'errored', messages: errs, durationMs: r.durationMs }, errs.map((m) => located(new vscode.TestMessage(m.message), item)));
      } else {
        report(item, { id: item.id, state: 'skipped', messages: [] });
      }
    }
  };

  const runProfile = controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, (req, token) => runRequest(req, token).then(() => undefined), true);
  controller.createRunProfile('Run With Model…', vscode.TestRunProfileKind.Run, async (req, token) => {
    if (!vscode.workspace.isTrusted) {
      await runRequest(req, token);
      return;
    }
    const first = casesOf(req)[0];
    const ws = first && registry.all().find((w) => w.root === data.get(first)?.root);
    if (!ws) return;
    const picked = await pickModel(ws, { title: 'Run Tests With Model…' });
    if (!picked || token.isCancellationRequested) return;
    await runRequest(req, token, picked.ref);
  }, false);

  const runTestsCommand = vscode.commands.registerCommand('promptRegistry.prompts.runTests', async (arg?: { file?: string }) => {
    const file = arg?.file ?? vscode.window.activeTextEditor?.document.uri.fsPath;
    if (!file) return undefined;
    const ws = registry.forFile(file);
    const suites = ws && registry.suitesOf(ws);
    const items: vscode.TestItem[] = [];
    for (const s of suites?.suites() ?? []) {
      if (s.file && suites!.promptFor(s)?.file === file) {
        const item = controller.items.get(s.file);
        if (item) items.push(item);
      }
    }
    if (!items.length) {
      void vscode.window.showInformationMessage(`No test suite for ${path.basename(file)}: add ${path.basename(file, '.md')}.suite.yaml next to it.`);
      return undefined;
    }
    const cts = new vscode.CancellationTokenSource();
    try {
      return await runRequest(new vscode.TestRunRequest(items, undefined, runProfile), cts.token);
    } finally {
      cts.dispose();
    }
  });

  syncAll();
  void vscode.commands.executeCommand('setContext', 'promptRegistry.testsAvailable', true);
  const disposable = vscode.Disposable.from(controller, runTestsCommand, registry.onDidChange((ws) => sync(ws)));
  return { disposable, controller, runRequest };
}

function setRange(item: vscode.TestItem, range: vscode.Range): void {
  if (!item.range || !item.range.isEqual(range)) item.range = range;
}

function located(m: vscode.TestMessage, item: vscode.TestItem): vscode.TestMessage {
  if (item.uri && item.range) m.location = new vscode.Location(item.uri, item.range);
  return m;
}

function toMessage(a: AssertionOutcome): vscode.TestMessage {
  return a.expected !== undefined && a.actual !== undefined ? vscode.TestMessage.diff(a.message, a.expected, a.actual) : new vscode.TestMessage(a.message);
}

function plain(a: AssertionOutcome): CaseReport['messages'][number] {
  return { message: a.message, expected: a.expected, actual: a.actual };
}
