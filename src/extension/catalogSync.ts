import * as path from 'node:path';
import * as vscode from 'vscode';
import { resolveModel } from '../core/catalog/lookup';
import { refreshCatalog, type ProviderOutcome, type RefreshResult } from '../core/catalog/refresh';
import {
  decideRefresh,
  fetchableProviders,
  type RefreshDecision,
  type RefreshTrigger,
} from '../core/catalog/refreshDecision';
import { nextRefreshDue, RefreshScheduler } from '../core/catalog/schedule';
import { CONFIG_FILE } from '../core/config/load';
import type { ResolvedProvider } from '../core/config/load';
import { decideKey, originOf, refusalReason, type HostAllowance, type RefusedKey } from '../core/providers/keyPolicy';
import type { ParsedPrompt } from '../core/prompt/types';
import type { PromptWorkspace } from '../core/workspace/promptWorkspace';
import type { ApiKeys } from './apiKeys';
import type { KeyConsent } from './keyConsent';
import type { Notifier } from './notifier';
import { toRange } from './convert';
import { DisposableStore, toDisposable } from './lifecycle';
import type { WorkspaceRegistry } from './workspaces';
import { plural, wordFor } from '../core/text/plural';

/**
 * One decision about a folder's refresh, as the extension API reports it. `stage` "schedule": whether the folder
 * keeps a scheduler (reported when the decision or the providers change); "refresh": a refresh that was asked for.
 * `providers` are the ones with a list to fetch, whatever the decision.
 */
export interface RefreshDecisionEvent {
  root: string;
  stage: 'schedule' | 'refresh';
  trigger: RefreshTrigger;
  providers: string[];
  decision: RefreshDecision;
}

/**
 * Keeps each folder's catalog fresh: at startup (without delaying activation),
 * on a timer based on the stored last-refresh time, and on demand. In an
 * untrusted workspace it never touches the network.
 */
export class CatalogSync implements vscode.Disposable {
  private readonly schedulers = new Map<PromptWorkspace, { scheduler: RefreshScheduler; signature: string }>();
  /** Automatic refresh failures are announced once per folder and kind per session; the log has every one. */
  private readonly announced = new Set<string>();
  private readonly store = new DisposableStore();
  /** Per folder: providers not refreshed because their key's host is not allowed, by `name@origin`. */
  private readonly skipped = new Map<PromptWorkspace, Map<string, RefusedKey>>();
  /** Folders whose manual refresh is asking right now: it refreshes them itself. */
  private readonly asking = new Set<PromptWorkspace>();
  private readonly decisions = new vscode.EventEmitter<RefreshDecisionEvent>();
  /** Every refresh decision; tests wait on it instead of waiting for something not to happen. */
  readonly onDidDecide = this.decisions.event;
  /** Per folder, the last scheduling decision reported (to report only changes). */
  private readonly lastScheduleDecision = new Map<PromptWorkspace, string>();

  constructor(
    private readonly registry: WorkspaceRegistry,
    private readonly keys: ApiKeys,
    private readonly log: vscode.LogOutputChannel,
    private readonly consent: KeyConsent,
    private readonly notifier: Notifier,
    private readonly note: (text: string | undefined) => void = () => undefined,
  ) {
    this.store.add(registry.onDidChange(() => this.syncSchedulers()));
    this.store.add(vscode.workspace.onDidGrantWorkspaceTrust(() => this.syncSchedulers()));
    this.store.add(consent.onDidAllow(() => this.retrySkipped()));
    this.store.add(this.decisions);
    this.store.add(
      toDisposable(() => {
        for (const s of this.schedulers.values()) s.scheduler.stop();
        this.schedulers.clear();
      }),
    );
  }

