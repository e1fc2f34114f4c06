import * as fs from 'node:fs';
import * as path from 'node:path';
import lockfile from 'proper-lockfile';
import type { ResolvedConfig, ResolvedProvider } from '../config/load';
import { ProviderError } from '../providers/errors';
import { decideKey, keyToSend, refusalReason, type HostAllowance, type RefusedKey } from '../providers/keyPolicy';
import { fetchProviderModels, type FetchedModel } from './fetch';
import {
  describeShrink,
  emptyCatalog,
  mergeProviderModels,
  shrinkProblem,
  type MergeChanges,
  type ShrinkRefusal,
} from './merge';
import { catalogPath, parseCatalog, serializeCatalog } from './store';
import { writeFileAtomically } from '../fs/atomic';
import { unconfiguredProviders } from './configured';
import type { Catalog } from './types';
import { errorMessage } from '../text/errorMessage';

export interface RefreshOptions {
  root: string;
  config: ResolvedConfig;
  /** Provider names to refresh; all OpenAI-compatible ones when absent. */
  only?: string[];
  /** Apply even when the shrink guard objects. */
  force?: boolean;
  /** Also remove the records of providers that prompt-registry.yaml no longer lists. */
  prune?: boolean;
  apiKeyFor: (provider: ResolvedProvider) => string | undefined | Promise<string | undefined>;
  /** Hosts the user lets keys reach, beyond the built-in vendor hosts; a provider whose key is refused is not called. */
  allowances?: readonly HostAllowance[];
  now?: () => Date;
  timeoutMs?: number;
  maxRetries?: number;
  fetch?: typeof globalThis.fetch;
}

export interface ProviderOutcome {
  provider: string;
  /** `declared`: the provider's models are in prompt-registry.yaml, so nothing was fetched. */
  status: 'updated' | 'unchanged' | 'failed' | 'refused' | 'declared';
  /** For failed and refused: one line, never containing a key, and no host's remedy. */
  reason?: string;
  /** For refused: why, so each host offers its own way to apply it anyway (`--force`, a button). */
  refusal?: ShrinkRefusal;
  errorKind?: string;
  /** errorKind 'key-refused': the key this provider needs and may not send where it points; no request was made. */
  keyRefused?: RefusedKey;
  changes?: MergeChanges;
  modelCount?: number;
}

export interface RefreshResult {
  outcomes: ProviderOutcome[];
  /** True when catalog.json was rewritten. */
  written: boolean;
  catalog?: Catalog;
  /** Providers whose records catalog.json holds but prompt-registry.yaml no longer lists (after a prune: the ones removed). */
  unconfigured?: string[];
  /** With `prune`: how many records were removed. */
  pruned?: number;
}

/**
 * Fetches every provider's list, then merges under a lock: two refreshes at
 * once (a VS Code window and the CLI) serialize on the lock, each re-reading
 * the file, so neither loses the other's records. A failed or refused provider
 * leaves its records exactly as they were; if nothing changed, nothing is written.
 */
