import * as fs from 'node:fs';
import * as path from 'node:path';
import { assignModelToFiles, summarize, targetProblem, type AssignOutcome } from '../../core/assign/assign';
import { selectPrompts } from '../../core/assign/select';
import { describeCostChange, estimateCostChange } from '../../core/catalog/cost';
import { resolveModel } from '../../core/catalog/lookup';
import { PromptWorkspace } from '../../core/workspace/promptWorkspace';
import { style } from '../style';
import { EXIT, UsageError } from '../usage';
import type { CliContext } from '../context';

export interface AssignOptions {
  model: string;
  from?: string;
  tag?: string;
  paths: string[];
  dryRun: boolean;
}

/** `prompt-registry assign`: the same edit as the editor's bulk assign, with atomic writes. */
export async function runAssign(ctx: CliContext, opts: AssignOptions): Promise<number> {
  const { root, out, err } = ctx;
  const ws = new PromptWorkspace(root);
  const problem = targetProblem(opts.model, ws.modelCatalog, ws.settings);
  if (problem) throw new UsageError(`cannot assign: ${problem}`);
  ws.scan();
  const paths = opts.paths.map((p) => path.resolve(p));
  for (const p of paths) if (!fs.existsSync(p)) throw new UsageError(`No such file or folder: ${p}`);
  const chosen = selectPrompts(ws.prompts(), { from: opts.from, tag: opts.tag, paths }, ws.modelCatalog);
  if (chosen.length === 0) {
    err('No prompts match.');
    return EXIT.ok;
  }
  const catalog = ws.modelCatalog;
  const target = catalog ? resolveModel(opts.model, catalog) : undefined;
  if (catalog && target?.kind === 'found')
    out(style.dim(`Estimated cost: ${describeCostChange(estimateCostChange(chosen, target.model, catalog))}`));
  const outcomes = await assignModelToFiles(
    chosen.map((p) => p.file!),
    opts.model,
    { dryRun: opts.dryRun },
  );
  report(outcomes, opts.model, opts.dryRun, (f) => ws.files.relative(f) ?? f, out, err);
  return outcomes.some((o) => o.status === 'failed') ? EXIT.problems : EXIT.ok;
}

/** `prompt-registry backfill`: sets the default model on every prompt that has none (seed 001). */
export async function runBackfill(ctx: CliContext, opts: { dryRun: boolean }): Promise<number> {
  const { root, out, err } = ctx;
  const ws = new PromptWorkspace(root);
  const model = ws.settings.defaultModel;
  if (!model)
    throw new UsageError(
      'no default model: set defaultModel in prompt-registry.yaml or the LLM_MODEL environment variable',
    );
  const problem = targetProblem(model, ws.modelCatalog, ws.settings);
  if (problem) throw new UsageError(`cannot backfill with the default model: ${problem}`);
  ws.scan();
  const missing = ws
    .prompts()
    .filter((p) => !p.model)
    .map((p) => p.file!)
    .sort();
  // Files that failed to parse as prompts at all are reported too, rather than skipped silently.
  if (missing.length === 0) {
    out('Every prompt already has a model.');
    return EXIT.ok;
  }
  const outcomes = await assignModelToFiles(missing, model, { dryRun: opts.dryRun });
  report(outcomes, model, opts.dryRun, (f) => ws.files.relative(f) ?? f, out, err);
  return outcomes.some((o) => o.status === 'failed') ? EXIT.problems : EXIT.ok;
}

function report(
  outcomes: AssignOutcome[],
  model: string,
  dryRun: boolean,
  rel: (f: string) => string,
  out: (s: string) => void,
  err: (s: string) => void,
): void {
  for (const o of outcomes) {
    if (o.status === 'updated')
      out(`${dryRun ? 'would update' : 'updated'}  ${rel(o.file)}  (${o.from ?? 'no model'} → ${model})`);
    else if (o.status === 'failed') err(`${style.red('failed')}  ${rel(o.file)}: ${o.reason}`);
  }
  const s = summarize(outcomes);
  out(dryRun ? `(dry run, nothing written) ${s.line.replace(' updated', ' would be updated')}` : s.line);
}