  /** Refreshes one folder's catalog and reports the outcome. Resolves true when every provider succeeded. */
  async refresh(ws: PromptWorkspace, opts: { manual: boolean; force?: boolean }): Promise<boolean> {
    const trigger: RefreshTrigger = opts.manual ? 'manual' : 'automatic';
    const decision = this.decide(ws, 'refresh', trigger);
    if (decision.kind === 'skipped') {
      if (decision.reason !== 'untrusted') return true; // Nothing to keep fresh is not a failure to retry.
      if (opts.manual)
        void this.notifier.warn(
          'Prompt Registry does not call providers in an untrusted workspace. Trust the workspace to refresh models.',
        );
      return false;
    }
    const folder = path.basename(ws.root);
    if (opts.manual) this.registry.reloadConfig(ws);
    const before = new Set(ws.prompts().filter((p) => usesInactive(ws, p)));
    const gate = await this.keyGate(ws, opts.manual);
    if (gate.only?.length === 0) {
      if (opts.manual) {
        void this.notifier
          .warn(
            'Models not refreshed, nothing was sent: the API key was not allowed to go to the configured host.',
            'Allow…',
          )
          .then((c) => (c ? this.refresh(ws, { manual: true }) : undefined));
      }
      return !opts.manual;
    }
    const run = (): Promise<RefreshResult> =>
      refreshCatalog({
        root: ws.root,
        config: ws.settings,
        force: opts.force,
        only: gate.only,
        allowances: gate.allowances,
        apiKeyFor: (p) => this.keys.get(p),
      }).catch((e: Error) => ({
        outcomes: [{ provider: 'all providers', status: 'failed', reason: e.message, errorKind: 'error' }],
        written: false,
      }));
    const result = opts.manual
      ? await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: 'Refreshing models…' },
          run,
        )
      : await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Refreshing models' }, run);
    for (const o of result.outcomes) this.logOutcome(folder, o);
    if (result.unconfigured?.length) {
      this.log.info(
        `${folder}: the catalog holds models of ${result.unconfigured.join(', ')}, which prompt-registry.yaml no longer lists; they validate no prompt (prompt-registry models prune removes them)`,
      );
    }
    if (result.outcomes.length === 0) {
      this.log.info(`${folder}: no OpenAI-compatible provider to refresh`);
      if (opts.manual)
        void this.notifier.info('No OpenAI-compatible provider is configured, so there is no model list to refresh.');
      return true;
    }
    // The watcher would notice too; reloading now makes diagnostics update at once.
    ws.reloadCatalog();
    this.registry.notifyChanged(ws);
    this.schedulers.get(ws)?.scheduler.reschedule();

    const failed = result.outcomes.filter((o) => o.status === 'failed');
    const refused = result.outcomes.filter((o) => o.status === 'refused');
    if (failed.length) void this.announceFailure(ws, failed, opts.manual);
    if (refused.length) void this.announceRefused(ws, refused);
    if (!failed.length && !refused.length && opts.manual) {
      const total = result.outcomes.reduce((n, o) => n + (o.modelCount ?? 0), 0);
      void this.notifier.info(`Models refreshed: ${total} listed${result.written ? '' : ', no changes'}.`);
    }
    const newlyStale = ws.prompts().filter((p) => usesInactive(ws, p) && !before.has(p));
    if (newlyStale.length) void this.announceStale(newlyStale);
    return failed.length === 0 && refused.length === 0;
  }

  /**
   * Which providers this refresh may call. Manual: asks about each refused key first.
   * Automatic: skips them. `only` is undefined when nothing is skipped.
   */
  private async keyGate(
    ws: PromptWorkspace,
    manual: boolean,
  ): Promise<{ allowances: HostAllowance[]; only?: string[] }> {
    const remote = ws.settings.providers.filter((p) => p.type === 'openai');
    let allowances = this.consent.allowances();
    const refused: RefusedKey[] = [];
    for (const p of remote) {
      const d = decideKey(p, await this.keys.get(p), allowances);
      if (d.kind === 'refused') refused.push(d);
    }
    let skip = refused;
    if (manual && refused.length) {
      this.asking.add(ws);
      try {
        ({ allowances, declined: skip } = await this.consent.ask(refused));
      } finally {
        this.asking.delete(ws);
      }
    }
    this.setSkipped(ws, skip);
    if (!skip.length) return { allowances };
    const names = new Set(skip.map((r) => r.provider));
    return { allowances, only: remote.filter((p) => !names.has(p.name)).map((p) => p.name) };
  }

  private setSkipped(ws: PromptWorkspace, skip: readonly RefusedKey[]): void {
    const folder = path.basename(ws.root);
    const mine = new Map(skip.map((r) => [`${r.provider}@${r.origin}`, r]));
    for (const [id, r] of mine) {
      if (this.announced.has(`${ws.root}|skip|${id}`)) continue;
      this.announced.add(`${ws.root}|skip|${id}`);
      this.log.warn(
        `${folder}: ${r.provider}: model refresh skipped, nothing sent: ${refusalReason(r)} (Refresh Models asks to allow it)`,
      );
    }
    if (mine.size) this.skipped.set(ws, mine);
    else this.skipped.delete(ws);
    const all = [...this.skipped.values()].flatMap((m) => [...m.values()]);
    this.note(
      all.length
        ? `Models of ${all.map((r) => r.provider).join(', ')} not refreshed: the key for ${all.map((r) => r.origin).join(', ')} is not allowed yet. Run "Refresh Models" to allow it.`
        : undefined,
    );
  }

  /** A skipped provider still pointing where it was skipped for; the scheduler does not wait for it. */
  private isSkipped(ws: PromptWorkspace, p: ResolvedProvider): boolean {
    return (
      this.skipped.get(ws)?.has(`${p.name}@${originOf(p.baseURL ?? 'https://api.openai.com/v1')?.origin}`) === true
    );
  }

  private retrySkipped(): void {
    for (const ws of [...this.skipped.keys()])
      if (this.registry.all().includes(ws) && !this.asking.has(ws)) void this.refresh(ws, { manual: false });
  }

  /** The trust rule (core/catalog/refreshDecision.ts) for one folder, reported through onDidDecide. */
  private decide(ws: PromptWorkspace, stage: RefreshDecisionEvent['stage'], trigger: RefreshTrigger): RefreshDecision {
    const decision = decideRefresh({
      trigger,
      trusted: vscode.workspace.isTrusted,
      setUp: ws.config.exists || ws.catalog.exists,
      providers: ws.settings.providers,
    });
    const event: RefreshDecisionEvent = {
      root: ws.root,
      stage,
      trigger,
      providers: fetchableProviders(ws.settings.providers),
      decision,
    };
    if (stage === 'schedule') {
      const key = JSON.stringify(event);
      if (this.lastScheduleDecision.get(ws) === key) return decision;
      this.lastScheduleDecision.set(ws, key);
    }
    this.decisions.fire(event);
    return decision;
  }

  private syncSchedulers(): void {
    for (const [ws, s] of this.schedulers) {
      if (!this.registry.all().includes(ws)) {
        s.scheduler.stop();
        this.schedulers.delete(ws);
        this.skipped.delete(ws);
      }
    }
    for (const ws of [...this.lastScheduleDecision.keys()])
      if (!this.registry.all().includes(ws)) this.lastScheduleDecision.delete(ws);
    for (const ws of this.registry.all()) {
      const existing = this.schedulers.get(ws);
      // Untrusted, not set up for Prompt Registry, or only providers that declare their models: no scheduler.
      const decision = this.decide(ws, 'schedule', 'automatic');
      if (decision.kind === 'skipped') {
        existing?.scheduler.stop();
        this.schedulers.delete(ws);
        continue;
      }
      const signature = `${ws.settings.refreshIntervalHours}|${decision.providers.join(',')}`;
      if (existing?.signature === signature) continue;
      existing?.scheduler.stop();
      const due = () =>
        nextRefreshDue(
          ws.modelCatalog,
          fetchableProviders(ws.settings.providers.filter((p) => !this.isSkipped(ws, p))),
          ws.settings.refreshIntervalHours,
          new Date(),
        );
      const scheduler = new RefreshScheduler(
        () => this.refresh(ws, { manual: false }),
        due,
        () => ws.settings.refreshIntervalHours,
      );
      this.schedulers.set(ws, { scheduler, signature });
      const next = due();
      this.log.info(
        `${path.basename(ws.root)}: next model refresh ${next.getTime() <= Date.now() ? 'now' : `at ${next.toISOString()}`} (every ${ws.settings.refreshIntervalHours} h)`,
      );
      scheduler.start();
    }
  }

  private logOutcome(folder: string, o: ProviderOutcome): void {
    if (o.status === 'failed') this.log.error(`${folder}: refresh failed, the catalog keeps its old list: ${o.reason}`);
    else if (o.status === 'refused') this.log.warn(`${folder}: ${o.provider}: ${o.reason}`);
    else if (o.status === 'declared')
      this.log.info(`${folder}: ${o.provider}: ${o.modelCount} models declared in prompt-registry.yaml (not fetched)`);
    else {
      const c = o.changes!;
      this.log.info(
        `${folder}: ${o.provider}: ${o.modelCount} models listed; added [${c.added.join(', ')}], available again [${c.reactivated.join(', ')}], no longer available [${c.deactivated.join(', ')}], metadata changed [${c.updated.join(', ')}]`,
      );
    }
  }

  private async announceFailure(ws: PromptWorkspace, failed: ProviderOutcome[], manual: boolean): Promise<void> {
    const kinds = failed.map((f) => `${ws.root}|${f.provider}|${f.errorKind}`);
    if (!manual && kinds.every((k) => this.announced.has(k))) return;
    kinds.forEach((k) => this.announced.add(k));
    const needsKey = failed.some((f) => f.errorKind === 'no-key' || f.errorKind === 'auth');
    const actions = ['Show Log', ...(needsKey ? ['Set API Key'] : [])];
    // The core's no-key reason names the environment variable; here the remedy is the Set API Key button.
    const reason = failed[0]!.errorKind === 'no-key' ? `${failed[0]!.provider}: no API key` : failed[0]!.reason;
    const choice = await this.notifier.error(`Refreshing models failed (the old list is kept): ${reason}`, ...actions);
    if (choice === 'Show Log') this.log.show(true);
    if (choice === 'Set API Key') await vscode.commands.executeCommand('promptRegistry.setApiKey');
  }

  private async announceRefused(ws: PromptWorkspace, refused: ProviderOutcome[]): Promise<void> {
    const choice = await this.notifier.warn(
      `Model refresh not applied: ${refused[0]!.provider}: ${refused[0]!.reason}.`,
      'Refresh Anyway',
      'Show Log',
    );
    if (choice === 'Refresh Anyway') await this.refresh(ws, { manual: true, force: true });
    if (choice === 'Show Log') this.log.show(true);
  }

  private async announceStale(prompts: ParsedPrompt[]): Promise<void> {
    const n = prompts.length;
    const choice = await this.notifier.warn(
      `${plural(n, 'prompt')} ${wordFor(n, 'uses', 'use')} models that are no longer available`,
      'Show',
    );
    if (choice !== 'Show') return;
    // VS Code has no API to set the Problems view's filter, so list exactly these prompts instead.
    const picked = await vscode.window.showQuickPick(
      prompts.map((p) => ({
        label: p.name ?? p.id,
        description: `${p.model} · no longer available`,
        detail: vscode.workspace.asRelativePath(p.file!),
        prompt: p,
      })),
      { title: 'Prompts using models that are no longer available', matchOnDetail: true },
    );
    if (!picked) return;
    const range = toRange(picked.prompt.ranges.get('model')?.value ?? picked.prompt.headerRange);
    await vscode.window.showTextDocument(vscode.Uri.file(picked.prompt.file!), { selection: range });
    await vscode.commands.executeCommand('workbench.actions.view.problems');
  }

  dispose(): void {
    this.store.dispose();
  }
}

function usesInactive(ws: PromptWorkspace, p: ParsedPrompt): boolean {
  const catalog = ws.modelCatalog;
  if (!catalog || !p.model) return false;
  const r = resolveModel(p.model, catalog);
  return r.kind === 'found' && !r.model.active;
}

export function configUri(ws: PromptWorkspace): vscode.Uri {
  return vscode.Uri.file(path.join(ws.root, CONFIG_FILE));
}
