import { isAvailable, resolveModel } from '../../core/catalog/lookup';
import type { ParsedPrompt } from '../../core/prompt/types';
import { PromptWorkspace } from '../../core/workspace/promptWorkspace';
import { formatPrice } from '../../core/catalog/format';
import { style } from '../style';
import type { CliContext } from '../context';

export interface PromptRow {
  id: string;
  file: string;
  name?: string;
  model?: string;
  label?: string;
  status: 'ok' | 'inactive' | 'unknown' | 'missing' | 'unchecked';
  inputPricePer1M?: number;
  outputPricePer1M?: number;
  contextWindow?: number;
  inputs: string[];
  tags: string[];
}

export function promptRows(ws: PromptWorkspace): PromptRow[] {
  const catalog = ws.modelCatalog;
  return ws
    .prompts()
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((p: ParsedPrompt): PromptRow => {
      const base = {
        id: p.id,
        file: ws.files.relative(p.file!) ?? p.file!,
        name: p.name,
        model: p.model,
        inputs: Object.keys(p.inputs),
        tags: p.tags,
      };
      if (!p.model) return { ...base, status: 'missing' };
      const label = ws.settings.labels[p.model];
      if (!catalog) return { ...base, label, status: 'unchecked' };
      const r = resolveModel(p.model, catalog);
      if (r.kind !== 'found') return { ...base, label, status: 'unknown' };
      const m = r.model;
      return {
        ...base,
        label: label ?? m.displayName,
        status: isAvailable(m, new Date()) ? 'ok' : 'inactive',
        inputPricePer1M: m.inputPricePer1M,
        outputPricePer1M: m.outputPricePer1M,
        contextWindow: m.contextWindow,
      };
    });
}

export function runList(ctx: CliContext, { json }: { json: boolean }): number {
  const { root, out } = ctx;
  const ws = new PromptWorkspace(root);
  ws.scan();
  const rows = promptRows(ws);
  if (json) {
    out(JSON.stringify(rows, null, 2));
    return 0;
  }
  const mark = {
    ok: style.green('●'),
    inactive: style.yellow('▲'),
    unknown: style.red('✖'),
    missing: style.red('✖'),
    unchecked: style.dim('○'),
  };
  const idWidth = Math.max(4, ...rows.map((r) => r.id.length));
  const modelWidth = Math.max(5, ...rows.map((r) => (r.model ?? '(none)').length));
  out(
    style.bold(`  ${'ID'.padEnd(idWidth)}  ${'MODEL'.padEnd(modelWidth)}  ${'PRICE IN/OUT PER 1M'.padEnd(20)}  INPUTS`),
  );
  for (const r of rows) {
    const price = formatPrice(r.inputPricePer1M, r.outputPricePer1M);
    out(
      `${mark[r.status]} ${r.id.padEnd(idWidth)}  ${(r.model ?? '(none)').padEnd(modelWidth)}  ${price.padEnd(20)}  ${r.inputs.join(', ')}`,
    );
  }
  out(style.dim(`${rows.length} prompts · ● ok  ▲ model no longer available  ✖ unknown or missing model`));
  return 0;
}
