import { loadConfig, type Env } from '../../core/config/load';
import { GitError } from '../../core/git/git';
import { providerNames } from '../../core/run/chooseProvider';
import { reviewMarkdown } from '../../core/review/markdown';
import { buildReview, reviewFailed } from '../../core/review/report';
import { RunBlockedError, runAtRefs } from '../../core/app/runAtRefs';
import { DEFAULT_CASE_TIMEOUT_MS, DEFAULT_CONCURRENCY } from '../../core/run/runner';
import { cliAllowances, refusalLines } from '../keyAccess';
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
  /** With --run: hosts API keys may reach. */
  allowHost?: string[];
  /** With --run: call providers whose endpoint differs between BASE and HEAD. */
  allowProviderChange?: boolean;
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
  if (
    !o.run &&
    (o.provider !== undefined ||
      o.concurrency !== undefined ||
      o.timeout !== undefined ||
      o.allowHost?.length ||
      o.allowProviderChange)
  ) {
    throw new UsageError(
      '--provider, --concurrency, --timeout, --allow-host and --allow-provider-change only apply with --run',
    );
  }
  const allowances = o.run ? cliAllowances(env, o.allowHost, ctx.err) : [];
  if (o.provider !== undefined) {
    const names = providerNames(loadConfig(ctx.root, env).config);
    if (!names.includes(o.provider))
      throw new UsageError(`--provider: no provider named "${o.provider}" (choose from ${names.join(', ')})`);
  }
  const report = await buildReview(ctx.root, o.base, o.head ?? 'HEAD', { env }).catch((e: unknown) => {
    throw e instanceof GitError ? new UsageError(e.message) : e;
  });
  if (o.run) {
    ctx.err('Running the affected suites at BASE and at HEAD…');
    try {
      report.run = await runAtRefs(ctx.root, report, {
        provider: o.provider,
        concurrency,
        timeoutMs,
        cache: o.cache !== false,
        env,
        allowances,
        allowProviderChange: o.allowProviderChange,
        signal: ctx.signal,
      });
    } catch (e) {
      if (!(e instanceof RunBlockedError)) throw e;
      const b = e.block;
      if (b.kind === 'key-refused') for (const l of refusalLines(b.refused, env)) ctx.err(l);
      else {
        for (const c of b.changes)
          ctx.err(
            `✖ ${c.provider}: HEAD sends requests to ${c.after}${c.before ? `, BASE to ${c.before}` : ', a provider BASE does not have'}.`,
          );
        ctx.err(
          'Nothing was run: a pull request must not choose where the suites (and their keys) go. Review the change, then pass --allow-provider-change to run it.',
        );
      }
      return EXIT.problems;
    }
    if (report.run.cancelled) ctx.err('Cancelled: cases not started are reported as not passed.');
  }
  ctx.out(o.format === 'json' ? JSON.stringify(report, null, 2) : reviewMarkdown(report));
  return reviewFailed(report) ? EXIT.problems : EXIT.ok;
}
