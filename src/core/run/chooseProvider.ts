import { ProviderError } from '../providers/errors';
import { resolveModel } from '../catalog/lookup';
import type { Catalog } from '../catalog/types';
import type { Env, ResolvedConfig, ResolvedProvider } from '../config/load';
import { BUILTIN_ECHO, EchoProvider } from '../providers/echo';
import { decideKey, keyToSend, refusalReason, type HostAllowance, type RefusedKey } from '../providers/keyPolicy';
import { OpenAIChatProvider } from '../providers/openaiProvider';
import type { ChatProvider, Completion } from '../providers/types';

const ECHO: ResolvedProvider = { name: BUILTIN_ECHO, type: 'echo', apiKeyEnv: '' };

export interface ProviderChoice {
  provider: ResolvedProvider;
  /** The id to send: the catalog's id, or the reference without its `provider/` prefix. */
  modelId: string;
}

/**
 * Which provider runs a model reference:
 * - `forced` (`--provider NAME`, or the built-in `echo`) wins for every case;
 * - a catalog match runs on the provider that lists it (if it is configured);
 * - `name/model` where `name` is a configured provider runs there;
 * - anything else runs on the first configured provider.
 */
export function chooseProvider(
  ref: string,
  config: ResolvedConfig,
  catalog: Catalog | undefined,
  forced?: string,
): ProviderChoice {
  const byName = (name: string) => config.providers.find((p) => p.name === name);
  const slash = ref.indexOf('/');
  const prefixed = slash > 0 ? byName(ref.slice(0, slash)) : undefined;
  if (forced) {
    const p = byName(forced) ?? (forced === BUILTIN_ECHO ? ECHO : undefined);
    if (!p)
      throw new Error(
        `No provider named "${forced}" (configured: ${config.providers.map((x) => x.name).join(', ')}; built-in: ${BUILTIN_ECHO})`,
      );
    return { provider: p, modelId: prefixed ? ref.slice(slash + 1) : ref };
  }
  const found = catalog ? resolveModel(ref, catalog) : undefined;
  if (found?.kind === 'found') {
    const p = byName(found.model.provider);
    if (p) return { provider: p, modelId: found.model.id };
  }
  if (prefixed) return { provider: prefixed, modelId: ref.slice(slash + 1) };
  return { provider: config.providers[0] ?? ECHO, modelId: ref };
}

/** Names `--provider` accepts: the configured providers and the built-in echo. */
export function providerNames(config: ResolvedConfig): string[] {
  const names = config.providers.map((p) => p.name);
  return names.includes(BUILTIN_ECHO) ? names : [...names, BUILTIN_ECHO];
}

/**
 * One ChatProvider per configured provider for a run, created on first use. Keys come only from the
 * environment, and reach a provider only where the key policy allows (providers/keyPolicy.ts).
 */
export class ProviderPool {
  private readonly made = new Map<string, ChatProvider>();

  constructor(
    private readonly env: Env,
    private readonly fetchImpl?: typeof globalThis.fetch,
    private readonly allowances: readonly HostAllowance[] = [],
  ) {}

  get(p: ResolvedProvider): ChatProvider {
    let out = this.made.get(p.name);
    if (!out) {
      const key = this.env[p.apiKeyEnv];
      const decision = decideKey(p, key, this.allowances);
      out =
        p.type === 'echo'
          ? new EchoProvider(p.name)
          : decision.kind === 'refused'
            ? new RefusedProvider(p, decision)
            : new OpenAIChatProvider(p, keyToSend(decision, key), this.fetchImpl);
      this.made.set(p.name, out);
    }
    return out;
  }

  /** The keys in use, to scrub from any text that leaves the run. */
  secrets(config: ResolvedConfig): string[] {
    return config.providers.map((p) => this.env[p.apiKeyEnv]).filter((k): k is string => !!k);
  }
}

/** Stands in for a provider whose key may not go where it points: every call fails before any request. */
class RefusedProvider implements ChatProvider {
  readonly kind = 'openai';
  readonly cacheIdentity: string;

  constructor(
    private readonly provider: ResolvedProvider,
    readonly refused: RefusedKey,
  ) {
    this.cacheIdentity = `openai:${provider.name}:${provider.baseURL ?? ''}`;
  }

  get name(): string {
    return this.provider.name;
  }

  complete(): Promise<Completion> {
    const r = this.refused;
    return Promise.reject(new ProviderError(this.name, 'key-refused', refusalReason(r)));
  }
}
