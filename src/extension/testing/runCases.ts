import * as vscode from 'vscode';
import type { AssertionOutcome } from '../../core/assert/evaluate';
import { missingKeys } from '../../core/app/missingKeys';
import { planRun } from '../../core/app/planRun';
import { projectOf } from '../../core/app/project';
import { runPlans } from '../../core/app/runPlans';
import type { Env } from '../../core/config/load';
import { formatUsd } from '../../core/format/numbers';
import { needsApiKey } from '../../core/providers/keys';
import type { CaseResult } from '../../core/run/results';
import { providersUsed, refusedKeys } from '../../core/run/keyCheck';
import { refusalReason } from '../../core/providers/keyPolicy';
import type { PromptWorkspace } from '../../core/workspace/promptWorkspace';
import type { ApiKeys } from '../apiKeys';
import type { KeyConsent } from '../keyConsent';
import type { WorkspaceRegistry } from '../workspaces';
import { caseId, type SuiteTestItems } from './testItems';
import { errorMessage } from '../../core/text/errorMessage';

/** What was reported for one test item in a run (also what the extension API returns, for tests). */
export interface CaseReport {
  id: string;
  state: 'passed' | 'failed' | 'errored' | 'skipped';
  messages: { message: string; expected?: string; actual?: string }[];
  durationMs?: number;
  /** The model that answered (the fallback's, when it answered). */
  answeredBy?: string;
}

export interface CasesRun {
  reports: CaseReport[];
  /** The runner's results (latency, tokens, cost), for comparisons. */
  results: CaseResult[];
  /** Nothing ran because the workspace is not trusted. */
  untrusted: boolean;
}

/** How far a run is: cases reported so far, of how many, and how many of them failed or errored. */
export interface RunProgress {
  done: number;
  total: number;
  failed: number;
}

export type RunCases = (
  request: vscode.TestRunRequest,
  token?: vscode.CancellationToken,
  model?: string,
  onProgress?: (p: RunProgress) => void,
) => Promise<CasesRun>;

/**
 * Runs the requested cases on the core runner, one TestRun per call. `model`
 * runs every case on it. Keys come from SecretStorage or the environment; in an
 * untrusted workspace nothing is sent and every case is reported skipped.
 */
