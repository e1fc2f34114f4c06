import { Command, CommanderError, Option } from 'commander';
import { version } from '../../package.json';
import { findRoot } from '../core/workspace/findRoot';
import { withInterrupt, type CliContext } from './context';
import { publishVersionArgs } from './publishArgs';
import { EXIT, UsageError } from './usage';

import type { CheckFormat } from './commands/check';
import type { DiffFormat } from './commands/diff';
import type { Reporter } from './commands/run';

// Each command's modules load when it runs (esbuild keeps them as lazy sections of the one bundle), so
// `--version`, `--help` and a `check` never parse and evaluate the provider client, the diff or git code.
const commands = {
  assign: () => import('./commands/assign'),
  calls: () => import('./commands/calls'),
  check: () => import('./commands/check'),
  diff: () => import('./commands/diff'),
  history: () => import('./commands/history'),
  init: () => import('./commands/init'),
  labels: () => import('./commands/labels'),
  list: () => import('./commands/list'),
  models: () => import('./commands/models'),
  render: () => import('./commands/render'),
  run: () => import('./commands/run'),
};

const out = (s: string) => process.stdout.write(`${s}\n`);
/** On every command that calls providers: lets API keys reach one more host for this invocation. */
const ALLOW_HOST_OPTION = [
  '--allow-host <host>',
  'let API keys reach this host or host:port (repeatable; see "Where keys go" in docs/models.md)',
  (v: string, acc: string[]) => [...acc, v],
  [] as string[],
] as const;
const err = (s: string) => process.stderr.write(`${s}\n`);

