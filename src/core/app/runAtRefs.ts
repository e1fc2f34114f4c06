import * as path from 'node:path';
import type { Env } from '../config/load';
import { git } from '../git/git';
import { registryLocation } from '../workspace/promptsAtRef';
import type { HostAllowance, RefusedKey } from '../providers/keyPolicy';
import { providersUsed, refusedKeys } from '../run/keyCheck';
import type { PlannedSuite } from '../run/plan';
import { runPassed, summarize, type CaseResult, type RunResult } from '../run/results';
import type { ReviewReport } from '../review/report';
import type { RunComparison, SuiteComparison } from '../review/runTypes';
import { withWorktrees } from '../review/worktree';
import { originChanges, type OriginChange } from '../review/providerChanges';
import { planRun } from './planRun';
import { openProject, type Project } from './project';
import { runPlans } from './runPlans';

export interface RunAtRefsOptions {
  provider?: string;
  concurrency?: number;
  timeoutMs?: number;
  /** The response cache of the registry at `root` (default true). */
  cache?: boolean;
  env?: Env;
  /** Hosts the user lets keys reach, beyond the built-in vendor hosts. */
  allowances?: readonly HostAllowance[];
  /** Call HEAD's providers even where their endpoint differs from BASE's. */
  allowProviderChange?: boolean;
  signal?: AbortSignal;
  onCaseEnd?: (r: CaseResult, side: 'base' | 'head') => void;
}

/** Why nothing ran: checked on both sides before any request. */
export type RunBlock =
  { kind: 'provider-change'; changes: OriginChange[] } | { kind: 'key-refused'; refused: RefusedKey[] };

/** Thrown by runAtRefs before any provider is called. */
export class RunBlockedError extends Error {
  constructor(readonly block: RunBlock) {
    super(
      block.kind === 'provider-change'
        ? `HEAD calls providers whose endpoint differs from BASE: ${block.changes.map((c) => `${c.provider} (${c.before ?? 'new'} → ${c.after})`).join(', ')}`
        : `keys refused: ${block.refused.map((r) => `${r.variable} → ${r.origin}`).join(', ')}`,
    );
    this.name = 'RunBlockedError';
  }
}

interface Side {
  project: Project;
  plans: PlannedSuite[];
}

/**
 * Runs the suites a review touches, at BASE and at HEAD, each in a temporary
 * worktree that is removed afterwards. A suite is affected when the prompt it
 * tests was added, removed, renamed or changed, or when the suite file itself
 * changed. Answers are cached in `root`'s response cache; no call log is
 * written (the worktrees are throwaway checkouts, not the app).
 */
export async function runAtRefs(
  root: string,
  report: ReviewReport,
  opts: RunAtRefsOptions = {},
): Promise<RunComparison> {
  const { top, prefix } = await registryLocation(root);
  const changed = await changedFiles(top, report.base.commit, report.head.commit, prefix);
  const baseIds = new Set(report.entries.filter((e) => e.status !== 'added').map((e) => e.diff.id.before ?? e.id));
  const headIds = new Set(report.entries.filter((e) => e.status !== 'removed').map((e) => e.id));
  return withWorktrees(top, [report.base.commit, report.head.commit], async ([baseDir, headDir]) => {
    const baseSide = planSide(path.join(baseDir!, prefix), baseIds, changed, opts);
    const headSide = planSide(path.join(headDir!, prefix), headIds, changed, opts);
    const used = (s: Side) =>
      providersUsed(s.plans, { config: s.project.config, catalog: s.project.catalog, provider: opts.provider });
    // A pull request that edits a baseURL must not get the CI's key, nor the prompts, unless the reviewer says so.
    const moved = opts.allowProviderChange ? [] : originChanges(baseSide.project.config, used(headSide));
    if (moved.length) throw new RunBlockedError({ kind: 'provider-change', changes: moved });
    const env = opts.env ?? process.env;
    const refused = [
      ...refusedKeys(used(baseSide), env, opts.allowances ?? []),
      ...refusedKeys(used(headSide), env, opts.allowances ?? []),
    ];
    const unique = [...new Map(refused.map((r) => [`${r.variable}\0${r.origin}`, r])).values()];
    if (unique.length) throw new RunBlockedError({ kind: 'key-refused', refused: unique });
    const base = await runSide(baseSide, root, opts, 'base');
    const head = await runSide(headSide, root, opts, 'head');
    return compareRuns(base, head, opts.provider);
  });
}

/** Registry-relative paths that differ between two commits. */
async function changedFiles(top: string, base: string, head: string, prefix: string): Promise<Set<string>> {
  const out = await git(top, ['diff', '--name-only', '-z', '--no-renames', base, head, '--', prefix || '.']);
  return new Set(
    out
      .split('\0')
      .filter(Boolean)
      .map((p) => (prefix ? p.slice(prefix.length + 1) : p)),
  );
}

function planSide(root: string, ids: Set<string>, changed: Set<string>, opts: RunAtRefsOptions): Side {
  const project = openProject(root, { env: opts.env });
  const rel = project.relative;
  const affected = project.suites
    .suites()
    .filter((s) => {
      const id = project.suites.promptFor(s)?.id;
      return (id !== undefined && ids.has(id)) || changed.has(rel(s.file!));
    })
    .sort((a, b) => (rel(a.file!) < rel(b.file!) ? -1 : 1));
  return { project, plans: planRun(project, { suites: affected }) };
}

function runSide(
  { project, plans }: Side,
  cacheRoot: string,
  opts: RunAtRefsOptions,
  side: 'base' | 'head',
): Promise<RunResult> {
  return runPlans(project, plans, {
    cacheRoot,
    env: opts.env,
    concurrency: opts.concurrency,
    timeoutMs: opts.timeoutMs,
    cache: opts.cache,
    provider: opts.provider,
    allowances: opts.allowances,
    signal: opts.signal,
    callLog: false,
    onCaseEnd: opts.onCaseEnd && ((r) => opts.onCaseEnd!(r, side)),
  });
}

function compareRuns(base: RunResult, head: RunResult, provider: string | undefined): RunComparison {
  const rows = new Map<string, SuiteComparison>();
  const row = (suite: string, promptId: string | undefined) => {
    let r = rows.get(suite);
    if (!r) rows.set(suite, (r = { suite, baseProblems: [], headProblems: [] }));
    if (promptId !== undefined) r.promptId = promptId;
    return r;
  };
  for (const s of base.suites) Object.assign(row(s.suite, s.promptId), { base: s.totals, baseProblems: s.problems });
  for (const s of head.suites) Object.assign(row(s.suite, s.promptId), { head: s.totals, headProblems: s.problems });
  const comparison: RunComparison = {
    suites: [...rows.values()].sort((a, b) => (a.suite < b.suite ? -1 : 1)),
    base: summarize(base.cases),
    head: summarize(head.cases),
    headPassed: runPassed(head),
    cancelled: base.cancelled || head.cancelled,
  };
  if (provider !== undefined) comparison.provider = provider;
  return comparison;
}