export function makeRunCases(
  controller: vscode.TestController,
  items: SuiteTestItems,
  registry: WorkspaceRegistry,
  keys: ApiKeys,
  consent: KeyConsent,
  log: vscode.LogOutputChannel,
): RunCases {
  return async (request, token, model, onProgress) => {
    const requested = items.casesOf(request);
    const run = controller.createTestRun(request, model ? `Prompt Registry (${model})` : 'Prompt Registry', true);
    const reports = new Map<string, CaseReport>();
    const results: CaseResult[] = [];
    const out = (line: string) => run.appendOutput(`${line.replace(/\r?\n/g, '\r\n')}\r\n`);
    const report = (item: vscode.TestItem, r: CaseReport, messages: vscode.TestMessage[] = []) => {
      reports.set(item.id, r);
      if (r.state === 'passed') run.passed(item, r.durationMs);
      else if (r.state === 'failed') run.failed(item, messages, r.durationMs);
      else if (r.state === 'errored') run.errored(item, messages, r.durationMs);
      else run.skipped(item);
      const failed = [...reports.values()].filter((x) => x.state === 'failed' || x.state === 'errored').length;
      onProgress?.({ done: reports.size, total: requested.length, failed });
    };
    const done = (untrusted = false): CasesRun => ({ reports: [...reports.values()], results, untrusted });
    const ac = new AbortController();
    const sub = token?.onCancellationRequested(() => ac.abort());
    try {
      if (!vscode.workspace.isTrusted) {
        out(
          'Prompt Registry: this workspace is not trusted, so no test was run (no model was called). Trust the workspace to run suites.',
        );
        for (const item of requested) report(item, { id: item.id, state: 'skipped', messages: [] });
        return done(true);
      }
      for (const item of requested) run.enqueued(item);
      const missingKeyNames = new Set<string>();
      for (const [root, mine] of groupByRoot(requested, items)) {
        if (ac.signal.aborted) break;
        const ws = registry.byRoot(root);
        const suites = ws && registry.suitesOf(ws);
        if (!ws || !suites) continue;
        const project = projectOf(ws, suites);
        const itemOf = new Map(mine.map((i) => [i.id, i]));
        const wanted = new Set(mine.map((i) => i.id));
        const files = new Set(mine.map((i) => items.dataOf(i)!.file));
        const plans = planRun(project, {
          suites: [...files].map((f) => suites.get(f)).filter((x) => x !== undefined),
          models: [model],
          cases: (file, name) => wanted.has(caseId(file, name)),
        });
        const { env, keyed } = await envWithKeys(ws, keys);
        const unkeyed = new Map(missingKeys(project, plans, (p) => keyed.has(p.name)).map((m) => [m.case, m.provider]));
        for (const plan of plans) {
          plan.cases = plan.cases.filter((c) => {
            const p = unkeyed.get(c);
            if (!p) return true;
            missingKeyNames.add(p.name);
            const item = itemOf.get(caseId(c.suiteFile, c.caseName))!;
            const message = `No API key for provider "${p.name}": set one with "Prompt Registry: Set API Key" or in $${p.apiKeyEnv}. Nothing was sent.`;
            out(`${c.caseName}: ${message}`);
            report(item, { id: item.id, state: 'failed', messages: [{ message }] }, [
              located(new vscode.TestMessage(message), item),
            ]);
            return false;
          });
        }
        const runnable = plans.filter((p) => p.cases.length);
        if (!runnable.length) continue;
        // Run and Compare Models are explicit actions: a key the policy refuses is asked about here, before anything is sent.
        let allowances = consent.allowances();
        const refused = refusedKeys(
          providersUsed(runnable, { config: project.config, catalog: project.catalog }),
          env,
          allowances,
        );
        if (refused.length) {
          const answer = await consent.ask(refused);
          allowances = answer.allowances;
          if (answer.declined.length) {
            const message = `Not run, nothing was sent: ${answer.declined.map(refusalReason).join('; ')}.`;
            out(message);
            const declined = answer.declined;
            void vscode.window
              .showWarningMessage(message, 'Allow…')
              .then((c) => (c ? consent.ask(declined) : undefined));
            for (const c of runnable.flatMap((p) => p.cases)) {
              const item = itemOf.get(caseId(c.suiteFile, c.caseName))!;
              report(item, { id: item.id, state: 'skipped', messages: [{ message }] });
            }
            continue;
          }
        }
        const result = await runPlans(project, runnable, {
          env,
          allowances,
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
        results.push(...result.cases);
        // Cases the runner never started (a cancelled run) have no onCaseEnd.
        for (const r of result.cases) {
          const item = itemOf.get(caseId(r.suiteFile, r.caseName));
          if (item && !reports.has(item.id)) reportResult(item, r);
        }
      }
      if (missingKeyNames.size) warnMissingKeys(missingKeyNames);
      return done();
    } catch (e) {
      const message = `internal error: ${errorMessage(e)}`;
      log.error(`Test run failed: ${message}`);
      for (const item of requested)
        if (!reports.has(item.id))
          report(item, { id: item.id, state: 'errored', messages: [{ message }] }, [new vscode.TestMessage(message)]);
      return done();
    } finally {
      sub?.dispose();
      run.end();
    }

    function reportResult(item: vscode.TestItem, r: CaseResult): void {
      const who = r.answeredBy
        ? ` on ${r.answeredBy}${r.provider ? ` (${r.provider})` : ''}${r.fallback ? ' (fallback)' : ''}`
        : '';
      const cost = r.costUsd !== undefined ? `, ${formatUsd(r.costUsd)}` : '';
      out(
        `── ${r.caseName}: ${r.status}${who}, ${r.durationMs} ms${r.cached ? ' (cached)' : ''}, ${r.tokens.input}/${r.tokens.output} tokens${cost}`,
      );
      if (r.output !== undefined) out(r.output);
      const base = { id: item.id, durationMs: r.durationMs, answeredBy: r.answeredBy };
      if (r.status === 'pass') {
        report(item, { ...base, state: 'passed', messages: [] });
      } else if (r.status === 'fail') {
        const failed = r.assertions.filter((a) => a.status === 'fail');
        report(
          item,
          { ...base, state: 'failed', messages: failed.map(plain) },
          failed.map((a) => located(toMessage(a), item)),
        );
      } else if (r.status === 'error') {
        const errs = r.error ? [{ message: r.error }] : r.assertions.filter((a) => a.status === 'error').map(plain);
        out(`   ${errs.map((m) => m.message).join('; ')}`);
        report(
          item,
          { ...base, state: 'errored', messages: errs },
          errs.map((m) => located(new vscode.TestMessage(m.message), item)),
        );
      } else {
        report(item, { id: item.id, state: 'skipped', messages: [] });
      }
    }
  };
}

function groupByRoot(requested: vscode.TestItem[], items: SuiteTestItems): Map<string, vscode.TestItem[]> {
  const byRoot = new Map<string, vscode.TestItem[]>();
  for (const item of requested) {
    const root = items.dataOf(item)!.root;
    byRoot.set(root, [...(byRoot.get(root) ?? []), item]);
  }
  return byRoot;
}

/** Keys from VS Code's secret storage (or the environment), handed to the core as its env. */
export async function envWithKeys(ws: PromptWorkspace, keys: ApiKeys): Promise<{ env: Env; keyed: Set<string> }> {
  const env: Env = { ...process.env };
  const keyed = new Set<string>();
  for (const p of ws.settings.providers) {
    if (!needsApiKey(p)) continue;
    const key = await keys.get(p);
    if (key) {
      env[p.apiKeyEnv] = key;
      keyed.add(p.name);
    }
  }
  return { env, keyed };
}

function warnMissingKeys(missing: Set<string>): void {
  const names = [...missing].map((n) => `"${n}"`).join(', ');
  void vscode.window
    .showWarningMessage(
      `Prompt Registry: no API key for ${names}, so those tests failed without calling the model.`,
      'Set API Key',
    )
    .then((choice) => {
      if (choice === 'Set API Key') void vscode.commands.executeCommand('promptRegistry.setApiKey');
    });
}

function located(m: vscode.TestMessage, item: vscode.TestItem): vscode.TestMessage {
  if (item.uri && item.range) m.location = new vscode.Location(item.uri, item.range);
  return m;
}

function toMessage(a: AssertionOutcome): vscode.TestMessage {
  return a.expected !== undefined && a.actual !== undefined
    ? vscode.TestMessage.diff(a.message, a.expected, a.actual)
    : new vscode.TestMessage(a.message);
}

function plain(a: AssertionOutcome): CaseReport['messages'][number] {
  return { message: a.message, expected: a.expected, actual: a.actual };
}
