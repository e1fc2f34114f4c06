import type { ResolvedProvider } from '../config/load';

/**
 * What asks for a model refresh: the user (Refresh Models, a picker's refresh) or the scheduler (at startup, on its
 * timer, after a key is allowed).
 */
export type RefreshTrigger = 'manual' | 'automatic';

export interface RefreshContext {
  trigger: RefreshTrigger;
  /** Whether the workspace is trusted: an untrusted one never calls a provider. */
  trusted: boolean;
  /** Whether the folder is set up for Prompt Registry (a prompt-registry.yaml or a catalog exists). */
  setUp: boolean;
  providers: readonly Pick<ResolvedProvider, 'name' | 'type' | 'models'>[];
}

export type SkipReason = 'untrusted' | 'not-set-up' | 'nothing-to-fetch';

/** `providers`: the ones whose model list would be fetched. */
export type RefreshDecision = { kind: 'run'; providers: string[] } | { kind: 'skipped'; reason: SkipReason };

/** Providers with a model list to fetch: OpenAI-compatible ones that do not declare their models. */
export function fetchableProviders(providers: RefreshContext['providers']): string[] {
  return providers.filter((p) => p.type === 'openai' && !p.models).map((p) => p.name);
}

/**
 * Whether a refresh may call providers. The one trust rule for every path that can reach the network:
 * an untrusted workspace refreshes nothing, whoever asks. An automatic refresh also needs a folder set up
 * for Prompt Registry and a provider with a list to fetch; the user may always ask (a refresh with nothing
 * to fetch still reports so).
 */
export function decideRefresh(ctx: RefreshContext): RefreshDecision {
  if (!ctx.trusted) return { kind: 'skipped', reason: 'untrusted' };
  const providers = fetchableProviders(ctx.providers);
  if (ctx.trigger === 'automatic') {
    if (!ctx.setUp) return { kind: 'skipped', reason: 'not-set-up' };
    if (providers.length === 0) return { kind: 'skipped', reason: 'nothing-to-fetch' };
  }
  return { kind: 'run', providers };
}
