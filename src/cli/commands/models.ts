import { estimatedValues, formatContextWindow, formatPrice } from '../../core/catalog/format';
import { modelRows, promptsOnInactiveModels } from '../../core/catalog/listing';
import { unconfiguredProviders } from '../../core/catalog/configured';
import { MODEL_DATA } from '../../core/catalog/modelData';
import { pruneCatalog, refreshCatalog, type ProviderOutcome, type RefreshResult } from '../../core/catalog/refresh';
import { formatText, toCli } from '../format/diagnostics';
import { PromptWorkspace } from '../../core/workspace/promptWorkspace';
import { cliAllowances, refusalLines } from '../keyAccess';
import { style } from '../style';
import { EXIT, UsageError } from '../usage';
import { plural, wordFor } from '../../core/text/plural';
import { errorMessage } from '../../core/text/errorMessage';
import type { CliContext } from '../context';

export function runModelsList(ctx: CliContext, opts: { json: boolean; all: boolean }): number {
  const { root, out, err } = ctx;
  const ws = new PromptWorkspace(root);
  const catalog = ws.modelCatalog;
  if (!catalog) {
    err(
      ws.catalog.exists
        ? 'The model catalog is invalid; run "prompt-registry check" to see where.'
        : 'No model catalog yet: run "prompt-registry models refresh" or "prompt-registry init".',
    );
    return EXIT.problems;
  }
  ws.scan();
  const rows = modelRows(catalog, ws.settings, ws.prompts()).filter((r) => opts.all || r.available);
  if (opts.json) {
    out(
      JSON.stringify(
        rows.map((r) => ({
          ref: r.ref,
          id: r.model.id,
          provider: r.model.provider,
          active: r.model.active,
          available: r.available,
          label: r.label,
          displayName: r.model.displayName,
          contextWindow: r.model.contextWindow,
          inputPricePer1M: r.model.inputPricePer1M,
          outputPricePer1M: r.model.outputPricePer1M,
          recommended: r.model.recommended ?? false,
          deprecationDate: r.model.deprecationDate,
          sources: r.model.sources,
          isDefault: r.isDefault,
          isFallback: r.isFallback,
          enabled: r.enabled,
          promptCount: r.promptCount,
          firstSeen: r.model.firstSeen,
          lastSeen: r.model.lastSeen,
        })),
        null,
        2,
      ),
    );
    return EXIT.ok;
  }
  const w = Math.max(5, ...rows.map((r) => r.ref.length));
  const lw = Math.max(5, ...rows.map((r) => r.label.length));
  out(
    style.bold(
      `  ${'MODEL'.padEnd(w)}  ${'LABEL'.padEnd(lw)}  ${'PROVIDER'.padEnd(10)}  ${'CONTEXT'.padStart(7)}  ${'PRICE IN/OUT PER 1M'.padEnd(20)}  PROMPTS  NOTES`,
    ),
  );
  for (const r of rows) {
    const notes = [
      r.isDefault ? '⭐ default' : '',
      r.isFallback ? 'fallback' : '',
      r.model.recommended ? 'recommended' : '',
      r.enabled ? '' : 'disabled',
      r.model.active ? '' : 'inactive',
      r.model.deprecationDate
        ? `${r.available || !r.model.active ? 'retires' : 'shut down'} ${r.model.deprecationDate}`
        : '',
      estimatedValues(r.model).length ? `estimated ${estimatedValues(r.model).join(', ')}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    const mark = !r.available ? style.yellow('▲') : r.enabled ? style.green('●') : style.dim('○');
    out(
      `${mark} ${r.ref.padEnd(w)}  ${r.label.padEnd(lw)}  ${r.model.provider.padEnd(10)}  ${formatContextWindow(r.model.contextWindow).padStart(7)}  ${formatPrice(r.model.inputPricePer1M, r.model.outputPricePer1M).padEnd(20)}  ${String(r.promptCount).padStart(7)}  ${notes}`,
    );
  }
  const hidden = opts.all ? 0 : catalog.models.length - rows.length;
  out(
    style.dim(
      `${rows.length} models${hidden ? ` (${hidden} inactive hidden; --all shows them)` : ''} · ● enabled  ○ disabled  ▲ no longer available · estimated: from the bundled ${MODEL_DATA.source} snapshot of ${MODEL_DATA.generated}, not the provider`,
    ),
  );
  const gone = ws.catalog.stored ? unconfiguredProviders(ws.catalog.stored, ws.settings) : [];
  if (gone.length) out(style.dim(unconfiguredLine(gone)));
  return EXIT.ok;
}

export async function runModelsRefresh(
  ctx: CliContext,
  opts: {
    force: boolean;
    providers: string[];
    prune?: boolean;
    allowHost?: string[];
    env?: Record<string, string | undefined>;
  },
): Promise<number> {
  const { root, out, err } = ctx;
  const env = opts.env ?? process.env;
  const ws = new PromptWorkspace(root, { env });
  if (configErrors(ws, err)) return EXIT.problems;
  const allowances = cliAllowances(env, opts.allowHost, err);
  let result;
  try {
    result = await refreshCatalog({
      root,
      config: ws.settings,
      only: opts.providers.length ? opts.providers : undefined,
      force: opts.force,
      prune: opts.prune,
      apiKeyFor: (p) => env[p.apiKeyEnv],
      allowances,
    });
  } catch (e) {
    throw new UsageError(errorMessage(e));
  }
  if (result.outcomes.length === 0) {
    err('No OpenAI-compatible provider to refresh (echo providers have no model list).');
    reportUnconfigured(result, !!opts.prune, out);
    return EXIT.ok;
  }
  for (const o of result.outcomes) {
    if (o.keyRefused) err(`${refusalLines([o.keyRefused], env)[0]}; the catalog keeps its old list`);
    else (o.status === 'failed' || o.status === 'refused' ? err : out)(describe(o));
  }
  reportUnconfigured(result, !!opts.prune, out);
  if (result.catalog) {
    ws.reloadCatalog();
    ws.scan();
    // The configured view: a stale record of an unconfigured provider is not a prompt's model.
    const stale = ws.modelCatalog ? promptsOnInactiveModels(ws.modelCatalog, ws.prompts()) : [];
    if (stale.length) {
      out(
        style.yellow(
          `${plural(stale.length, 'prompt')} ${wordFor(stale.length, 'uses', 'use')} models that are no longer available:`,
        ),
      );
      for (const p of stale) out(`  ${ws.files.relative(p.file!) ?? p.file}  (${p.model})`);
    }
  }
  return result.outcomes.some((o) => o.status === 'failed' || o.status === 'refused') ? EXIT.problems : EXIT.ok;
}

/** `models prune`: drops the records of providers that prompt-registry.yaml no longer lists; nothing is fetched. */
export async function runModelsPrune(ctx: CliContext): Promise<number> {
  const { root, out, err } = ctx;
  const ws = new PromptWorkspace(root);
  if (configErrors(ws, err)) return EXIT.problems;
  let result;
  try {
    result = await pruneCatalog({ root, config: ws.settings });
  } catch (e) {
    err(`${style.red('✖')} ${errorMessage(e)}`);
    return EXIT.problems;
  }
  if (!result.unconfigured?.length)
    out('Every provider in the catalog is configured in prompt-registry.yaml; nothing to prune.');
  else reportUnconfigured(result, true, out);
  return EXIT.ok;
}

/**
 * A refresh or prune with a broken prompt-registry.yaml would work from a guessed
 * provider list (a bad `providers:` entry is dropped whole), so it stops first.
 */
function configErrors(ws: PromptWorkspace, err: (s: string) => void): boolean {
  const errors = ws.config.diagnostics.filter((d) => d.severity === 'error');
  if (!errors.length) return false;
  const rel = ws.files.relative(ws.config.file) ?? 'prompt-registry.yaml';
  for (const line of formatText(errors.map((d) => toCli(rel, d)))) err(line);
  err('Fix prompt-registry.yaml first; the catalog was not changed.');
  return true;
}

function reportUnconfigured(result: RefreshResult, pruned: boolean, out: (s: string) => void): void {
  const gone = result.unconfigured ?? [];
  if (!gone.length) return;
  if (pruned)
    out(
      `${style.green('✔')} removed ${result.pruned ?? 0} models of ${gone.map((p) => `"${p}"`).join(', ')} (no longer in prompt-registry.yaml) from the catalog`,
    );
  else out(style.yellow(unconfiguredLine(gone)));
}

function unconfiguredLine(gone: string[]): string {
  const list = gone.map((p) => `"${p}"`).join(', ');
  return `${gone.length === 1 ? 'Provider' : 'Providers'} ${list} ${gone.length === 1 ? 'is' : 'are'} in the catalog but no longer in prompt-registry.yaml: ${gone.length === 1 ? 'its' : 'their'} models validate no prompt. "prompt-registry models prune" (or "models refresh --prune") removes them.`;
}

function describe(o: ProviderOutcome): string {
  if (o.status === 'declared')
    return `${style.green('✔')} ${o.provider}: ${o.modelCount} models declared in prompt-registry.yaml (not fetched)`;
  if (o.status === 'failed') return `${style.red('✖')} ${o.reason}; the catalog keeps its old list`;
  if (o.status === 'refused') return `${style.yellow('▲')} ${o.provider}: ${o.reason} (use --force to apply it anyway)`;
  const c = o.changes!;
  const parts = [
    c.added.length ? `${c.added.length} added (${c.added.join(', ')})` : '',
    c.reactivated.length ? `${c.reactivated.length} available again (${c.reactivated.join(', ')})` : '',
    c.deactivated.length ? `${c.deactivated.length} no longer available (${c.deactivated.join(', ')})` : '',
    c.updated.length ? `${c.updated.length} with new metadata` : '',
  ].filter(Boolean);
  return `${style.green('✔')} ${o.provider}: ${o.modelCount} models listed; ${parts.length ? parts.join('; ') : 'no changes'}`;
}
