import * as vscode from 'vscode';
import { sameModelOnConfigured, unconfiguredModels } from '../../core/catalog/configured';
import { isModelField, type ModelField } from '../../core/prompt/modelFields';
import { resolveModel } from '../../core/catalog/lookup';
import { modelRows } from '../../core/catalog/listing';
import { suggestReplacements } from '../../core/catalog/replacements';
import { declareInputs, type TextEditResult } from '../../core/language/edits';
import { setFrontMatterValue } from '../../core/prompt/editFrontMatter';
import type { ParsedPrompt } from '../../core/prompt/types';
import type { PromptWorkspace } from '../../core/workspace/promptWorkspace';
import { DIAGNOSTIC_SOURCE, toRange, type PromptDiagnostic } from '../convert';
import type { WorkspaceRegistry } from '../workspaces';
import { currentPrompt, promptWorkspaceOf, toWorkspaceEdit } from './promptDocument';

/** The lead's command: changes a prompt's `model` through the model picker; takes the prompt's Uri. */
export const CHANGE_MODEL_COMMAND = 'promptRegistry.changeModel';
/** Ours, for fields other than `model` (fallback_model): (uri, field). Not in the palette. */
export const PICK_MODEL_FOR_FIELD_COMMAND = 'promptRegistry.language.pickModelForField';

const MODEL_CODES = new Set([
  'unknown-model',
  'provider-not-configured',
  'ambiguous-model',
  'inactive-model',
  'model-retiring',
  'model-not-enabled',
]);
const REPLACEMENTS = 3;

function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  return c === undefined ? undefined : typeof c === 'object' ? String(c.value) : String(c);
}

/**
 * Quick fixes for Prompt Registry's diagnostics. Every fix is computed from the
 * document's current text (never from disk, never from the registry's debounced
 * copy) through the core front matter editor, and is one WorkspaceEdit, so one
 * undo step. The diagnostic's `data` is a hint only: VS Code does not carry it
 * through every path (executeCodeActionProvider), so facts are re-derived from
 * the text when it is missing or stale.
 */
export class PromptCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
  };

  constructor(private readonly registry: WorkspaceRegistry) {}

  provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] | undefined {
    if (context.only && !vscode.CodeActionKind.QuickFix.intersects(context.only)) return undefined;
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE) as PromptDiagnostic[];
    if (!ours.length) return undefined;
    const ws = promptWorkspaceOf(this.registry, document);
    if (!ws) return undefined;
    const fixes = new Fixes(document, ws, currentPrompt(ws, document));
    for (const d of ours) {
      const code = codeOf(d);
      if (code === 'missing-model') fixes.missingModel(d);
      else if (code === 'undeclared-variable') fixes.undeclaredVariable(d);
      else if (code && MODEL_CODES.has(code)) fixes.model(d, code);
    }
    return fixes.actions();
  }
}

/** Collects the actions for one request; the same fix for several diagnostics is one action listing them all. */
class Fixes {
  private readonly byTitle = new Map<string, vscode.CodeAction>();
  private readonly text: string;

  constructor(
    private readonly document: vscode.TextDocument,
    private readonly ws: PromptWorkspace,
    private readonly prompt: ParsedPrompt,
  ) {
    this.text = document.getText();
  }

  actions(): vscode.CodeAction[] {
    return [...this.byTitle.values()];
  }

  missingModel(d: PromptDiagnostic): void {
    if (this.prompt.model) return; // fixed since the diagnostic was published
    const def = this.ws.settings.defaultModel;
    if (def) this.edit(`Use default model (${def})`, d, setFrontMatterValue(this.text, ['model'], def), true);
    this.pick('model', d);
  }

  undeclaredVariable(d: PromptDiagnostic): void {
    const name = typeof d.data?.variable === 'string' ? d.data.variable : variableAt(this.document, d.range);
    if (!name || Object.hasOwn(this.prompt.inputs, name)) return;
    this.edit(`Declare input "${name}"`, d, setFrontMatterValue(this.text, ['inputs', name], { type: 'string' }), true);
    const all = undeclared(this.prompt);
    if (all.length > 1)
      this.edit(`Declare all ${all.length} undeclared inputs`, d, declareInputs(this.text, all), false);
  }

