import * as assert from 'node:assert/strict';
import { DisposableStore, MutableDisposable, toDisposable } from '../../src/extension/lifecycle';

/** A disposable that records when it was disposed, and how often. */
function probe(log: string[], name: string, opts: { throws?: boolean } = {}) {
  return {
    dispose() {
      log.push(name);
      if (opts.throws) throw new Error(`${name} failed`);
    },
  };
}

describe('lifecycle: DisposableStore', () => {
  it('disposes what it holds once, in the order it was added', () => {
    const log: string[] = [];
    const store = new DisposableStore();
    const a = store.add(probe(log, 'a'));
    store.add(probe(log, 'b'));
    assert.equal(typeof a.dispose, 'function', 'add returns the item');
    store.dispose();
    store.dispose();
    assert.deepEqual(log, ['a', 'b']);
    assert.equal(store.isDisposed, true);
  });

  it('disposes a late addition at once (nothing leaks after deactivation began)', () => {
    const log: string[] = [];
    const store = new DisposableStore();
    store.dispose();
    store.add(probe(log, 'late'));
    assert.deepEqual(log, ['late']);
  });

  it('disposes every item even when one throws, then rethrows', () => {
    const log: string[] = [];
    const store = new DisposableStore();
    store.add(probe(log, 'a', { throws: true }));
    store.add(probe(log, 'b'));
    assert.throws(() => store.dispose(), /a failed/);
    assert.deepEqual(log, ['a', 'b']);
  });

  it('reports several failures together', () => {
    const store = new DisposableStore();
    store.add(probe([], 'a', { throws: true }));
    store.add(probe([], 'b', { throws: true }));
    assert.throws(
      () => store.dispose(),
      (e: unknown) => e instanceof AggregateError && e.errors.length === 2,
    );
  });

  it('clear disposes the content and stays usable; delete disposes one item', () => {
    const log: string[] = [];
    const store = new DisposableStore();
    store.add(probe(log, 'a'));
    store.clear();
    const b = store.add(probe(log, 'b'));
    store.add(probe(log, 'c'));
    store.delete(b);
    store.delete(b);
    assert.deepEqual(log, ['a', 'b']);
    store.dispose();
    assert.deepEqual(log, ['a', 'b', 'c']);
  });
});

describe('lifecycle: MutableDisposable', () => {
  it('disposes the old value when a new one is set, and the last one with the slot', () => {
    const log: string[] = [];
    const slot = new MutableDisposable();
    const one = probe(log, 'one');
    slot.value = one;
    slot.value = one;
    assert.deepEqual(log, [], 'setting the same value again keeps it');
    slot.value = probe(log, 'two');
    assert.deepEqual(log, ['one']);
    slot.dispose();
    assert.deepEqual(log, ['one', 'two']);
    assert.equal(slot.value, undefined);
    slot.value = probe(log, 'late');
    assert.deepEqual(log, ['one', 'two', 'late'], 'a value set after dispose is disposed at once');
  });
});

describe('lifecycle: toDisposable', () => {
  it('runs its function once', () => {
    let n = 0;
    const d = toDisposable(() => n++);
    d.dispose();
    d.dispose();
    assert.equal(n, 1);
  });
});
