import * as vscode from 'vscode';

export interface PickOptions<T extends vscode.QuickPickItem = vscode.QuickPickItem> {
  title?: string;
  placeHolder?: string;
  canPickMany?: boolean;
  /** The item highlighted when the pick opens (default: the first). */
  active?: T;
  /** Typing also filters on description and detail (default true). */
  matchOnDescription?: boolean;
  matchOnDetail?: boolean;
}

/** Offers `items`; resolves with the one chosen (an array with canPickMany), or undefined when dismissed. */
export type Pick = <T extends vscode.QuickPickItem>(
  items: readonly T[],
  options: PickOptions<T>,
) => Promise<T | T[] | undefined>;

/** What a pick offered, when it opened. */
export interface PickShown {
  title?: string;
  placeHolder?: string;
  canPickMany: boolean;
  items: readonly vscode.QuickPickItem[];
}

/**
 * The quick picks the commands show (not the model picker, which has its own). `pick` is replaceable through
 * the extension API, so integration tests answer picks with the items the user would see, as the notifier
 * does for messages. `onDidShow` fires once the items are on offer: after the real quick pick opened (quick
 * picks have no "shown" event of their own), or just before a replaced `pick` is called.
 */
export class QuickPicker implements vscode.Disposable {
  private readonly shown = new vscode.EventEmitter<PickShown>();
  readonly onDidShow = this.shown.event;
  private readonly real: Pick = (items, options) => showPick(items, options, () => this.fire(items, options));
  pick: Pick = this.real;

  async one<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions<T>): Promise<T | undefined> {
    const r = await this.offer(items, { ...options, canPickMany: false });
    return Array.isArray(r) ? r[0] : r;
  }

  async many<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions<T>): Promise<T[] | undefined> {
    const r = await this.offer(items, { ...options, canPickMany: true });
    return r === undefined || Array.isArray(r) ? r : [r];
  }

  dispose(): void {
    this.shown.dispose();
  }

  private offer<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions<T>) {
    if (this.pick !== this.real) this.fire(items, options);
    return this.pick(items, options);
  }

  private fire(items: readonly vscode.QuickPickItem[], o: Omit<PickOptions, 'active'>): void {
    this.shown.fire({ title: o.title, placeHolder: o.placeHolder, canPickMany: !!o.canPickMany, items });
  }
}

function showPick<T extends vscode.QuickPickItem>(
  items: readonly T[],
  options: PickOptions<T>,
  opened: () => void,
): Promise<T | T[] | undefined> {
  return new Promise((resolve) => {
    // Disposing the quick pick disposes its listeners.
    const qp = vscode.window.createQuickPick<T>();
    qp.title = options.title;
    qp.placeholder = options.placeHolder;
    qp.canSelectMany = !!options.canPickMany;
    qp.matchOnDescription = options.matchOnDescription ?? true;
    qp.matchOnDetail = options.matchOnDetail ?? true;
    qp.items = items;
    if (qp.canSelectMany) qp.selectedItems = items.filter((i) => i.picked);
    if (options.active) qp.activeItems = [options.active];
    let done = false;
    const finish = (value: T | T[] | undefined) => {
      if (done) return;
      done = true;
      resolve(value);
      qp.dispose();
    };
    qp.onDidAccept(() => finish(qp.canSelectMany ? [...qp.selectedItems] : (qp.selectedItems[0] ?? qp.activeItems[0])));
    qp.onDidHide(() => finish(undefined));
    qp.show();
    opened();
  });
}
