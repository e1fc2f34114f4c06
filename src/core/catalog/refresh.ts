import * as fs from 'node:fs';
import * as path from 'node:path';
import lockfile from 'proper-lockfile';
import type { ResolvedConfig, ResolvedProvider } from '../config/load';
import { ProviderError } from '../providers/errors';
import { fetchProviderModels, type FetchedModel } from './fetch';
import { describeShrink, emptyCatalog, mergeProviderModels, shrinkProblem, type MergeChanges, type ShrinkRefusal } from './merge';
import { catalogPath, parseCatalog, serializeCatalog } from './store';
import { writeFileAtomically } from '../fs/atomic';
import type { Catalog } from './types';
import { errorMessage } from '../text/errorMessage';

export interface RefreshOptions {
  root: string;
  config: ResolvedConfig;
  /** Provider names to refresh; all OpenAI-compatible ones when absent. */
  only?: string[];
  /** Apply even when the shrink guard objects. */
  force?: boolean;
  apiKeyFor: (provider: ResolvedProvider) => string | undefined | Promise<string | undefined>;
  now?: () => Date;
  timeoutMs?: number;
  maxRetries?: number;
  fetch?: typeof globalThis.fetch;
}

export interface ProviderOutcome {
  provider: string;
  status: 'updated' | 'unchanged' | 'failed' | 'refused';
  /** For failed and refused: one line, never containing a key, and no host's remedy. */
  reason?: string;
  /** For refused: why, so each host offers its own way to apply it anyway (`--force`, a button). */
  refusal?: ShrinkRefusal;
  errorKind?: string;
  changes?: MergeChanges;
  modelCount?: number;
}

export interface RefreshResult {
  outcomes: ProviderOutcome[];
  /** True when catalog.json was rewritten. */
  written: boolean;
  catalog?: Catalog;
}

/**
 * Fetches every provider's list, then merges under a lock: two refreshes at
 * once (a VS Code window and the CLI) serialize on the lock, each re-reading
 * the file, so neither loses the other's records. A failed or refused provider
 * leaves its records exactly as they were; if nothing changed, nothing is written.
 */
export async function refreshCatalog(opts: RefreshOptions): Promise<RefreshResult> {
  const now = opts.now ?? (() => new Date());
  const providers = opts.config.providers.filter((p) => p.type === 'openai' && (!opts.only || opts.only.includes(p.name)));
  if (opts.only) {
    const unknown = opts.only.filter((n) => !opts.config.providers.some((p) => p.name === n));
    if (unknown.length) throw new Error(`No provider named ${unknown.map((n) => `"${n}"`).join(', ')} in prompt-registry.yaml`);
  }
  const fetched = await Promise.all(
    providers.map(async (p): Promise<{ provider: ResolvedProvider; models?: FetchedModel[]; error?: ProviderError }> => {
      try {
        const apiKey = await opts.apiKeyFor(p);
        return { provider: p, models: await fetchProviderModels(p, { apiKey, timeoutMs: opts.timeoutMs, maxRetries: opts.maxRetries, fetch: opts.fetch }) };
      } catch (e) {
        return { provider: p, error: e instanceof ProviderError ? e : new ProviderError(p.name, 'malformed', errorMessage(e)) };
      }
    }),
  );
  const outcomes: ProviderOutcome[] = fetched.filter((f) => f.error).map((f) => ({ provider: f.provider.name, status: 'failed', reason: f.error!.message, errorKind: f.error!.kind }));
  const good = fetched.filter((f) => f.models);
  if (good.length === 0) return { outcomes, written: false };

  const file = catalogPath(opts.root);
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const release = await lockfile.lock(file, { realpath: false, stale: 15_000, retries: { retries: 100, factor: 1.3, minTimeout: 20, maxTimeout: 500 } });
  try {
    const beforeText = readIfExists(file);
    const parsed = beforeText === undefined ? { catalog: emptyCatalog(), diagnostics: [] } : parseCatalog(beforeText);
    if (!parsed.catalog) {
      // Never overwrite a catalog we cannot read: a person may be halfway through fixing it.
      const reason = `cannot merge into ${path.relative(opts.root, file)}: it is invalid (${parsed.diagnostics[0]?.message ?? 'unreadable'})`;
      return { outcomes: [...outcomes, ...good.map((g) => ({ provider: g.provider.name, status: 'failed' as const, reason, errorKind: 'catalog' }))], written: false };
    }
    let catalog = parsed.catalog;
    for (const g of good) {
      const r = mergeProviderModels(catalog, g.provider.name, g.models!, now());
      const problem = shrinkProblem(catalog, g.provider.name, g.models!.length, r.changes);
      if (problem && !opts.force) {
        outcomes.push({ provider: g.provider.name, status: 'refused', reason: `${describeShrink(problem)}; kept the old list`, refusal: problem, changes: r.changes, modelCount: g.models!.length });
        continue;
      }
      catalog = r.catalog;
      const c = r.changes;
      const changed = c.added.length + c.reactivated.length + c.deactivated.length + c.updated.length > 0;
      outcomes.push({ provider: g.provider.name, status: changed ? 'updated' : 'unchanged', changes: c, modelCount: g.models!.length });
    }
    const text = serializeCatalog(catalog);
    const written = text !== beforeText;
    if (written) await writeFileAtomically(file, text);
    return { outcomes, written, catalog };
  } finally {
    await release();
  }
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
