import { unconfiguredModels } from '../catalog/configured';
import { isRetired, resolveModel } from '../catalog/lookup';
import type { Catalog } from '../catalog/types';
import type { LoadedConfig } from '../config/load';
import type { Diagnostic, DiagnosticCode } from '../text/diagnostics';
import { ZERO_RANGE } from '../text/lineIndex';

/**
 * The model policy in prompt-registry.yaml (seed 004): the default and the
 * fallback must be enabled and active, and every enabled id should exist.
 * Problems with a value set through the environment have no place in the
 * file and are returned as notices instead.
 */
export function validatePolicy(
  loaded: LoadedConfig,
  catalog: Catalog | undefined,
  stored?: Catalog,
  now: Date = new Date(),
): { diagnostics: Diagnostic[]; notices: string[] } {
  const { config } = loaded;
  const diagnostics: Diagnostic[] = [];
  const notices: string[] = [];
  const enabled = config.enabledModels;

  const checkRole = (key: 'defaultModel' | 'fallbackModel', code: DiagnosticCode, what: string) => {
    const ref = config[key];
    if (!ref) return;
    const problems: string[] = [];
    let suggestions: string[] = [];
    if (catalog) {
      const r = resolveModel(ref, catalog);
      const gone = r.kind === 'unknown' && stored ? unconfiguredModels(ref, stored, config) : [];
      if (gone.length)
        problems.push(
          `is only in the catalog for provider ${[...new Set(gone.map((m) => m.provider))].join(', ')}, which prompt-registry.yaml no longer lists`,
        );
      else if (r.kind === 'unknown') {
        problems.push('is not in the model catalog');
        suggestions = r.suggestions;
      } else if (r.kind === 'ambiguous') problems.push('is offered by several providers; write provider/model');
      else if (!r.model.active) problems.push('is no longer available (inactive in the catalog)');
      else if (isRetired(r.model, now))
        problems.push(`is no longer available (shut down on ${r.model.deprecationDate})`);
    }
    if (enabled && !enabled.includes(ref)) problems.push('is not in models.enabled');
    if (!problems.length) return;
    const hint = suggestions.length ? ` Did you mean ${suggestions.map((s) => `"${s}"`).join(', ')}?` : '';
    const env = loaded.fromEnv[key];
    const message = `The ${what} "${ref}" ${problems.join(' and ')}.${hint}`;
    if (env) notices.push(`${message} (set by ${env})`);
    else
      diagnostics.push({
        severity: 'error',
        code,
        message,
        range: loaded.rangeOf([key]) ?? ZERO_RANGE,
        data: { model: ref, suggestions },
      });
  };
  checkRole('defaultModel', 'default-model-invalid', 'default model');
  checkRole('fallbackModel', 'fallback-model-invalid', 'fallback model');

  if (catalog && enabled) {
    enabled.forEach((ref, i) => {
      const r = resolveModel(ref, catalog);
      if (r.kind !== 'unknown') return;
      const hint = r.suggestions.length ? ` Did you mean ${r.suggestions.map((s) => `"${s}"`).join(', ')}?` : '';
      diagnostics.push({
        severity: 'warning',
        code: 'enabled-model-unknown',
        message: `Enabled model "${ref}" is not in the model catalog.${hint}`,
        range: loaded.rangeOf(['models', 'enabled', i]) ?? ZERO_RANGE,
        data: { model: ref, suggestions: r.suggestions },
      });
    });
  }
  return { diagnostics, notices };
}
