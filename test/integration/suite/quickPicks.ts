// Answers the extension's quick picks (src/extension/quickPicker.ts) through its API, as captureNotifications
// does for messages: the test says which item to choose, and reads what each pick offered.
import * as vscode from 'vscode';
import type { Pick, PickShown, QuickPicker } from '../../../src/extension/quickPicker';
import { EXTENSION_ID, WAIT_MS } from './helpers';

/** What one pick offered. */
export interface PickSeen {
  title?: string;
  placeHolder?: string;
  canPickMany: boolean;
  items: { label: string; description?: string; detail?: string }[];
}

/**
 * Replaces the extension's picker until disposed. The n-th pick shown is answered by `answers[n]`: the items
 * whose label matches it (the first one, or all with canPickMany), or dismissed when it is undefined or there
 * are fewer answers than picks. An answer that matches no item makes the command fail, naming the items.
 */
export function answerPicks(answers: (RegExp | undefined)[]): vscode.Disposable & { seen: PickSeen[] } {
  const picker = (vscode.extensions.getExtension(EXTENSION_ID)!.exports as { quickPicker: QuickPicker }).quickPicker;
  const original = picker.pick;
  const seen: PickSeen[] = [];
  const pick: Pick = async (items, options) => {
    seen.push({
      title: options.title,
      placeHolder: options.placeHolder,
      canPickMany: !!options.canPickMany,
      items: items.map((i) => ({ label: i.label, description: i.description, detail: i.detail })),
    });
    const answer = answers[seen.length - 1];
    if (!answer) return undefined;
    const hits = items.filter((i) => answer.test(i.label));
    if (!hits.length)
      throw new Error(
        `no item matches ${answer} in the pick "${options.title}": ${items.map((i) => i.label).join(' | ')}`,
      );
    return options.canPickMany ? hits : hits[0];
  };
  picker.pick = pick;
  return {
    seen,
    dispose: () => {
      picker.pick = original;
    },
  };
}

/**
 * Starts listening for the next pick the real picker opens, before the command that opens it runs: resolves
 * once it is open with its items, so the quick-open commands (select next, accept) reach it.
 */
export function nextPick(what: string, timeoutMs = WAIT_MS): Promise<PickShown> {
  const picker = (vscode.extensions.getExtension(EXTENSION_ID)!.exports as { quickPicker: QuickPicker }).quickPicker;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for the quick pick of ${what}`));
    }, timeoutMs);
    const sub = picker.onDidShow((shown) => {
      clearTimeout(timer);
      sub.dispose();
      resolve(shown);
    });
  });
}
