import type { Env } from '../config/load';
import type { ParsedBlobs } from '../workspace/promptsAtRef';
import { addCosts, affectsCost, costImpact, COST_METHOD, type CostImpact, type CostTotals } from './costImpact';
import type { SemanticDiff } from './diffTypes';
import { pairPrompts, type PairStatus } from './pairing';
import { providerChanges, type ProviderChange } from './providerChanges';
import type { RunComparison } from './runTypes';
import { hasChanges, semanticDiff, summarizeDiff } from './semanticDiff';
import { reviewCatalog, snapshotAt } from './snapshot';
import { validateSnapshot, type Problem } from './validateSnapshot';

export interface RefInfo {
  /** As given on the command line. */
  ref: string;
  commit: string;
}

export interface EntryValidation {
  errors: number;
  warnings: number;
  problems: Problem[];
}

export interface ReviewEntry {
  status: PairStatus;
  /** The id at HEAD (at BASE for a removed prompt). */
  id: string;
  /** Registry-relative path at HEAD (at BASE for a removed prompt). */
  path: string;
  /** Where a renamed prompt was, and its id there. */
  previous?: { id: string; path: string };
  summary: string;
  diff: SemanticDiff;
  /** At HEAD; absent for a removed prompt. */
  validation?: EntryValidation;
  /** For added and removed prompts, and when the model or max_tokens changed. */
  cost?: CostImpact;
}

export interface ReviewReport {
  base: RefInfo;
  head: RefInfo;
  prompts: { base: number; head: number };
  counts: Record<PairStatus, number>;
  /** Changes to `providers` and `grader` in prompt-registry.yaml: where requests and keys go. */
  providerChanges: ProviderChange[];
  /** Sorted by path. */
  entries: ReviewEntry[];
  /** The whole of HEAD, as `check` would see it there. */
  validation: {
    errors: number;
    warnings: number;
    /** Prompts this change did not touch that have errors at HEAD. */
    untouchedWithErrors: { id: string; path: string; errors: number }[];
    /** prompt-registry.yaml and catalog problems at HEAD. */
    workspace: Problem[];
    notices: string[];
  };
  cost: CostTotals & { method: string };
  /** With `--run`: the affected suites at BASE and at HEAD. */
  run?: RunComparison;
}

export interface ReviewOptions {
  env?: Env;
  /** For model retirement checks. */
  now?: Date;
}

/**
 * The review of every prompt added, removed, renamed or changed between two
 * refs: semantic diff, validation at HEAD, and the cost of model changes.
 * Both sides are read from git (committed content only). Throws GitError for
 * a bad ref, no repository or no git.
 */
export async function buildReview(
  root: string,
  baseRef: string,
  headRef: string,
  opts: ReviewOptions = {},
): Promise<ReviewReport> {
  // Most prompts are the same at both refs: each distinct blob is parsed once.
  const parsed: ParsedBlobs = new Map();
  const [base, head] = await Promise.all([
    snapshotAt(root, baseRef, opts.env, parsed),
    snapshotAt(root, headRef, opts.env, parsed),
  ]);
  const catalog = reviewCatalog(head.catalog, base.catalog);
  const checked = validateSnapshot(head, opts.now ?? new Date());
  const pairs = await pairPrompts(head.top, base.commit, head.commit, base.prompts, head.prompts);
  const touched = new Set<string>();
  const entries = pairs.map((pair): ReviewEntry => {
    const b = pair.before;
    const a = pair.after;
    const diff = semanticDiff(b?.prompt, a?.prompt, catalog);
    const current = (a ?? b)!;
    const entry: ReviewEntry = {
      status: pair.status,
      id: current.id,
      path: current.path,
      summary: entrySummary(pair.status, diff),
      diff,
    };
    if (pair.status === 'renamed') entry.previous = { id: b!.id, path: b!.path };
    if (a) {
      touched.add(a.path);
      const problems = checked.byPath.get(a.path) ?? [];
      entry.validation = {
        errors: problems.filter((p) => p.severity === 'error').length,
        warnings: problems.filter((p) => p.severity === 'warning').length,
        problems,
      };
    }
    if (!a || !b || affectsCost(b.prompt, a.prompt)) entry.cost = costImpact(b?.prompt, a?.prompt, catalog);
    return entry;
  });
  entries.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));

  const counts: Record<PairStatus, number> = { added: 0, removed: 0, renamed: 0, changed: 0 };
  for (const e of entries) counts[e.status]++;
  let errors = checked.workspace.filter((p) => p.severity === 'error').length;
  let warnings = checked.workspace.length - errors;
  const untouchedWithErrors: ReviewReport['validation']['untouchedWithErrors'] = [];
  for (const p of head.prompts) {
    const problems = checked.byPath.get(p.path) ?? [];
    const e = problems.filter((x) => x.severity === 'error').length;
    errors += e;
    warnings += problems.length - e;
    if (e && !touched.has(p.path)) untouchedWithErrors.push({ id: p.id, path: p.path, errors: e });
  }
  const costed = entries.filter((e) => e.status !== 'added' && e.status !== 'removed' && e.cost).map((e) => e.cost!);
  return {
    base: { ref: baseRef, commit: base.commit },
    head: { ref: headRef, commit: head.commit },
    prompts: { base: base.prompts.length, head: head.prompts.length },
    counts,
    providerChanges: providerChanges(base.config.config, head.config.config),
    entries,
    validation: { errors, warnings, untouchedWithErrors, workspace: checked.workspace, notices: checked.notices },
    cost: { ...addCosts(costed), method: COST_METHOD },
  };
}

function entrySummary(status: PairStatus, diff: SemanticDiff): string {
  if (hasChanges(diff) || status === 'added' || status === 'removed') return summarizeDiff(diff);
  return status === 'renamed' ? 'moved, no other change' : 'formatting only, no semantic change';
}

/** Exit code 1: HEAD has validation errors, or (with --run) a suite at HEAD did not pass. */
export function reviewFailed(r: ReviewReport): boolean {
  return r.validation.errors > 0 || (r.run !== undefined && !r.run.headPassed);
}
