import * as vscode from 'vscode';
import { MODEL_FIELDS, modelFieldValue } from '../../core/prompt/modelFields';
import { yamlCursorContext } from '../../core/language/context';
import { fieldMarkdown, inputMarkdown, modelReferenceMarkdown } from '../../core/language/describe';
import { fieldDoc } from '../../core/language/fields';
import { toRange } from '../convert';
import type { WorkspaceRegistry } from '../workspaces';
import { configWorkspaceOf, currentPrompt, markdown, promptWorkspaceOf } from './promptDocument';

/**
 * Hovers in prompt files: on a model value the catalog card (provider, prices,
 * context window, status, first and last seen, deprecation date); on a front
 * matter key its meaning; on a `{{variable}}` its input declaration.
 */
export class PromptHover implements vscode.HoverProvider {
  constructor(private readonly registry: WorkspaceRegistry) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const ws = promptWorkspaceOf(this.registry, document);
    if (!ws) return undefined;
    const prompt = currentPrompt(ws, document);

    for (const field of MODEL_FIELDS) {
      const value = modelFieldValue(prompt, field);
      const r = prompt.ranges.get(field)?.value;
      if (!value || !r) continue;
      const range = toRange(r);
      if (range.contains(position)) {
        return new vscode.Hover(
          markdown(modelReferenceMarkdown(value, ws.modelCatalog, ws.settings, new Date())),
          range,
        );
      }
    }

    const variable = prompt.variables.find((v) => toRange(v.range).contains(position));
    if (variable) {
      const spec = Object.hasOwn(prompt.inputs, variable.name) ? prompt.inputs[variable.name] : undefined;
      const text =
        !spec && variable.inSection
          ? `\`${variable.name}\` is not declared in \`inputs\`; inside a section it may be a field of the section's items.`
          : inputMarkdown(variable.name, spec);
      return new vscode.Hover(markdown(text), toRange(variable.range));
    }

    for (const [key, r] of prompt.ranges) {
      if (!r.key) continue;
      const range = toRange(r.key);
      if (!range.contains(position)) continue;
      const path = key.split('.');
      if (path.length === 2 && path[0] === 'inputs' && Object.hasOwn(prompt.inputs, path[1]!)) {
        return new vscode.Hover(markdown(inputMarkdown(path[1]!, prompt.inputs[path[1]!])), range);
      }
      const doc = fieldDoc(path);
      return doc ? new vscode.Hover(markdown(fieldMarkdown(doc)), range) : undefined;
    }
    return undefined;
  }
}

/** Hovers in prompt-registry.yaml: the model card on defaultModel, fallbackModel and models.enabled entries. */
export class ConfigHover implements vscode.HoverProvider {
  constructor(private readonly registry: WorkspaceRegistry) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const ws = configWorkspaceOf(this.registry, document);
    if (!ws) return undefined;
    const ctx = yamlCursorContext(document.getText(), document.offsetAt(position));
    if (ctx.kind !== 'value') return undefined;
    const key = ctx.path.join('.');
    const isModel = ctx.inList ? key === 'models.enabled' : key === 'defaultModel' || key === 'fallbackModel';
    if (!isModel) return undefined;
    const range = new vscode.Range(document.positionAt(ctx.start), document.positionAt(ctx.end));
    const ref = document.getText(range).trim();
    if (!ref) return undefined;
    return new vscode.Hover(markdown(modelReferenceMarkdown(ref, ws.modelCatalog, ws.settings, new Date())), range);
  }
}
