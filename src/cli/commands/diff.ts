import { loadConfig, type Env } from '../../core/config/load';
import { GitError } from '../../core/git/git';
import { providerNames } from '../../core/run/chooseProvider';
import { reviewMarkdown } from '../../core/review/markdown';
import { buildReview, reviewFailed } from '../../core/review/report';
import { runAtRefs } from '../../core/app/runAtRefs';
import { DEFAULT_CASE_TIMEOUT_MS, DEFAULT_CONCURRENCY } from '../../core/run/runner';
import { EXIT, positiveInt, UsageError } from '../usage';
import type { CliContext } from '../context';

export type DiffFormat = 'markdown' | 'json';

export interface DiffCommandOptions {
  base: string;
  /** Defaults to the HEAD commit: the review covers committed changes only. */
  head?: string;
  format: DiffFormat;
  run?: boolean;
  provider?: string;
  concurrency?: string;
  timeout?: string;
  cache?: boolean;
  env?: Env;
}

/**
 * `prompt-registry diff BASE [HEAD]`: the review report. Exit 0 when HEAD is
 * valid (and, with --run, its affected suites pass), 1 otherwise, 2 for a
 * usage mistake or a ref git does not know.
 */
export async function runDiff(ctx: CliContext, o: DiffCommandOptions): Promise<number> {
  const env = o.env ?? process.env;
  const concurrency = positiveInt(o.concurrency, '--concurrency') ?? DEFAULT_CONCURRENCY;
  const timeoutMs = positiveInt(o.timeout, '--timeout') ?? DEFAULT_CASE_TIMEOUT_MS;
  if (!o.run && (o.provider !== undefined || o.concurrency !== undefined || o.timeout !== undefined)) {
    throw new UsageError('--provider, --concurrency and --timeout only apply with --run');
  }
  if (o.provider !== undefined) {
    const names = providerNames(loadConfig(ctx.root, env).config);
    if (!names.includes(o.provider)) throw new UsageError(`--provider: no provider named "${o.provider}" (choose from ${names.join(', ')})`);
  }
  const report = await buildReview(ctx.root, o.base, o.head ?? 'HEAD', { env }).catch((e: unknown) => {
    throw e instanceof GitError ? new UsageError(e.message) : e;
  });
  if (o.run) {
    ctx.err('Running the affected suites at BASE and at HEAD…');
    report.run = await runAtRefs(ctx.root, report, { provider: o.provider, concurrency, timeoutMs, cache: o.cache !== false, env, signal: ctx.signal });
    if (report.run.cancelled) ctx.err('Cancelled: cases not started are reported as not passed.');
  }
  ctx.out(o.format === 'json' ? JSON.stringify(report, null, 2) : reviewMarkdown(report));
  return reviewFailed(report) ? EXIT.problems : EXIT.ok;
}

