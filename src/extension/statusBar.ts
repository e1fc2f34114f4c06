import * as vscode from 'vscode';
import { formatPrice } from '../core/catalog/format';
import { describePrompt } from '../core/views/promptIndex';
import { promptTooltipMarkdown } from './views/presentation';
import type { WorkspaceRegistry } from './workspaces';

/**
 * The active prompt's model and price in the status bar; a click opens the
 * model picker. Hidden when the active editor is not a prompt file.
 */
export class ModelStatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('promptRegistry.model', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[];
  /** Whether the item is showing; StatusBarItem does not say. */
  shown = false;

  constructor(private readonly registry: WorkspaceRegistry) {
    this.item.name = 'Prompt Registry: Model';
    this.subscriptions = [vscode.window.onDidChangeActiveTextEditor(() => this.update()), registry.onDidChange(() => this.update())];
    this.update();
  }

  update(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const file = doc?.uri.scheme === 'file' ? doc.uri.fsPath : undefined;
    const ws = file ? this.registry.forFile(file) : undefined;
    const prompt = file ? ws?.get(file) : undefined;
    if (!ws || !prompt || !doc) {
      this.shown = false;
      this.item.hide();
      return;
    }
    const info = describePrompt(prompt, ws, ws.modelCatalog, new Date());
    const s = info.status;
    const m = s.model;
    const price = m && (m.inputPricePer1M !== undefined || m.outputPricePer1M !== undefined) ? formatPrice(m.inputPricePer1M, m.outputPricePer1M) : undefined;
    const problem = s.severity !== 'ok' ? s.severity : undefined;
    this.item.text = `$(${problem ?? 'symbol-enum'}) ${info.description}${price ? ` · ${price}` : ''}`;
    this.item.backgroundColor = problem ? new vscode.ThemeColor(`statusBarItem.${problem}Background`) : undefined;
    this.item.tooltip = promptTooltipMarkdown(info, 'Click to change the model');
    this.item.accessibilityInformation = {
      label: `Prompt model: ${info.description}${price ? `, ${price} per million tokens, input and output` : ''}${problem && s.message ? `. ${s.message}` : ''}`,
    };
    this.item.command = { command: 'promptRegistry.changeModel', title: 'Change Model…', arguments: [doc.uri] };
    this.shown = true;
    this.item.show();
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
    this.item.dispose();
  }
}

export function registerStatusBar(registry: WorkspaceRegistry): ModelStatusBar {
  return new ModelStatusBar(registry);
}
