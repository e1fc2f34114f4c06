import * as vscode from 'vscode';

export type MessageSeverity = 'info' | 'warning' | 'error';

/** Shows one non-modal message with its buttons; resolves with the button chosen, or undefined when dismissed. */
export type ShowMessage = (
  severity: MessageSeverity,
  message: string,
  actions: string[],
) => Thenable<string | undefined>;

export const showWithWindow: ShowMessage = (severity, message, actions) =>
  severity === 'info'
    ? vscode.window.showInformationMessage(message, ...actions)
    : severity === 'warning'
      ? vscode.window.showWarningMessage(message, ...actions)
      : vscode.window.showErrorMessage(message, ...actions);

/**
 * The notifications the commands show (not the modals, which ask before acting). `show` is replaceable
 * through the extension API, so integration tests can read the exact text the user sees and press a button.
 */
export class Notifier {
  show: ShowMessage = showWithWindow;

  info(message: string, ...actions: string[]): Thenable<string | undefined> {
    return this.show('info', message, actions);
  }

  warn(message: string, ...actions: string[]): Thenable<string | undefined> {
    return this.show('warning', message, actions);
  }

  error(message: string, ...actions: string[]): Thenable<string | undefined> {
    return this.show('error', message, actions);
  }
}
