import * as vscode from 'vscode';
import { isModelField } from '../../core/prompt/modelFields';
import { setFrontMatterValue } from '../../core/prompt/editFrontMatter';
import type { DisposableStore } from '../lifecycle';
import { pickModel } from '../modelPicker';
import type { WorkspaceRegistry } from '../workspaces';
import { PICK_MODEL_FOR_FIELD_COMMAND, PromptCodeActions } from './codeActions';
import { CONFIG_TRIGGERS, ConfigCompletion, PROMPT_TRIGGERS, PromptCompletion } from './completion';
import { ConfigHover, PromptHover } from './hover';
import { currentPrompt, promptWorkspaceOf, toWorkspaceEdit } from './promptDocument';

/** Markdown files on disk; each provider then acts only on files that are prompts of a workspace. */
export const PROMPT_SELECTOR: vscode.DocumentSelector = { language: 'markdown', scheme: 'file' };
/** prompt-registry.yaml whatever language it is shown in (yaml, or plain text without a YAML extension). */
export const CONFIG_SELECTOR: vscode.DocumentSelector = { scheme: 'file', pattern: '**/prompt-registry.yaml' };

/** Quick fixes, completion and hover for prompt files; completion and hover of model ids in prompt-registry.yaml. */
export function registerLanguageFeatures(store: DisposableStore, registry: WorkspaceRegistry): void {
  store.add(
    vscode.Disposable.from(
      vscode.languages.registerCodeActionsProvider(
        PROMPT_SELECTOR,
        new PromptCodeActions(registry),
        PromptCodeActions.metadata,
      ),
      vscode.languages.registerCompletionItemProvider(
        PROMPT_SELECTOR,
        new PromptCompletion(registry),
        ...PROMPT_TRIGGERS,
      ),
      vscode.languages.registerCompletionItemProvider(
        CONFIG_SELECTOR,
        new ConfigCompletion(registry),
        ...CONFIG_TRIGGERS,
      ),
      vscode.languages.registerHoverProvider(PROMPT_SELECTOR, new PromptHover(registry)),
      vscode.languages.registerHoverProvider(CONFIG_SELECTOR, new ConfigHover(registry)),
      vscode.commands.registerCommand(PICK_MODEL_FOR_FIELD_COMMAND, (uri?: vscode.Uri, field?: string) =>
        pickModelForField(registry, uri, field),
      ),
    ),
  );
}

/**
 * "Pick model…" for a model field other than `model` (the lead's Change Model
 * command owns that one): the shared picker, then one edit of that value in
 * the document's current text.
 */
async function pickModelForField(
  registry: WorkspaceRegistry,
  uri: vscode.Uri | undefined,
  field: string | undefined,
): Promise<boolean> {
  if (!(uri instanceof vscode.Uri) || !isModelField(field)) return false;
  const document = await vscode.workspace.openTextDocument(uri);
  const ws = promptWorkspaceOf(registry, document);
  if (!ws) return false;
  const prompt = currentPrompt(ws, document);
  const picked = await pickModel(ws, {
    title: `Pick ${field} for ${prompt.name ?? prompt.id}`,
    current: field === 'model' ? prompt.model : prompt.fallbackModel,
  });
  if (!picked) return false;
  // Re-read: the document may have changed while the picker was open.
  const r = setFrontMatterValue(document.getText(), [field], picked.ref);
  if (!r.ok) {
    void vscode.window.showErrorMessage(`Could not set ${field}: ${r.error}`);
    return false;
  }
  return vscode.workspace.applyEdit(toWorkspaceEdit(document, r));
}
