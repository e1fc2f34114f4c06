import * as vscode from 'vscode';
import * as core from '../core/app/configEdits';
import type { CatalogModel } from '../core/catalog/types';
import type { PromptWorkspace } from '../core/workspace/promptWorkspace';
import { configUri } from './catalogSync';
import type { WorkspaceRegistry } from './workspaces';
import { setYamlValueInFile } from './yamlFileEdit';

/**
 * The config edits behind both the palette commands and the Models view's
 * item actions. Each acts on prompt-registry.yaml as it is now (not on a
 * config the watcher has not caught up with) and returns whether it wrote.
 */
export function setDefaultModel(registry: WorkspaceRegistry, ws: PromptWorkspace, ref: string): Promise<boolean> {
  registry.reloadConfig(ws);
  return apply(ws, core.setDefaultModel(ws.config, ref), 'defaultModel');
}

export function setEnabledModels(registry: WorkspaceRegistry, ws: PromptWorkspace, refs: string[]): Promise<boolean> {
  registry.reloadConfig(ws);
  return apply(ws, core.setEnabledModels(ws.config, ws.modelCatalog, refs), 'models.enabled');
}

export async function toggleModelEnabled(
  registry: WorkspaceRegistry,
  ws: PromptWorkspace,
  model: Pick<CatalogModel, 'provider' | 'id'>,
): Promise<boolean> {
  registry.reloadConfig(ws);
  const change = core.toggleModelEnabled(ws.config, ws.modelCatalog, model);
  return change ? apply(ws, change, 'models.enabled') : false;
}

async function apply(ws: PromptWorkspace, change: core.ConfigChange, field: string): Promise<boolean> {
  const r = await setYamlValueInFile(configUri(ws), change.edit.path, change.edit.value);
  if (!r.ok) {
    void vscode.window.showErrorMessage(`Could not update ${field}: ${r.error}`);
    return false;
  }
  for (const w of change.warnings) void vscode.window.showWarningMessage(warningText(w));
  return true;
}

function warningText(w: core.ConfigWarning): string {
  if (w.kind === 'default-overridden')
    return `defaultModel is now ${w.model}, but $${w.envVar} overrides it in this environment.`;
  return `The default model ${w.model} is now disabled; pick another with "Prompt Registry: Set Default Model" or the Models view's "Set as Default".`;
}
