import { sameModelOnConfigured, unconfiguredModels } from '../catalog/configured';
import { daysUntilRetirement, isAvailable, isRetired, resolveModel, RETIRING_WITHIN_DAYS } from '../catalog/lookup';
import type { Catalog, CatalogModel } from '../catalog/types';
import type { ResolvedConfig } from '../config/load';
import type { Diagnostic } from '../text/diagnostics';
import type { Range } from '../text/lineIndex';
import { MODEL_FIELDS, modelFieldValue } from '../prompt/modelFields';
import type { ParsedPrompt } from '../prompt/types';
import { plural } from '../text/plural';

export interface ValidationContext {
  config: ResolvedConfig;
  /** Absent: model checks are skipped (the caller says so once). Only configured providers (configuredCatalog). */
  catalog?: Catalog;
  /** catalog.json as stored, to tell a model of an unconfigured provider from an unknown one. */
  stored?: Catalog;
  now: Date;
}

/** Everything that can be said about one prompt on its own: file problems, model checks, variables. */
export function validatePrompt(prompt: ParsedPrompt, ctx: ValidationContext): Diagnostic[] {
  const out = [...prompt.diagnostics];
  const catalog = ctx.catalog;
  if (catalog) {
    const c = { ...ctx, catalog };
    // Ranges are looked up only for a problem: building them costs more than the check.
    const at = (field: string) => () => prompt.rangeOf(field)?.value ?? prompt.headerRange;
    for (const field of MODEL_FIELDS) {
      const ref = modelFieldValue(prompt, field);
      if (ref) out.push(...checkModel(ref, field, at(field), c));
    }
  }
  out.push(...checkVariables(prompt));
  return out;
}

export function checkModel(
  ref: string,
  field: string,
  rangeOf: () => Range,
  ctx: ValidationContext & { catalog: Catalog },
): Diagnostic[] {
  const r = resolveModel(ref, ctx.catalog);
  if (
    r.kind === 'found' &&
    isAvailable(r.model, ctx.now) &&
    !isRetiring(r.model, ctx.now) &&
    isEnabled(ref, r.model, ctx.config)
  )
    return [];
  const range = rangeOf();
  const gone = r.kind === 'unknown' && ctx.stored ? unconfiguredModels(ref, ctx.stored, ctx.config) : [];
  if (gone.length) {
    const providers = [...new Set(gone.map((m) => m.provider))];
    const suggestions = sameModelOnConfigured(gone[0]!, ctx.catalog);
    const hint = suggestions.length
      ? ` Use ${suggestions.map((s) => `"${s.ref}" (${s.model.provider})`).join(' or ')}.`
      : '';
    return [
      {
        severity: 'error',
        code: 'provider-not-configured',
        message: `${gone[0]!.id} is only in the catalog for provider ${providers.join(', ')}, which prompt-registry.yaml no longer lists.${hint}`,
        range,
        data: { field, model: ref, provider: providers[0], suggestions: suggestions.map((s) => s.ref) },
      },
    ];
  }
  if (r.kind === 'unknown') {
    const hint = r.suggestions.length ? ` Did you mean ${r.suggestions.map((s) => `"${s}"`).join(', ')}?` : '';
    return [
      {
        severity: 'error',
        code: 'unknown-model',
        message: `Unknown model "${ref}": it is not in the model catalog.${hint}`,
        range,
        data: { field, model: ref, suggestions: r.suggestions },
      },
    ];
  }
  if (r.kind === 'ambiguous') {
    const options = r.candidates.map((m) => `"${m.provider}/${m.id}"`).join(' or ');
    return [
      {
        severity: 'error',
        code: 'ambiguous-model',
        message: `Model "${ref}" is offered by several providers: write ${options}`,
        range,
        data: { field, model: ref, suggestions: r.candidates.map((m) => `${m.provider}/${m.id}`) },
      },
    ];
  }
  const m = r.model;
  const out: Diagnostic[] = [];
  const data = { field, model: ref, provider: m.provider };
  if (!m.active) {
    out.push({
      severity: 'warning',
      code: 'inactive-model',
      message: `Model is no longer available: "${ref}" was missing from ${m.provider}'s model list (last seen ${m.lastSeen.slice(0, 10)})`,
      range,
      data,
    });
  } else if (isRetired(m, ctx.now)) {
    const days = -daysUntilRetirement(m, ctx.now)!;
    out.push({
      severity: 'warning',
      code: 'inactive-model',
      message: `Model is no longer available: "${ref}" was shut down on ${m.deprecationDate} (${days} day${days === 1 ? '' : 's'} ago)`,
      range,
      data: { ...data, deprecationDate: m.deprecationDate },
    });
  }
  if (!isEnabled(ref, m, ctx.config)) {
    out.push({
      severity: 'warning',
      code: 'model-not-enabled',
      message: `Model "${ref}" is not enabled for this workspace (models.enabled in prompt-registry.yaml)`,
      range,
      data,
    });
  }
  const days = daysUntilRetirement(m, ctx.now);
  if (isRetiring(m, ctx.now) && days !== undefined) {
    out.push({
      severity: 'warning',
      code: 'model-retiring',
      message: `Model "${ref}" retires on ${m.deprecationDate} (${days === 0 ? 'today' : `in ${plural(days, 'day')}`})`,
      range,
      data: { ...data, deprecationDate: m.deprecationDate },
    });
  }
  return out;
}

function isEnabled(ref: string, m: CatalogModel, config: ResolvedConfig): boolean {
  const enabled = config.enabledModels;
  return !enabled || enabled.includes(ref) || enabled.includes(m.id) || enabled.includes(`${m.provider}/${m.id}`);
}

/** The days before the shutdown date; after it the model is no longer available (inactive-model). */
function isRetiring(m: CatalogModel, now: Date): boolean {
  const days = daysUntilRetirement(m, now);
  return days !== undefined && days >= 0 && days <= RETIRING_WITHIN_DAYS;
}

function checkVariables(prompt: ParsedPrompt): Diagnostic[] {
  const out: Diagnostic[] = [];
  const declared = new Set(Object.keys(prompt.inputs));
  const reported = new Set<string>();
  for (const v of prompt.variables) {
    if (v.inSection || declared.has(v.name)) continue;
    out.push({
      severity: 'warning',
      code: 'undeclared-variable',
      message: `"{{${v.name}}}" is not declared in inputs${reported.has(v.name) ? '' : `: add "${v.name}" under inputs`}`,
      range: v.range,
      data: { variable: v.name },
    });
    reported.add(v.name);
  }
  const used = new Set(prompt.variables.map((v) => v.name));
  for (const name of declared) {
    if (used.has(name)) continue;
    const r = prompt.ranges.get(`inputs.${name}`);
    out.push({
      severity: 'info',
      code: 'unused-input',
      message: `Input "${name}" is declared but the template never uses it`,
      range: r?.key ?? r?.value ?? prompt.headerRange,
      data: { input: name },
    });
  }
  return out;
}
