import * as vscode from 'vscode';
import { isModelField } from '../../core/prompt/modelFields';
import { modelRows, type ModelRow } from '../../core/catalog/listing';
import { daysUntilRetirement } from '../../core/catalog/lookup';
import { promptCursorContext, yamlCursorContext, type CursorContext } from '../../core/language/context';
import { fieldMarkdown, inputDetail, inputMarkdown, modelDetail, modelMarkdown } from '../../core/language/describe';
import { fieldDoc, fieldsAt, type FieldDoc } from '../../core/language/fields';
import { INPUT_TYPES } from '../../core/prompt/schema';
import type { PromptWorkspace } from '../../core/workspace/promptWorkspace';
import { RETIRING_WITHIN_DAYS } from '../../core/catalog/lookup';
import type { WorkspaceRegistry } from '../workspaces';
import { configWorkspaceOf, currentPrompt, markdown, promptWorkspaceOf } from './promptDocument';

/** `:` and space after `model`, `{` for `{{`. Other positions complete on typing or Ctrl+Space. */
export const PROMPT_TRIGGERS = [':', ' ', '{'];
/** `:` and space after `defaultModel`, `[`/`,` in a flow list, `-` for a block list item. */
export const CONFIG_TRIGGERS = [':', ' ', '[', ',', '-'];

type ValueContext = Extract<CursorContext, { kind: 'value' }>;
type KeyContext = Extract<CursorContext, { kind: 'key' }>;

/** A trigger character opens the list only where that character makes sense; typing and Ctrl+Space everywhere. */
function wanted(ctx: CursorContext, trigger: string | undefined): boolean {
  if (trigger === undefined) return ctx.kind !== 'none';
  // While the list is open, typing a trigger character inside a value asks again: answer, or the list would empty.
  return trigger === '{' ? ctx.kind === 'variable' : ctx.kind === 'value';
}

function rangeOf(document: vscode.TextDocument, ctx: Exclude<CursorContext, { kind: 'none' }>): vscode.Range {
  return new vscode.Range(document.positionAt(ctx.start), document.positionAt(ctx.end));
}

function sortKey(group: number, index: number): string {
  return `${group}${String(index).padStart(5, '0')}`;
}

/**
 * Catalog models as completion items: the default first (preselected unless
 * the value names another model), then recommended, then the other enabled
 * models, then those outside models.enabled. Inactive models are not offered.
 * Prices and context window are in the detail, the full card in the docs.
 */
export function modelItems(
  document: vscode.TextDocument,
  ws: PromptWorkspace,
  ctx: ValueContext,
  opts: { current?: string; usableOnly?: boolean; exclude?: string[] } = {},
): vscode.CompletionItem[] {
  const catalog = ws.modelCatalog;
  if (!catalog) return [];
  const now = new Date();
  const range = rangeOf(document, ctx);
  const rows = modelRows(catalog, ws.settings, [], now).filter(
    (r) => r.available && (!opts.usableOnly || r.enabled) && !opts.exclude?.includes(r.ref),
  );
  const group = (r: ModelRow) => (r.isDefault ? 0 : !r.enabled ? 3 : r.model.recommended ? 1 : 2);
  const preselect =
    rows.find((r) => opts.current !== undefined && (r.ref === opts.current || r.model.id === opts.current)) ??
    rows.find((r) => r.isDefault);
  return rows.map((r, i) => {
    const item = new vscode.CompletionItem(
      { label: r.ref, description: r.label !== r.ref ? r.label : undefined },
      vscode.CompletionItemKind.EnumMember,
    );
    item.detail = modelDetail(r);
    item.documentation = markdown(modelMarkdown(r, now));
    item.range = range;
    item.insertText = (ctx.needsSpace ? ' ' : '') + r.ref;
    item.filterText = r.ref;
    item.sortText = sortKey(group(r), i);
    if (r === preselect) item.preselect = true;
    const days = daysUntilRetirement(r.model, now);
    if (days !== undefined && days <= RETIRING_WITHIN_DAYS) item.tags = [vscode.CompletionItemTag.Deprecated];
    return item;
  });
}

function valueItems(
  document: vscode.TextDocument,
  ctx: ValueContext,
  values: readonly string[],
  docOf?: (v: string) => string | undefined,
): vscode.CompletionItem[] {
  const range = rangeOf(document, ctx);
  return values.map((v, i) => {
    const item = new vscode.CompletionItem(v, vscode.CompletionItemKind.EnumMember);
    item.range = range;
    item.insertText = (ctx.needsSpace ? ' ' : '') + v;
    item.filterText = v;
    item.sortText = sortKey(0, i);
    const doc = docOf?.(v);
    if (doc) item.documentation = markdown(doc);
    return item;
  });
}

/** A front matter key: `name: ` for a scalar, a block for a map, `[]` for a list; the list reopens after `model: `. */
function keyItems(
  document: vscode.TextDocument,
  ctx: KeyContext,
  fields: readonly FieldDoc[],
): vscode.CompletionItem[] {
  const range = rangeOf(document, ctx);
  const taken = new Set(ctx.siblings);
  return fields
    .filter((f) => !taken.has(f.name))
    .map((f, i) => {
      const item = new vscode.CompletionItem(f.name, vscode.CompletionItemKind.Property);
      item.detail = `${f.type}${f.required ? ' · required' : ''}`;
      item.documentation = markdown(fieldMarkdown(f));
      item.range = range;
      item.sortText = sortKey(f.required ? 0 : 1, i);
      if (ctx.hasColon) {
        item.insertText = f.name;
      } else {
        item.insertText = new vscode.SnippetString(
          f.layout === 'map' ? `${f.name}:\n  $0` : f.layout === 'list' ? `${f.name}: [$0]` : `${f.name}: $0`,
        );
        const hasValues = isModelField(f.name) || f.values !== undefined;
        if (hasValues) item.command = { title: 'Suggest values', command: 'editor.action.triggerSuggest' };
      }
      return item;
    });
}

