import * as vscode from 'vscode';
import { formatPrice } from '../core/catalog/format';
import { describePrompt } from '../core/views/promptIndex';
import { promptTooltipMarkdown } from './views/presentation';
import { DisposableStore } from './lifecycle';
import type { WorkspaceRegistry } from './workspaces';

/**
 * The active prompt's model and price in the status bar; a click opens the
 * model picker. Hidden when the active editor is not a prompt file.
 */
export class ModelStatusBar implements vscode.Disposable {
  private readonly store = new DisposableStore();
  readonly item = this.store.add(
    vscode.window.createStatusBarItem('promptRegistry.model', vscode.StatusBarAlignment.Right, 100),
  );
  /** Whether the item is showing; StatusBarItem does not say. */
  shown = false;
  /** Set while an automatic refresh skipped a provider whose key's host is not allowed. */
  keyNote?: string;

  constructor(private readonly registry: WorkspaceRegistry) {
    this.item.name = 'Prompt Registry: Model';
    this.store.add(vscode.window.onDidChangeActiveTextEditor(() => this.update()));
    this.store.add(registry.onDidChange(() => this.update()));
    this.update();
  }

  update(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const at = this.registry.promptFileAt(doc?.uri);
    const ws = at?.ws;
    const prompt = at && ws?.get(at.file);
    if (!ws || !prompt || !doc) {
      this.shown = false;
      this.item.hide();
      return;
    }
    const info = describePrompt(prompt, ws, ws.modelCatalog, new Date(), ws.catalog.stored);
    const s = info.status;
    const m = s.model;
    const price =
      m && (m.inputPricePer1M !== undefined || m.outputPricePer1M !== undefined)
        ? formatPrice(m.inputPricePer1M, m.outputPricePer1M)
        : undefined;
    const problem = s.severity !== 'ok' ? s.severity : undefined;
    this.item.text = `$(${problem ?? 'symbol-enum'}) ${info.description}${price ? ` · ${price}` : ''}`;
    this.item.backgroundColor = problem ? new vscode.ThemeColor(`statusBarItem.${problem}Background`) : undefined;
    this.item.text += this.keyNote ? ' $(key)' : '';
    const tooltip = promptTooltipMarkdown(info, 'Click to change the model');
    if (this.keyNote) tooltip.appendMarkdown(`\n\n---\n\n$(key) ${this.keyNote}`);
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = {
      label: `Prompt model: ${info.description}${price ? `, ${price} per million tokens, input and output` : ''}${problem && s.message ? `. ${s.message}` : ''}`,
    };
    this.item.command = { command: 'promptRegistry.changeModel', title: 'Change Model…', arguments: [doc.uri] };
    this.shown = true;
    this.item.show();
  }

  setKeyNote(note: string | undefined): void {
    this.keyNote = note;
    this.update();
  }

  dispose(): void {
    this.store.dispose();
  }
}
