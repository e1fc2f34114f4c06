import type { PlannedSuite } from '../run/plan';
import type { RunResult } from '../run/results';
import { runSuites, type RunOptions } from '../run/runner';
import type { Project } from './project';

export interface RunPlansOptions extends Omit<RunOptions, 'root' | 'config' | 'catalog'> {
  /** Whose response cache and call log to use (default the project's root; a review's throwaway worktree uses the real one). */
  cacheRoot?: string;
}

/** Runs planned suites with the project's config and catalog. */
export function runPlans(project: Project, plans: PlannedSuite[], opts: RunPlansOptions = {}): Promise<RunResult> {
  const { cacheRoot, ...rest } = opts;
  return runSuites(plans, {
    ...rest,
    root: cacheRoot ?? project.root,
    config: project.config,
    catalog: project.catalog,
  });
}
