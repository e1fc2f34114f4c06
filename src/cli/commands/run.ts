import * as fs from 'node:fs';
import * as path from 'node:path';
import { chooseSuites, planRun } from '../../core/app/planRun';
import { openProject } from '../../core/app/project';
import { runPlans } from '../../core/app/runPlans';
import type { Env } from '../../core/config/load';
import { changedSince, GitError } from '../../core/git/changedFiles';
import { providerNames } from '../../core/run/chooseProvider';
import { providersUsed, refusedKeys } from '../../core/run/keyCheck';
import { runPassed } from '../../core/run/results';
import { DEFAULT_CONCURRENCY, DEFAULT_CASE_TIMEOUT_MS } from '../../core/run/runner';
import { parseShard, type SuiteSelection } from '../../core/run/select';
import { SUITE_SUFFIX } from '../../core/suite/parse';
import { compareRows } from '../../core/run/compare';
import { formatCompare } from '../format/compare';
import { formatJUnit } from '../format/junit';
import { formatRunText } from '../format/runText';
import { cliAllowances, refusalLines } from '../keyAccess';
import { makeProgress } from '../progress';
import { style } from '../style';
import { EXIT, positiveInt, UsageError } from '../usage';
import type { CliContext } from '../context';

export type Reporter = 'text' | 'json' | 'junit';

export interface RunCommandOptions {
  /** Suite files or folders (or prompt files: their suites). */
  paths: string[];
  prompt?: string;
  model?: string;
  /** Comma-separated models. */
  compare?: string;
  changedSince?: string;
  shard?: string;
  reporter: Reporter;
  output?: string;
  concurrency?: string;
  timeout?: string;
  cache: boolean;
  provider?: string;
  /** `--allow-host`: hosts API keys may reach for this run. */
  allowHost?: string[];
  env?: Env;
  /** Progress as a redrawn bar (a terminal) or plain lines (CI). */
  tty: boolean;
  /** Raw stderr for the progress bar's in-place redraws. */
  progressStream?: { write(s: string): unknown };
}

/** `prompt-registry run`: exit 0 when every case passed, 1 when any failed or errored, 2 on a usage mistake. */
export async function runRun(ctx: CliContext, o: RunCommandOptions): Promise<number> {
  const concurrency = positiveInt(o.concurrency, '--concurrency') ?? DEFAULT_CONCURRENCY;
  const timeoutMs = positiveInt(o.timeout, '--timeout') ?? DEFAULT_CASE_TIMEOUT_MS;
  const shard = o.shard === undefined ? undefined : parseShard(o.shard);
  if (o.shard !== undefined && !shard)
    throw new UsageError(`--shard takes i/n with 1 ≤ i ≤ n, e.g. 2/4; got "${o.shard}"`);
  const compare = o.compare
    ?.split(',')
    .map((m) => m.trim())
    .filter(Boolean);
  if (o.compare !== undefined && !compare?.length)
    throw new UsageError('--compare takes a comma-separated list of models, e.g. gpt-4o,gpt-4o-mini');
  if (compare && o.model) throw new UsageError('use either --model or --compare, not both');
  if (compare && new Set(compare).size !== compare.length) throw new UsageError('--compare lists a model twice');

  const env = o.env ?? process.env;
  const allowances = cliAllowances(env, o.allowHost, ctx.err);
  const project = openProject(ctx.root, { env });
  const { prompts: ws, suites } = project;
  if (o.provider !== undefined && !providerNames(project.config).includes(o.provider)) {
    throw new UsageError(
      `--provider: no provider named "${o.provider}" (choose from ${providerNames(project.config).join(', ')})`,
    );
  }
  if (o.prompt !== undefined && !ws.findById(o.prompt))
    throw new UsageError(`--prompt: no prompt with id "${o.prompt}". Run "prompt-registry list" to see the ids.`);
  const selection: SuiteSelection = { promptId: o.prompt, shard };
  if (o.paths.length) {
    selection.paths = o.paths.map((p) => {
      const abs = path.resolve(p);
      if (!fs.existsSync(abs)) throw new UsageError(`No such file or folder: ${p}`);
      // A suite named on the command line runs even outside the prompt globs.
      if (abs.endsWith(SUITE_SUFFIX) && !suites.get(abs)) suites.include(abs);
      return abs;
    });
  }
  if (o.changedSince !== undefined) {
    try {
      selection.changed = await changedSince(ctx.root, o.changedSince);
    } catch (e) {
      if (e instanceof GitError) throw new UsageError(`--changed-since: ${e.message}`);
      throw e;
    }
  }

  const { chosen, found } = chooseSuites(project, selection);
  if (chosen.length === 0) {
    if (o.paths.length) throw new UsageError(`No suites (*${SUITE_SUFFIX}) in ${o.paths.join(', ')}`);
    ctx.err(
      found === 0
        ? `No suites found (*${SUITE_SUFFIX} under ${suites.globs().join(', ')}).`
        : 'No suites selected (nothing changed, or an empty shard).',
    );
  }

  const plans = planRun(project, { suites: chosen, models: compare ?? [o.model] });
  // Checked before the first case: a refused key makes no request at all.
  const refused = refusedKeys(
    providersUsed(plans, { config: project.config, catalog: project.catalog, provider: o.provider }),
    env,
    allowances,
  );
  if (refused.length) {
    for (const l of refusalLines(refused, env)) ctx.err(l);
    return EXIT.problems;
  }
  const total = plans.reduce((n, p) => n + p.cases.length, 0);
  const progress = makeProgress(
    total,
    o.progressStream ?? { write: (s: string) => ctx.err(s.replace(/\n$/, '')) },
    o.tty,
  );
  const run = await runPlans(project, plans, {
    env,
    concurrency,
    timeoutMs,
    cache: o.cache,
    provider: o.provider,
    allowances,
    signal: ctx.signal,
    onCaseEnd: (r) => progress.caseDone(r),
  });
  progress.end();

  const rows = compare ? compareRows(compare, run.cases) : undefined;
  const textReport = chosen.length ? [...formatRunText(run), ...(rows ? ['', ...formatCompare(rows)] : [])] : [];
  if (o.reporter === 'text') {
    emit(ctx, o, textReport.join('\n'));
  } else {
    const body =
      o.reporter === 'json' ? JSON.stringify(rows ? { ...run, compare: rows } : run, null, 2) : formatJUnit(run);
    emit(ctx, o, body);
    // With the report in a file, the terminal still gets the readable summary.
    if (o.output) for (const l of textReport) ctx.out(l);
  }
  if (o.output) ctx.err(style.dim(`wrote ${o.reporter} report to ${o.output}`));
  if (run.cancelled) ctx.err('Cancelled: cases not started are reported as cancelled.');
  return chosen.length === 0 || runPassed(run) ? EXIT.ok : EXIT.problems;
}

function emit(ctx: CliContext, o: RunCommandOptions, body: string): void {
  if (!o.output) {
    if (body) ctx.out(body.replace(/\n$/, ''));
    return;
  }
  const file = path.resolve(o.output);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // The text reporter colours for a terminal; a file gets the text without its SGR codes.
  // eslint-disable-next-line no-control-regex -- ESC (\x1b) is the character matched
  const plain = body.replace(/\x1b\[[0-9;]*m/g, '');
  fs.writeFileSync(file, o.reporter === 'text' ? `${plain}\n` : body.endsWith('\n') ? body : `${body}\n`);
}
