import { planSuite, type PlannedSuite } from '../run/plan';
import { selectSuites, type SuiteSelection } from '../run/select';
import type { ParsedSuite } from '../suite/types';
import { siblingPromptFile } from '../workspace/suiteWorkspace';
import type { Project } from './project';

export interface RunSelection {
  /** The suites to run, in order. */
  suites: ParsedSuite[];
  /** One pass over the suites per model (`--compare`, Compare Models); `[undefined]` runs each case on its own model. */
  models?: (string | undefined)[];
  /** Keeps only these cases (the Testing view runs single cases). */
  cases?: (suiteFile: string, caseName: string) => boolean;
}

/** The planned suites of a run: one per suite and model, cases narrowed, diagnostics attached. */
export function planRun(project: Project, selection: RunSelection): PlannedSuite[] {
  const diagnostics = project.suites.validate();
  const plans: PlannedSuite[] = [];
  for (const model of selection.models ?? [undefined]) {
    for (const suite of selection.suites) {
      const plan = planSuite(project.suites, suite, {
        model,
        config: project.config,
        relative: project.relative,
        diagnostics: diagnostics.get(suite.file!) ?? [],
      });
      if (selection.cases) plan.cases = plan.cases.filter((c) => selection.cases!(c.suiteFile, c.caseName));
      plans.push(plan);
    }
  }
  return plans;
}

/** The project's suites that a selection (paths, prompt, changed files, shard) keeps, and how many there were. */
export function chooseSuites(project: Project, selection: SuiteSelection): { chosen: ParsedSuite[]; found: number } {
  const candidates = project.suites.suites().map((suite) => {
    const prompt = project.suites.promptFor(suite);
    return {
      suite,
      rel: project.relative(suite.file!),
      promptId: prompt?.id,
      promptFile: prompt?.file ?? siblingPromptFile(suite.file!),
      tags: prompt?.tags,
    };
  });
  return { chosen: selectSuites(candidates, selection).map((c) => c.suite), found: candidates.length };
}
