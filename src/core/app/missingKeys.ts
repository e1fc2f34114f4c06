import type { ResolvedProvider } from '../config/load';
import { needsApiKey } from '../providers/keys';
import { chooseProvider } from '../run/chooseProvider';
import type { PlannedCase, PlannedSuite } from '../run/plan';
import type { Project } from './project';

export interface MissingKey {
  case: PlannedCase;
  provider: ResolvedProvider;
}

/** The cases that would call a provider without a key; a host reports them instead of sending anything. */
export function missingKeys(
  project: Project,
  plans: PlannedSuite[],
  hasKey: (provider: ResolvedProvider) => boolean,
): MissingKey[] {
  const out: MissingKey[] = [];
  for (const plan of plans) {
    for (const c of plan.cases) {
      if (c.blocked || !c.model) continue;
      let provider: ResolvedProvider;
      try {
        provider = chooseProvider(c.model, project.config, project.catalog).provider;
      } catch {
        // No such provider: the runner reports it on the case.
        continue;
      }
      if (needsApiKey(provider) && !hasKey(provider)) out.push({ case: c, provider });
    }
  }
  return out;
}
