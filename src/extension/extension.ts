import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Prompt Registry', { log: true });
  context.subscriptions.push(log);
  log.info('Prompt Registry activated');
}

export function deactivate(): void {}
