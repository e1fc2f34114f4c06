/**
 * One ownership pattern for everything the extension creates that must be let go:
 * each part owns a DisposableStore and adds what it creates to it; a slot whose
 * content is replaced over time (watchers that follow a setting) is a MutableDisposable.
 * Modelled on VS Code's own base/common/lifecycle. Typed structurally (anything with
 * `dispose()`, which vscode.Disposable is), so this file needs no `vscode` and is
 * unit-tested in plain Node.
 */
export interface IDisposable {
  dispose(): unknown;
}

export function toDisposable(fn: () => void): IDisposable {
  let done = false;
  return {
    dispose: () => {
      if (done) return;
      done = true;
      fn();
    },
  };
}

/** Disposes each of `items` once, in order; every one is disposed even when some throw, then the first error is rethrown. */
function disposeAll(items: Iterable<IDisposable>): void {
  const errors: unknown[] = [];
  for (const d of items) {
    try {
      d.dispose();
    } catch (e) {
      errors.push(e);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `${errors.length} errors while disposing`);
}

/**
 * The disposables one owner holds. Disposed in the order they were added. Adding to a
 * disposed store disposes the newcomer at once, so a late registration (after deactivation
 * began) never leaks.
 */
export class DisposableStore implements IDisposable {
  private readonly items = new Set<IDisposable>();
  private disposed = false;

  get isDisposed(): boolean {
    return this.disposed;
  }

  add<T extends IDisposable>(item: T): T {
    if (this.disposed) item.dispose();
    else this.items.add(item);
    return item;
  }

  /** Disposes `item` now and forgets it. */
  delete(item: IDisposable): void {
    if (!this.items.delete(item)) return;
    item.dispose();
  }

  /** Disposes everything held so far; the store stays usable. */
  clear(): void {
    const held = [...this.items];
    this.items.clear();
    disposeAll(held);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.clear();
  }
}

/** One slot: setting a new value disposes the old one; disposing the slot disposes its value. */
export class MutableDisposable<T extends IDisposable> implements IDisposable {
  private current: T | undefined;
  private disposed = false;

  get value(): T | undefined {
    return this.current;
  }

  set value(next: T | undefined) {
    if (this.disposed) {
      next?.dispose();
      return;
    }
    if (next === this.current) return;
    const old = this.current;
    this.current = next;
    old?.dispose();
  }

  clear(): void {
    this.value = undefined;
  }

  dispose(): void {
    if (this.disposed) return;
    this.clear();
    this.disposed = true;
  }
}
