import * as vscode from 'vscode';

/** A quick pick as it opened: its title, the labels offered (without their icons) and the labels checked at the start. */
export interface PickShown {
  title: string;
  labels: string[];
  /** The descriptions beside the labels, in the same order ('' for none). */
  descriptions: string[];
  checked: string[];
}

/** A scripted answer: the labels (or descriptions) to accept, or undefined to dismiss the pick (Escape). */
export type PickAnswer = (shown: PickShown) => string[] | undefined;

export interface PickOptions<T> {
  title: string;
  placeholder?: string;
  canPickMany?: boolean;
  /** Items checked when a multi-select opens. */
  checked?: (item: T) => boolean;
  /** Item active (highlighted) when the pick opens. */
  active?: (item: T) => boolean;
  /** A multi-select accepted with nothing checked takes the highlighted item (default true); false: takes none. */
  emptyAcceptsActive?: boolean;
  /** Called once the pick is open with its items (before a queued test answer is applied). */
  onShown?: () => void;
}

/**
 * The quick picks of the palette commands. A multi-select accepts the highlighted item when nothing is
 * checked, so one choice is still one Enter (typing highlights the first item with every typed word).
 * Tests (through the extension API) queue answers, which are applied to the real, open quick pick, so the
 * code under test is the code users run.
 */
export class QuickPicks implements vscode.Disposable {
  private readonly shown = new vscode.EventEmitter<PickShown>();
  readonly onDidShow = this.shown.event;
  private readonly answers: PickAnswer[] = [];

  /** Answers the next pick to open (tests). */
  answerNext(answer: PickAnswer): void {
    this.answers.push(answer);
  }

  pick<T extends vscode.QuickPickItem>(items: readonly T[], opts: PickOptions<T>): Promise<T[] | undefined> {
    return new Promise((resolve) => {
      const qp = vscode.window.createQuickPick<T>();
      let done = false;
      qp.title = opts.title;
      qp.placeholder = opts.placeholder;
      qp.canSelectMany = !!opts.canPickMany;
      qp.matchOnDescription = true;
      qp.ignoreFocusOut = true;
      qp.items = items;
      const selectable = items.filter((i) => i.kind !== vscode.QuickPickItemKind.Separator);
      if (opts.canPickMany && opts.checked) qp.selectedItems = selectable.filter(opts.checked);
      const active = opts.active && selectable.find(opts.active);
      if (active) qp.activeItems = [active];
      const emptyAcceptsActive = opts.emptyAcceptsActive ?? true;
      const accept = (chosen: readonly T[]) => {
        if (!chosen.length && (emptyAcceptsActive || !qp.canSelectMany)) return;
        done = true;
        resolve([...chosen]);
        qp.hide();
      };
      qp.onDidAccept(() =>
        accept(
          qp.canSelectMany && (qp.selectedItems.length || !emptyAcceptsActive) ? qp.selectedItems : qp.activeItems,
        ),
      );
      // A multi-select highlights nothing as the user types, so Enter would accept nothing: highlight the first
      // item that has every typed word, and "changed" + Enter runs that choice as in a single pick.
      if (opts.canPickMany)
        qp.onDidChangeValue((value) => {
          const words = value.toLowerCase().split(/\s+/).filter(Boolean);
          const first = words.length
            ? selectable.find((i) =>
                words.every((w) => `${plain(i.label)} ${i.description ?? ''}`.toLowerCase().includes(w)),
              )
            : undefined;
          if (first) qp.activeItems = [first];
        });
      qp.onDidHide(() => {
        qp.dispose();
        if (!done) resolve(undefined);
      });
      qp.show();
      const shown: PickShown = {
        title: opts.title,
        labels: selectable.map((i) => plain(i.label)),
        descriptions: selectable.map((i) => i.description ?? ''),
        checked: qp.selectedItems.map((i) => plain(i.label)),
      };
      opts.onShown?.();
      this.shown.fire(shown);
      const answer = this.answers.shift();
      if (!answer) return;
      const labels = answer(shown);
      if (!labels) return qp.hide();
      const chosen = labels.map((l) => {
        const item = selectable.find((i) => plain(i.label) === l || i.description === l);
        if (!item) {
          done = true;
          qp.hide();
          throw new Error(`no item "${l}" in the pick "${opts.title}" (offered: ${shown.labels.join(' | ')})`);
        }
        return item;
      });
      if (qp.canSelectMany) qp.selectedItems = chosen;
      else qp.activeItems = chosen;
      accept(chosen);
    });
  }

  dispose(): void {
    this.shown.dispose();
  }
}

const plain = (label: string) => label.replace(/^(\$\([\w~-]+\)\s*)+/, '');

/** The one instance, owned by the extension's store (extension.ts), like the model picker's event. */
export const quickPicks = new QuickPicks();