/** `state.code` is the exit code of the command that ran; main returns it. */
function program(state: { code: number }): Command {
  const p = new Command('prompt-registry')
    .description('Prompts as files in git: lint, list, render, and test them.')
    .version(version, '-v, --version')
    .option('--root <dir>', 'repository root (default: nearest folder with prompt-registry.yaml or .git)')
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  const root = () => findRoot(p.opts<{ root?: string }>().root ?? process.cwd());
  // Commands that cannot stop halfway get a signal that never aborts: Ctrl-C ends them as usual.
  const ctx = (signal: AbortSignal = new AbortController().signal): CliContext => ({ root: root(), out, err, signal });

  p.command('check')
    .description('Validate prompt files (exit 1 on any error)')
    .argument('[paths...]', 'files or folders to report on (default: all prompts)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'github']).default('text'))
    .option(
      '--base <ref>',
      'with --format github: warn on provider changes since this ref (default: origin/$GITHUB_BASE_REF on a pull request)',
    )
    .option('--no-cache', 'neither read nor write .prompt-registry/cache/check.json')
    .action(async (paths: string[], o: { format: CheckFormat; base?: string; cache: boolean }) => {
      state.code = await (
        await commands.check()
      ).runCheckCommand(ctx(), {
        paths,
        format: o.format,
        base: o.base,
        cache: o.cache,
      });
    });

  p.command('init')
    .description('Write prompt-registry.yaml, a seeded model catalog and sample prompts (never overwrites)')
    .action(async () => {
      state.code = await (await commands.init()).runInit(ctx());
    });

  p.command('list')
    .description('List prompts with their model, price and inputs')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      state.code = (await commands.list()).runList(ctx(), { json: !!o.json });
    });

  p.command('render')
    .description('Render a prompt to chat messages')
    .argument('<id>', 'prompt id')
    .option(
      '--var <name=value>',
      'an input value (repeatable)',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option('--json', 'print JSON')
    .action(async (id: string, o: { var: string[]; json?: boolean }) => {
      state.code = (await commands.render()).runRender(ctx(), { id, vars: o.var, json: !!o.json });
    });
  p.command('assign')
    .description('Set a model on many prompts at once (atomic writes; "N updated, M failed")')
    .requiredOption('--model <id>', 'the model to assign (must be in the catalog, active and enabled)')
    .option('--from <id>', 'only prompts currently on this model')
    .option('--tag <tag>', 'only prompts with this tag')
    .option('--dry-run', 'show what would change, write nothing')
    .argument('[paths...]', 'files or folders (default: all prompts)')
    .action(async (paths: string[], o: { model: string; from?: string; tag?: string; dryRun?: boolean }) => {
      state.code = await (
        await commands.assign()
      ).runAssign(ctx(), { model: o.model, from: o.from, tag: o.tag, paths, dryRun: !!o.dryRun });
    });

  p.command('backfill')
    .description('Set the default model on every prompt that has no model')
    .option('--dry-run', 'show what would change, write nothing')
    .action(async (o: { dryRun?: boolean }) => {
      state.code = await (await commands.assign()).runBackfill(ctx(), { dryRun: !!o.dryRun });
    });

  p.command('run')
    .description('Run test suites (*.suite.yaml); exit 1 when any case fails or errors')
    .argument('[suites...]', 'suite files or folders (default: every suite)')
    .option('--prompt <id>', 'only the suites of this prompt')
    .option('--model <id>', 'run every case on this model')
    .option('--compare <models>', 'run each suite on each model (comma-separated) and print a comparison table')
    .option('--changed-since <ref>', 'only suites whose suite or prompt file changed since this git ref')
    .option('--shard <i/n>', 'run the i-th of n deterministic slices of the suites (CI matrices)')
    .addOption(new Option('--reporter <reporter>', 'report format').choices(['text', 'json', 'junit']).default('text'))
    .option('--output <file>', 'write the report to a file (the text summary still prints)')
    .option('--concurrency <n>', 'cases in flight at once (default 8)')
    .option('--timeout <ms>', 'per-case timeout in milliseconds (default 60000)')
    .option('--no-cache', 'do not read or write the response cache (.prompt-registry/cache)')
    .option('--provider <name>', 'run every case on this provider; "echo" is the built-in offline one')
    .option(...ALLOW_HOST_OPTION)
    .action(
      async (
        paths: string[],
        o: {
          prompt?: string;
          model?: string;
          compare?: string;
          changedSince?: string;
          shard?: string;
          reporter: Reporter;
          output?: string;
          concurrency?: string;
          timeout?: string;
          cache: boolean;
          provider?: string;
          allowHost: string[];
        },
      ) => {
        // Ctrl-C cancels the run: nothing more is sent, and what finished is still reported.
        const { runRun } = await commands.run();
        state.code = await withInterrupt('exit', (signal) =>
          runRun(ctx(signal), {
            paths,
            ...o,
            tty: process.stderr.isTTY === true && !process.env.CI,
            progressStream: process.stderr,
          }),
        );
      },
    );

  p.command('diff')
    .description(
      'Review prompt changes between two git refs (committed content; HEAD defaults to the HEAD commit); exit 1 when HEAD has errors',
    )
    .argument('<base>', 'the ref to compare against, e.g. origin/main')
    .argument('[head]', 'the ref under review (default: HEAD)')
    .addOption(new Option('--format <format>', 'output format').choices(['markdown', 'json']).default('markdown'))
    .option('--run', 'also run the affected suites at BASE and at HEAD (temporary worktrees) and compare pass rates')
    .option('--provider <name>', 'with --run: run every case on this provider; "echo" is the built-in offline one')
    .option('--concurrency <n>', 'with --run: cases in flight at once (default 8)')
    .option('--timeout <ms>', 'with --run: per-case timeout in milliseconds (default 60000)')
    .option('--no-cache', 'with --run: do not read or write the response cache')
    .option(...ALLOW_HOST_OPTION)
    .option('--allow-provider-change', 'with --run: call providers whose endpoint differs between BASE and HEAD')
    .action(
      async (
        base: string,
        head: string | undefined,
        o: {
          format: DiffFormat;
          run?: boolean;
          provider?: string;
          concurrency?: string;
          timeout?: string;
          cache: boolean;
          allowHost: string[];
          allowProviderChange?: boolean;
        },
      ) => {
        // Ctrl-C cancels the runs; the temporary worktrees are removed before exiting.
        const { runDiff } = await commands.diff();
        state.code = await withInterrupt('abort', (signal) => runDiff(ctx(signal), { base, head, ...o }));
      },
    );

  const calls = p.command('calls').description('The call log (.prompt-registry/calls)');
  calls
    .command('stats')
    .description('Calls, pass rate, p50/p95 latency, tokens and cost from the call log')
    .addOption(new Option('--by <key>', 'group by').choices(['prompt', 'model']).default('prompt'))
    .option('--since <date>', 'only calls at or after this date (2026-11-01 or an ISO time)')
    .option('--json', 'print JSON')
    .action(async (o: { by: 'prompt' | 'model'; since?: string; json?: boolean }) => {
      state.code = (await commands.calls()).runCallsStats(ctx(), { by: o.by, since: o.since, json: !!o.json });
    });

  const models = p.command('models').description('The model catalog (.prompt-registry/catalog.json)');
  models
    .command('list')
    .description('List catalog models with prices, context window, policy marks and usage')
    .option('--json', 'print JSON')
    .option('--all', 'include models that are no longer available')
    .action(async (o: { json?: boolean; all?: boolean }) => {
      state.code = (await commands.models()).runModelsList(ctx(), { json: !!o.json, all: !!o.all });
    });
  models
    .command('refresh')
    .description("Fetch each provider's model list and merge it into the catalog (keeps the old list on any error)")
    .option('--force', 'apply even if the refresh would deactivate more than half of the models')
    .option(
      '--provider <name>',
      'only this provider (repeatable)',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option('--prune', 'also remove the models of providers that prompt-registry.yaml no longer lists')
    .option(...ALLOW_HOST_OPTION)
    .action(async (o: { force?: boolean; provider: string[]; prune?: boolean; allowHost: string[] }) => {
      state.code = await (
        await commands.models()
      ).runModelsRefresh(ctx(), {
        force: !!o.force,
        providers: o.provider,
        prune: !!o.prune,
        allowHost: o.allowHost,
      });
    });
  models
    .command('prune')
    .description('Remove the models of providers that prompt-registry.yaml no longer lists (fetches nothing)')
    .action(async () => {
      state.code = await (await commands.models()).runModelsPrune(ctx());
    });

  p.command('history')
    .description('List the versions of a prompt (the commits that touched its file, following renames), newest first')
    .argument('<id>', 'prompt id')
    .option('--json', 'print JSON: [{version, sha, author, date, subject, blobSha, path}]')
    .action(async (id: string, o: { json?: boolean }) => {
      state.code = await (await commands.history()).runHistory(ctx(), { id, json: !!o.json });
    });

  p.command('publish')
    .description('Point a label (a git tag prompt-registry/<id>/<label>) at a version of a prompt')
    .argument('<id>', 'prompt id')
    .option('--label <label>', 'the label to move', 'production')
    .option('--version <n>', 'the version number to publish (default: the latest committed version)')
    .option('--ref <ref>', 'publish the version current at this git ref')
    .option('--force', 'publish even if the prompt has errors at that version')
    .action(async (id: string, o: { label: string; version?: string; ref?: string; force?: boolean }) => {
      state.code = await (await commands.labels()).runPublish(ctx(), { id, ...o });
    });

  p.command('rollback')
    .description('Move a label back to the version published before the current one')
    .argument('<id>', 'prompt id')
    .option('--label <label>', 'the label to move', 'production')
    .action(async (id: string, o: { label: string }) => {
      state.code = await (await commands.labels()).runRollback(ctx(), { id, label: o.label });
    });

  p.command('labels')
    .description("A prompt's labels and the history of their moves")
    .argument('<id>', 'prompt id')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      state.code = await (await commands.labels()).runLabels(ctx(), { id, json: !!o.json });
    });
  return p;
}

export async function main(argv: string[]): Promise<number> {
  try {
    const state: { code: number } = { code: EXIT.ok };
    await program(state).parseAsync(publishVersionArgs(argv), { from: 'user' });
    return state.code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are not errors; every other parse failure is a usage error.
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help'
        ? EXIT.ok
        : EXIT.usage;
    }
    if (e instanceof UsageError) {
      err(`prompt-registry: ${e.message}`);
      return EXIT.usage;
    }
    err(`prompt-registry: unexpected error: ${(e as Error).stack ?? e}`);
    return EXIT.problems;
  }
}
