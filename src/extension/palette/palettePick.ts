import * as vscode from 'vscode';

export interface PaletteItem<T> extends vscode.QuickPickItem {
  /** What choosing the item returns; separators have none. */
  value?: T;
}

/** A palette pick that opened: its title, its choosable labels in order and the highlighted one (the test hook). */
export interface PickShown {
  title: string;
  labels: string[];
  active?: string;
}

/**
 * One-choice quick picks for the palette commands. `showQuickPick` says nothing when
 * it is on screen, so anything driving it from outside (the integration tests) would
 * have to guess; this picker fires `onDidShow` once its items are set.
 */
export class PalettePicker implements vscode.Disposable {
  private readonly shown = new vscode.EventEmitter<PickShown>();
  readonly onDidShow = this.shown.event;

  pick<T>(
    title: string,
    items: PaletteItem<T>[],
    opts: { placeholder?: string; active?: T } = {},
  ): Promise<T | undefined> {
    return new Promise((resolve) => {
      const qp = vscode.window.createQuickPick<PaletteItem<T>>();
      let settled = false;
      const finish = (v: T | undefined) => {
        if (settled) return;
        settled = true;
        resolve(v);
        qp.dispose();
      };
      qp.title = title;
      qp.placeholder = opts.placeholder;
      qp.matchOnDescription = true;
      qp.items = items;
      const active = items.find((i) => i.value !== undefined && i.value === opts.active);
      if (active) qp.activeItems = [active];
      qp.onDidAccept(() => finish((qp.selectedItems[0] ?? qp.activeItems[0])?.value));
      qp.onDidHide(() => finish(undefined));
      qp.show();
      const choosable = items.filter((i) => i.kind !== vscode.QuickPickItemKind.Separator);
      this.shown.fire({
        title,
        labels: choosable.map((i) => i.label),
        active: active?.label,
      });
    });
  }

  dispose(): void {
    this.shown.dispose();
  }
}
