import { modelRows } from '../catalog/listing';
import type { Catalog, CatalogModel } from '../catalog/types';
import type { LoadedConfig } from '../config/load';
import { toggledEnabledList } from '../views/modelList';
import type { YamlPath } from '../yaml/edit';

/** One value to write into prompt-registry.yaml; the host applies it (an editor edit, a file write). */
export interface ConfigEdit {
  path: YamlPath;
  value: unknown;
}

/** What the user should know after the edit; each host words it. */
export type ConfigWarning =
  { kind: 'default-disabled'; model: string } | { kind: 'default-overridden'; model: string; envVar: string };

export interface ConfigChange {
  edit: ConfigEdit;
  warnings: ConfigWarning[];
}

/** Sets `defaultModel`; warns when an environment variable overrides it. */
export function setDefaultModel(config: LoadedConfig, ref: string): ConfigChange {
  const envVar = config.fromEnv.defaultModel;
  return {
    edit: { path: ['defaultModel'], value: ref },
    warnings: envVar ? [{ kind: 'default-overridden', model: ref, envVar }] : [],
  };
}

/** Sets `models.enabled`; warns when that disables the default model. */
export function setEnabledModels(config: LoadedConfig, catalog: Catalog | undefined, refs: string[]): ConfigChange {
  return { edit: { path: ['models', 'enabled'], value: refs }, warnings: defaultDisabled(config, catalog, refs) };
}

/** Enables a disabled model or disables an enabled one; undefined when the catalog does not list it. */
export function toggleModelEnabled(
  config: LoadedConfig,
  catalog: Catalog | undefined,
  model: Pick<CatalogModel, 'provider' | 'id'>,
): ConfigChange | undefined {
  if (!catalog) return undefined;
  const rows = modelRows(catalog, config.config);
  const row = rows.find((r) => r.model.provider === model.provider && r.model.id === model.id);
  if (!row) return undefined;
  return setEnabledModels(config, catalog, toggledEnabledList(row, rows, config.config.enabledModels));
}

function defaultDisabled(config: LoadedConfig, catalog: Catalog | undefined, refs: string[]): ConfigWarning[] {
  const def = config.config.defaultModel;
  if (!def) return [];
  // With a catalog, aliases count (`gpt-4o` and `openai/gpt-4o` are one model); without one, only the exact id.
  const after = catalog
    ? modelRows(catalog, { ...config.config, enabledModels: refs }).find((r) => r.isDefault)
    : undefined;
  const disabled = after ? !after.enabled : !refs.includes(def);
  return disabled ? [{ kind: 'default-disabled', model: after?.ref ?? def }] : [];
}