  model(d: PromptDiagnostic, code: string): void {
    const field = this.fieldOf(d);
    const value = field === 'model' ? this.prompt.model : this.prompt.fallbackModel;
    const catalog = this.ws.modelCatalog;
    if (!value || !catalog) {
      this.pick(field, d);
      return;
    }
    const config = this.ws.settings;
    if (code === 'unknown-model' || code === 'ambiguous-model' || code === 'provider-not-configured') {
      const fromData =
        d.data?.model === value && Array.isArray(d.data?.suggestions)
          ? (d.data.suggestions as unknown[]).filter((s): s is string => typeof s === 'string')
          : undefined;
      const r = resolveModel(value, catalog);
      const gone = this.ws.catalog.stored ? unconfiguredModels(value, this.ws.catalog.stored, config) : [];
      const candidates =
        fromData ??
        (gone.length
          ? sameModelOnConfigured(gone[0]!, catalog).map((s) => s.ref)
          : r.kind === 'unknown'
            ? r.suggestions
            : r.kind === 'ambiguous'
              ? r.candidates.map((m) => `${m.provider}/${m.id}`)
              : []);
      // Enabled candidates first (a disabled one would only trade this problem for model-not-enabled).
      const rows = modelRows(catalog, config);
      const usable = (ref: string) =>
        rows.some(
          (row) => (row.ref === ref || `${row.model.provider}/${row.model.id}` === ref) && row.enabled && row.available,
        );
      const ordered = [...candidates.filter(usable), ...candidates.filter((c) => !usable(c))];
      ordered.forEach((ref, i) => {
        this.edit(
          `Change to ${ref}${usable(ref) ? '' : ' (not enabled)'}`,
          d,
          setFrontMatterValue(this.text, [field], ref),
          i === 0 && usable(ref),
        );
      });
    } else {
      suggestReplacements(value, catalog, config, { limit: REPLACEMENTS }).forEach((r, i) => {
        this.edit(`Replace with ${r.ref}`, d, setFrontMatterValue(this.text, [field], r.ref), i === 0);
      });
    }
    this.pick(field, d);
  }

  /** Which field a model diagnostic is about: its data says, else its place in the current text. */
  private fieldOf(d: PromptDiagnostic): ModelField {
    if (isModelField(d.data?.field)) return d.data.field;
    const fb = this.prompt.ranges.get('fallback_model')?.value;
    return fb && toRange(fb).intersection(d.range) ? 'fallback_model' : 'model';
  }

  private pick(field: ModelField, d: PromptDiagnostic): void {
    const title = 'Pick model…';
    const command: vscode.Command =
      field === 'model'
        ? { title, command: CHANGE_MODEL_COMMAND, arguments: [this.document.uri] }
        : { title, command: PICK_MODEL_FOR_FIELD_COMMAND, arguments: [this.document.uri, field] };
    this.add(`${title}${field === 'model' ? '' : ` (${field})`}`, d, (a) => {
      a.command = command;
    });
  }

  private edit(title: string, d: PromptDiagnostic, result: TextEditResult, preferred: boolean): void {
    this.add(title, d, (a) => {
      if (result.ok) a.edit = toWorkspaceEdit(this.document, result);
      else a.disabled = { reason: `Cannot edit the front matter: ${result.error}` };
      if (preferred && result.ok) a.isPreferred = true;
    });
  }

  private add(title: string, d: vscode.Diagnostic, init: (a: vscode.CodeAction) => void): void {
    const existing = this.byTitle.get(title);
    if (existing) {
      if (!existing.diagnostics!.includes(d)) existing.diagnostics!.push(d);
      return;
    }
    const a = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
    a.diagnostics = [d];
    init(a);
    this.byTitle.set(title, a);
  }
}

/** The variable of an `undeclared-variable` diagnostic, read from its range: `{{name}}`, `{{#name}}`, `{{name.field}}`. */
function variableAt(document: vscode.TextDocument, range: vscode.Range): string | undefined {
  return /^\{\{\{?\s*[#^&/]?\s*([A-Za-z_]\w*)/.exec(document.getText(range))?.[1];
}

/** Variables the template uses outside sections that `inputs` does not declare, in order of first use. */
function undeclared(prompt: ParsedPrompt): string[] {
  const out = new Set<string>();
  for (const v of prompt.variables) if (!v.inSection && !Object.hasOwn(prompt.inputs, v.name)) out.add(v.name);
  return [...out];
}
