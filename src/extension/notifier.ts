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

/** Asks in a modal warning before acting; resolves with the button chosen, or undefined for Cancel. */
export type AskModal = (message: string, detail: string | undefined, actions: string[]) => Thenable<string | undefined>;

export const askWithWindow: AskModal = (message, detail, actions) =>
  vscode.window.showWarningMessage(message, { modal: true, detail }, ...actions);

/**
 * The notifications the commands show, and the modals that ask before a bulk edit. `show` and `ask` are
 * replaceable through the extension API, so integration tests can read the exact text the user sees and
 * press a button (a modal cannot be answered from the extension host otherwise).
 */
export class Notifier {
  show: ShowMessage = showWithWindow;
  ask: AskModal = askWithWindow;

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