export async function refreshCatalog(opts: RefreshOptions): Promise<RefreshResult> {
  const now = opts.now ?? (() => new Date());
  const wanted = opts.config.providers.filter((p) => p.type === 'openai' && (!opts.only || opts.only.includes(p.name)));
  // A provider that declares its models is not asked: its list is the config's.
  const providers = wanted.filter((p) => !p.models);
  const declared: ProviderOutcome[] = wanted
    .filter((p) => p.models)
    .map((p) => ({ provider: p.name, status: 'declared', modelCount: p.models!.length }));
  if (opts.only) {
    const unknown = opts.only.filter((n) => !opts.config.providers.some((p) => p.name === n));
    if (unknown.length)
      throw new Error(`No provider named ${unknown.map((n) => `"${n}"`).join(', ')} in prompt-registry.yaml`);
  }
  const fetched = await Promise.all(
    providers.map(
      async (
        p,
      ): Promise<{
        provider: ResolvedProvider;
        models?: FetchedModel[];
        error?: ProviderError;
        keyRefused?: RefusedKey;
      }> => {
        try {
          const key = await opts.apiKeyFor(p);
          const decision = decideKey(p, key, opts.allowances ?? []);
          if (decision.kind === 'refused') {
            return {
              provider: p,
              keyRefused: decision,
              error: new ProviderError(p.name, 'key-refused', refusalReason(decision)),
            };
          }
          const apiKey = keyToSend(decision, key);
          return {
            provider: p,
            models: await fetchProviderModels(p, {
              apiKey,
              timeoutMs: opts.timeoutMs,
              maxRetries: opts.maxRetries,
              fetch: opts.fetch,
            }),
          };
        } catch (e) {
          return {
            provider: p,
            error: e instanceof ProviderError ? e : new ProviderError(p.name, 'malformed', errorMessage(e)),
          };
        }
      },
    ),
  );
  const outcomes: ProviderOutcome[] = [
    ...declared,
    ...fetched
      .filter((f) => f.error)
      .map((f): ProviderOutcome => ({
        provider: f.provider.name,
        status: 'failed',
        reason: f.error!.message,
        errorKind: f.error!.kind,
        ...(f.keyRefused ? { keyRefused: f.keyRefused } : {}),
      })),
  ];
  const good = fetched.filter((f) => f.models);
  if (good.length === 0 && !opts.prune) {
    const text = readIfExists(catalogPath(opts.root));
    const stored = text === undefined ? undefined : parseCatalog(text).catalog;
    return {
      outcomes,
      written: false,
      ...(stored ? { unconfigured: unconfiguredProviders(stored, opts.config) } : {}),
    };
  }

  const file = catalogPath(opts.root);
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const release = await lockfile.lock(file, {
    realpath: false,
    stale: 15_000,
    retries: { retries: 100, factor: 1.3, minTimeout: 20, maxTimeout: 500 },
  });
  try {
    const beforeText = readIfExists(file);
    const parsed = beforeText === undefined ? { catalog: emptyCatalog(), diagnostics: [] } : parseCatalog(beforeText);
    if (!parsed.catalog) {
      // Never overwrite a catalog we cannot read: a person may be halfway through fixing it.
      const reason = `cannot merge into ${path.relative(opts.root, file)}: it is invalid (${parsed.diagnostics[0]?.message ?? 'unreadable'})`;
      if (good.length === 0) throw new Error(reason);
      return {
        outcomes: [
          ...outcomes,
          ...good.map((g) => ({ provider: g.provider.name, status: 'failed' as const, reason, errorKind: 'catalog' })),
        ],
        written: false,
      };
    }
    let catalog = parsed.catalog;
    for (const g of good) {
      const r = mergeProviderModels(catalog, g.provider.name, g.models!, now());
      const problem = shrinkProblem(catalog, g.provider.name, g.models!.length, r.changes);
      if (problem && !opts.force) {
        outcomes.push({
          provider: g.provider.name,
          status: 'refused',
          reason: `${describeShrink(problem)}; kept the old list`,
          refusal: problem,
          changes: r.changes,
          modelCount: g.models!.length,
        });
        continue;
      }
      catalog = r.catalog;
      const c = r.changes;
      const changed = c.added.length + c.reactivated.length + c.deactivated.length + c.updated.length > 0;
      outcomes.push({
        provider: g.provider.name,
        status: changed ? 'updated' : 'unchanged',
        changes: c,
        modelCount: g.models!.length,
      });
    }
    const unconfigured = unconfiguredProviders(catalog, opts.config);
    let pruned: number | undefined;
    if (opts.prune) ({ catalog, removed: pruned } = withoutProviders(catalog, unconfigured));
    if (beforeText === undefined && good.length === 0) return { outcomes, written: false, unconfigured, pruned };
    // Every list refused (and nothing pruned): the file stays byte for byte, even when it is not laid out as we write it.
    if (catalog === parsed.catalog) return { outcomes, written: false, catalog, unconfigured };
    const text = serializeCatalog(catalog);
    const written = text !== beforeText;
    if (written) await writeFileAtomically(file, text);
    return { outcomes, written, catalog, unconfigured, ...(pruned !== undefined ? { pruned } : {}) };
  } finally {
    await release();
  }
}

/** Drops every record and refresh time of `providers`. */
function withoutProviders(catalog: Catalog, providers: string[]): { catalog: Catalog; removed: number } {
  const gone = new Set(providers);
  const models = catalog.models.filter((m) => !gone.has(m.provider));
  const kept = Object.fromEntries(Object.entries(catalog.providers).filter(([name]) => !gone.has(name)));
  return { catalog: { ...catalog, providers: kept, models }, removed: catalog.models.length - models.length };
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** `models prune`: removes the records of providers that prompt-registry.yaml no longer lists, fetching nothing. */
export function pruneCatalog(opts: Pick<RefreshOptions, 'root' | 'config' | 'now'>): Promise<RefreshResult> {
  return refreshCatalog({ ...opts, only: [], prune: true, apiKeyFor: () => undefined });
}
