import type { Catalog } from '../catalog/types';
import type { Env, ResolvedConfig, ResolvedProvider } from '../config/load';
import { decideKey, type HostAllowance, type RefusedKey } from '../providers/keyPolicy';
import { chooseProvider } from './chooseProvider';
import type { PlannedSuite } from './plan';

export interface UsedProvidersOptions {
  config: ResolvedConfig;
  catalog?: Catalog;
  /** `--provider NAME`: every case runs there. */
  provider?: string;
}

/** The providers a run of these plans would call: each case's model and fallback, and the grader when a case has an llm-rubric. */
export function providersUsed(plans: readonly PlannedSuite[], opts: UsedProvidersOptions): ResolvedProvider[] {
  const used = new Map<string, ResolvedProvider>();
  const add = (ref: string | undefined) => {
    if (!ref) return;
    try {
      const p = chooseProvider(ref, opts.config, opts.catalog, opts.provider).provider;
      used.set(p.name, p);
    } catch {
      // An unknown --provider is reported by the run itself.
    }
  };
  const g = opts.config.grader;
  for (const s of plans) {
    for (const c of s.cases) {
      if (c.blocked || !c.messages) continue;
      add(c.model);
      add(c.fallbackModel);
      if (g && c.assertions.some((a) => a.base === 'llm-rubric'))
        add(g.provider ? `${g.provider}/${g.model}` : g.model);
    }
  }
  return [...used.values()];
}

/** The keys these providers would need and may not send: a run with any of them makes no request at all. */
export function refusedKeys(
  providers: readonly ResolvedProvider[],
  env: Env,
  allowances: readonly HostAllowance[],
): RefusedKey[] {
  return providers
    .map((p) => decideKey(p, env[p.apiKeyEnv], allowances))
    .filter((d): d is RefusedKey => d.kind === 'refused');
}
