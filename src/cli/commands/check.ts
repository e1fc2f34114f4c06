import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig, type Env } from '../../core/config/load';
import type { Diagnostic } from '../../core/text/diagnostics';
import { GitError } from '../../core/git/git';
import { configAtRef, providerChangeDiagnostics, providerChanges } from '../../core/review/providerChanges';
import { SUITE_SUFFIX } from '../../core/suite/parse';
import { CHECK_CACHE_FILE } from '../../core/validation/checkCache';
import { version } from '../../../package.json';
import { openProject } from '../../core/app/project';
import type { SuiteWorkspace } from '../../core/workspace/suiteWorkspace';
import type { PromptWorkspace } from '../../core/workspace/promptWorkspace';
import { flatten, formatGithub, formatText, summary, toCli } from '../format/diagnostics';
import { EXIT, UsageError } from '../usage';
import type { CliContext } from '../context';

export type CheckFormat = 'text' | 'json' | 'github';

export interface CheckOptions {
  paths: string[];
  format: CheckFormat;
  /** The day models are checked against (shutdown dates); tests fix it. */
  now?: Date;
  /**
   * Keep results in .prompt-registry/cache/check.json across runs. Off unless asked: the command
   * (runCheckCommand) turns it on, so in-process callers and tests always check afresh.
   */
  cache?: boolean;
}

/** Lints prompts and test suites. The whole workspace is indexed (duplicate ids span files); only the named paths are reported. */
export function runCheck(ctx: CliContext, opts: CheckOptions): number {
  const { prompts: ws, suites } = openProject(ctx.root, {
    now: opts.now ? () => opts.now! : undefined,
    cache: opts.cache ? { file: CHECK_CACHE_FILE, toolVersion: buildIdentity() } : undefined,
  });
  const selected = selectPaths(
    ws,
    suites,
    opts.paths.map((p) => path.resolve(p)),
  );
  const all = ws.validate();
  const suiteDiagnostics = suites.validate();
  const chosen = new Map<string, Diagnostic[]>();
  let promptFiles = 0;
  let suiteFiles = 0;
  for (const [file, diags] of all) {
    if (!selected(file)) continue;
    if (file !== ws.config.file && file !== ws.catalog.file) promptFiles++;
    if (diags.length) chosen.set(file, diags);
  }
  for (const [file, diags] of suiteDiagnostics) {
    if (!selected(file)) continue;
    suiteFiles++;
    if (diags.length) chosen.set(file, diags);
  }
  ws.saveCache();
  const rel = (abs: string) => ws.files.relative(abs) ?? abs;
  const items = flatten(chosen, rel);
  const notices = ws.notices();

  if (opts.format === 'json') {
    ctx.out(JSON.stringify(items, null, 2));
    for (const n of notices) ctx.err(`note: ${n}`);
  } else if (opts.format === 'github') {
    for (const n of notices) ctx.out(`::notice title=prompt-registry::${n}`);
    for (const line of formatGithub(items)) ctx.out(line);
  } else {
    for (const line of formatText(items)) ctx.out(line);
    for (const n of notices) ctx.out(`note: ${n}`);
    ctx.out(summary(items, promptFiles, suiteFiles));
  }
  return items.some((d) => d.severity === 'error') ? EXIT.problems : EXIT.ok;
}

/**
 * The version, and the stamp of the running script (dist/cli.js): a rebuilt CLI with an unchanged
 * version must not reuse results of the previous build.
 */
function buildIdentity(): string {
  const script = process.argv[1];
  const st = script ? fs.statSync(script, { throwIfNoEntry: false }) : undefined;
  return st ? `${version}+${st.mtimeMs}:${st.size}` : version;
}

function selectPaths(ws: PromptWorkspace, suites: SuiteWorkspace, targets: string[]): (file: string) => boolean {
  if (targets.length === 0) return () => true;
  const dirs: string[] = [];
  const files = new Set<string>();
  for (const t of targets) {
    let st: fs.Stats;
    try {
      st = fs.statSync(t);
    } catch {
      throw new UsageError(`No such file or folder: ${t}`);
    }
    if (st.isDirectory()) dirs.push(t.endsWith(path.sep) ? t : t + path.sep);
    else {
      files.add(t);
      // A file named on the command line is checked even outside the prompt globs.
      if (t.endsWith(SUITE_SUFFIX)) suites.include(t);
      else if (!ws.get(t) && t !== ws.config.file && t !== ws.catalog.file) ws.include(t);
    }
  }
  return (file) => files.has(file) || dirs.some((d) => file.startsWith(d));
}

/**
 * `check`, and on a pull request (`--base REF`, or GITHUB_BASE_REF in GitHub Actions) with
 * `--format github`, a warning on each line of prompt-registry.yaml that changes a provider or the grader.
 */
export async function runCheckCommand(
  ctx: CliContext,
  opts: CheckOptions & { base?: string; env?: Env },
): Promise<number> {
  // `--no-cache` (commander's negatable option) arrives as cache: false.
  const code = runCheck(ctx, { ...opts, cache: opts.cache ?? true });
  const env = opts.env ?? process.env;
  const base = opts.base ?? (env.GITHUB_BASE_REF?.trim() ? `origin/${env.GITHUB_BASE_REF.trim()}` : undefined);
  if (opts.format !== 'github' || base === undefined) return code;
  let before;
  try {
    before = await configAtRef(ctx.root, base, env);
  } catch (e) {
    if (!(e instanceof GitError)) throw e;
    if (opts.base !== undefined) throw new UsageError(`--base: ${e.message}`);
    // Actions checks out one commit by default: say so rather than fail the lint.
    ctx.out(
      `::notice title=prompt-registry::provider changes not checked: ${e.message} (fetch the base branch, e.g. actions/checkout with fetch-depth: 0)`,
    );
    return code;
  }
  const head = loadConfig(ctx.root, env);
  const rel = path.relative(ctx.root, head.file).split(path.sep).join('/');
  const warnings = providerChangeDiagnostics(providerChanges(before.config, head.config), head).map((d) =>
    toCli(rel, d),
  );
  for (const line of formatGithub(warnings)) ctx.out(line);
  return code;
}