/** Completion in prompt files: models after `model:`, inputs inside `{{`, the format's fields at key positions. */
export class PromptCompletion implements vscode.CompletionItemProvider {
  constructor(private readonly registry: WorkspaceRegistry) {}

  provideCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    _token: vscode.CancellationToken,
    context: vscode.CompletionContext,
  ): vscode.CompletionItem[] | undefined {
    const ws = promptWorkspaceOf(this.registry, document);
    if (!ws) return undefined;
    const ctx = promptCursorContext(document.getText(), document.offsetAt(position));
    if (
      ctx.kind === 'none' ||
      !wanted(
        ctx,
        context.triggerKind === vscode.CompletionTriggerKind.TriggerCharacter ? context.triggerCharacter : undefined,
      )
    )
      return undefined;

    if (ctx.kind === 'variable') {
      const prompt = currentPrompt(ws, document);
      const range = rangeOf(document, ctx);
      return Object.entries(prompt.inputs).map(([name, spec], i) => {
        const item = new vscode.CompletionItem(name, vscode.CompletionItemKind.Variable);
        item.detail = inputDetail(spec);
        item.documentation = markdown(inputMarkdown(name, spec));
        item.range = range;
        item.insertText = name + ctx.close;
        item.filterText = name;
        item.sortText = sortKey(0, i);
        return item;
      });
    }

    if (ctx.kind === 'value') {
      const path = ctx.path;
      if (path.length === 1 && isModelField(path[0]) && !ctx.inList) {
        const prompt = currentPrompt(ws, document);
        return modelItems(document, ws, ctx, { current: path[0] === 'model' ? prompt.model : prompt.fallbackModel });
      }
      if (path.length === 3 && path[0] === 'inputs' && path[2] === 'type')
        return valueItems(document, ctx, INPUT_TYPES);
      const values = fieldDoc(path)?.values;
      return values ? valueItems(document, ctx, values) : undefined;
    }

    // A key position: the format's fields, or under `inputs:` the variables the template uses but does not declare.
    if (ctx.path.length === 1 && ctx.path[0] === 'inputs') return this.inputNameItems(document, ws, ctx);
    const fields = fieldsAt(ctx.path);
    return fields ? keyItems(document, ctx, fields) : undefined;
  }

  private inputNameItems(document: vscode.TextDocument, ws: PromptWorkspace, ctx: KeyContext): vscode.CompletionItem[] {
    const prompt = currentPrompt(ws, document);
    const taken = new Set([...ctx.siblings, ...Object.keys(prompt.inputs)]);
    const names = [...new Set(prompt.variables.filter((v) => !v.inSection).map((v) => v.name))].filter(
      (n) => !taken.has(n),
    );
    const range = rangeOf(document, ctx);
    return names.map((name, i) => {
      const item = new vscode.CompletionItem(name, vscode.CompletionItemKind.Variable);
      item.detail = 'used in the template, not declared';
      item.documentation = markdown(`Declares \`${name}\`, which the template uses as \`{{${name}}}\`.`);
      item.range = range;
      item.insertText = ctx.hasColon
        ? name
        : new vscode.SnippetString(`${name}: { type: \${1|${INPUT_TYPES.join(',')}|} }`);
      item.sortText = sortKey(0, i);
      return item;
    });
  }
}

/** Completion in prompt-registry.yaml: catalog ids for defaultModel, fallbackModel, models.enabled entries and models.labels keys. */
export class ConfigCompletion implements vscode.CompletionItemProvider {
  constructor(private readonly registry: WorkspaceRegistry) {}

  provideCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    _token: vscode.CancellationToken,
    context: vscode.CompletionContext,
  ): vscode.CompletionItem[] | undefined {
    const ws = configWorkspaceOf(this.registry, document);
    if (!ws) return undefined;
    const ctx = yamlCursorContext(document.getText(), document.offsetAt(position));
    if (
      ctx.kind === 'none' ||
      ctx.kind === 'variable' ||
      !wanted(
        ctx,
        context.triggerKind === vscode.CompletionTriggerKind.TriggerCharacter ? context.triggerCharacter : undefined,
      )
    )
      return undefined;
    const key = ctx.path.join('.');
    if (ctx.kind === 'value' && !ctx.inList && (key === 'defaultModel' || key === 'fallbackModel')) {
      return modelItems(document, ws, ctx, {
        current: key === 'defaultModel' ? ws.settings.defaultModel : ws.settings.fallbackModel,
        usableOnly: true,
      });
    }
    if (ctx.kind === 'value' && ctx.inList && key === 'models.enabled') return modelItems(document, ws, ctx);
    if (ctx.kind === 'key' && key === 'models.labels') {
      return modelItems(
        document,
        ws,
        {
          kind: 'value',
          path: ctx.path,
          start: ctx.start,
          end: ctx.end,
          prefix: ctx.prefix,
          needsSpace: false,
          inList: false,
        },
        { exclude: ctx.siblings },
      ).map((item) => {
        const ref = typeof item.label === 'string' ? item.label : item.label.label;
        item.insertText = ctx.hasColon ? ref : new vscode.SnippetString(`${ref}: "\${1:label}"`);
        item.kind = vscode.CompletionItemKind.Property;
        return item;
      });
    }
    return undefined;
  }
}
