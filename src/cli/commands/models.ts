import { formatContextWindow, formatPrice } from '../../core/catalog/format';
import { modelRows, promptsOnInactiveModels } from '../../core/catalog/listing';
import { refreshCatalog, type ProviderOutcome } from '../../core/catalog/refresh';
import { PromptWorkspace } from '../../core/workspace/promptWorkspace';
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
    err(ws.catalog.exists ? 'The model catalog is invalid; run "prompt-registry check" to see where.' : 'No model catalog yet: run "prompt-registry models refresh" or "prompt-registry init".');
    return EXIT.problems;
  }
  ws.scan();
  const rows = modelRows(catalog, ws.settings, ws.prompts()).filter((r) => opts.all || r.model.active);
  if (opts.json) {
    out(JSON.stringify(rows.map((r) => ({
      ref: r.ref, id: r.model.id, provider: r.model.provider, active: r.model.active, label: r.label, displayName: r.model.displayName,
      contextWindow: r.model.contextWindow, inputPricePer1M: r.model.inputPricePer1M, outputPricePer1M: r.model.outputPricePer1M,
      recommended: r.model.recommended ?? false, deprecationDate: r.model.deprecationDate, isDefault: r.isDefault, isFallback: r.isFallback,
      enabled: r.enabled, promptCount: r.promptCount, firstSeen: r.model.firstSeen, lastSeen: r.model.lastSeen,
    })), null, 2));
    return EXIT.ok;
  }
  const w = Math.max(5, ...rows.map((r) => r.ref.length));
  const lw = Math.max(5, ...rows.map((r) => r.label.length));
  out(style.bold(`  ${'MODEL'.padEnd(w)}  ${'LABEL'.padEnd(lw)}  ${'PROVIDER'.padEnd(10)}  ${'CONTEXT'.padStart(7)}  ${'PRICE IN/OUT PER 1M'.padEnd(20)}  PROMPTS  NOTES`));
  for (const r of rows) {
    const notes = [
      r.isDefault ? '⭐ default' : '',
      r.isFallback ? 'fallback' : '',
      r.model.recommended ? 'recommended' : '',
      r.enabled ? '' : 'disabled',
      r.model.active ? '' : 'inactive',
      r.model.deprecationDate ? `retires ${r.model.deprecationDate}` : '',
    ].filter(Boolean).join(', ');
    const mark = !r.model.active ? style.yellow('▲') : r.enabled ? style.green('●') : style.dim('○');
    out(`${mark} ${r.ref.padEnd(w)}  ${r.label.padEnd(lw)}  ${r.model.provider.padEnd(10)}  ${formatContextWindow(r.model.contextWindow).padStart(7)}  ${formatPrice(r.model.inputPricePer1M, r.model.outputPricePer1M).padEnd(20)}  ${String(r.promptCount).padStart(7)}  ${notes}`);
  }
  const hidden = opts.all ? 0 : catalog.models.length - rows.length;
  out(style.dim(`${rows.length} models${hidden ? ` (${hidden} inactive hidden; --all shows them)` : ''} · ● enabled  ○ disabled  ▲ no longer available`));
  return EXIT.ok;
}

export async function runModelsRefresh(ctx: CliContext, opts: { force: boolean; providers: string[]; env?: Record<string, string | undefined> }): Promise<number> {
  const { root, out, err } = ctx;
  const env = opts.env ?? process.env;
  const ws = new PromptWorkspace(root, { env });
  let result;
  try {
    result = await refreshCatalog({
      root,
      config: ws.settings,
      only: opts.providers.length ? opts.providers : undefined,
      force: opts.force,
      apiKeyFor: (p) => env[p.apiKeyEnv],
    });
  } catch (e) {
    throw new UsageError(errorMessage(e));
  }
  if (result.outcomes.length === 0) {
    err('No OpenAI-compatible provider to refresh (echo providers have no model list).');
    return EXIT.ok;
  }
  for (const o of result.outcomes) (o.status === 'failed' || o.status === 'refused' ? err : out)(describe(o));
  if (result.catalog) {
    ws.reloadCatalog();
    ws.scan();
    const stale = promptsOnInactiveModels(result.catalog, ws.prompts());
    if (stale.length) {
      out(style.yellow(`${plural(stale.length, 'prompt')} ${wordFor(stale.length, 'uses', 'use')} models that are no longer available:`));
      for (const p of stale) out(`  ${ws.files.relative(p.file!) ?? p.file}  (${p.model})`);
    }
  }
  return result.outcomes.some((o) => o.status === 'failed' || o.status === 'refused') ? EXIT.problems : EXIT.ok;
}

function describe(o: ProviderOutcome): string {
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
