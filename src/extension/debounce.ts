import type * as vscode from 'vscode';

/** Runs `fn(key)` once `ms` after the last call for that key; typing does not revalidate on every keystroke. */
export class KeyedDebouncer<K> implements vscode.Disposable {
  private readonly timers = new Map<K, NodeJS.Timeout>();

  constructor(
    private readonly ms: number,
    private readonly fn: (key: K) => void,
  ) {}

  trigger(key: K): void {
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.fn(key);
      }, this.ms),
    );
  }

  cancel(key: K): void {
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
