import * as assert from 'node:assert/strict';
import { describeShrink, mergeProviderModels, shrinkProblem } from '../../src/core/catalog/merge';
import { catalogOf, model } from './helpers/catalog';

// The merge rules and the shrink guard, pinned on whole records: catalogSync.test.ts drives them through a server.
const DAY = new Date('2026-11-21T09:30:00Z');
const OLD = '2026-01-01T00:00:00.000Z';
const merge = (before: ReturnType<typeof catalogOf>, fetched: Parameters<typeof mergeProviderModels>[2]) =>
  mergeProviderModels(before, 'p', fetched, DAY);

describe('catalog merge rules', () => {
  it('a duplicate id in the list counts once, with the values of its first entry', () => {
    const r = merge(catalogOf(), [
      { id: 'my-model', displayName: 'First' },
      { id: 'my-model', displayName: 'Second' },
    ]);
    assert.deepEqual(r.catalog.models, [
      {
        id: 'my-model',
        provider: 'p',
        active: true,
        displayName: 'First',
        sources: { displayName: 'provider' },
        firstSeen: '2026-11-21',
        lastSeen: '2026-11-21',
        updatedAt: '2026-11-21',
      },
    ]);
    assert.deepEqual(r.changes.added, ['my-model']);
  });

  it('a model already inactive and still missing is left exactly as it was, and not counted as deactivated', () => {
    const gone = model('gone', { provider: 'p', active: false, contextWindow: 8 });
    const r = merge(catalogOf(gone, model('kept', { provider: 'p' })), [{ id: 'kept' }]);
    assert.deepEqual(
      r.catalog.models.find((m) => m.id === 'gone'),
      gone,
    );
    assert.deepEqual(r.changes, { added: [], reactivated: [], deactivated: [], updated: [] });
  });

  it('an old value without a recorded source is kept, and gets no source', () => {
    const before = catalogOf(model('my-model', { provider: 'p', contextWindow: 4096, inputPricePer1M: 1 }));
    const m = merge(before, [{ id: 'my-model' }]).catalog.models[0]!;
    assert.deepEqual(m, {
      id: 'my-model',
      provider: 'p',
      active: true,
      contextWindow: 4096,
      inputPricePer1M: 1,
      firstSeen: OLD,
      lastSeen: '2026-11-21',
      updatedAt: '2026-11-21',
    });
  });

  it('a provider that sends only an output price is the source of the prices', () => {
    const m = merge(catalogOf(), [{ id: 'gpt-5', outputPricePer1M: 20 }]).catalog.models[0]!;
    assert.deepEqual(
      { input: 'inputPricePer1M' in m, output: m.outputPricePer1M, source: m.sources?.price },
      { input: false, output: 20, source: 'provider' },
    );
  });

  it("both prices from one place: a provider's one new price drops the other old price", () => {
    const before = catalogOf(
      model('my-model', { provider: 'p', inputPricePer1M: 5, outputPricePer1M: 6, sources: { price: 'snapshot' } }),
    );
    const onlyOutput = merge(before, [{ id: 'my-model', outputPricePer1M: 7 }]);
    assert.deepEqual(onlyOutput.catalog.models[0], {
      id: 'my-model',
      provider: 'p',
      active: true,
      outputPricePer1M: 7,
      sources: { price: 'provider' },
      firstSeen: OLD,
      lastSeen: '2026-11-21',
      updatedAt: '2026-11-21',
    });
    assert.deepEqual(onlyOutput.changes.updated, ['my-model']);
    const onlyInput = merge(before, [{ id: 'my-model', inputPricePer1M: 4 }]).catalog.models[0]!;
    assert.deepEqual(
      [onlyInput.inputPricePer1M, 'outputPricePer1M' in onlyInput, onlyInput.sources],
      [4, false, { price: 'provider' }],
    );
  });

  it('recommended comes from the bundled snapshot, else from the old record; absent when neither says', () => {
    const fresh = merge(catalogOf(), [{ id: 'gpt-5' }, { id: 'gpt-4o' }, { id: 'my-model' }]).catalog.models;
    assert.deepEqual(
      fresh.map((m) => [m.id, 'recommended' in m, m.recommended]),
      [
        ['gpt-5', true, true],
        ['gpt-4o', false, undefined],
        ['my-model', false, undefined],
      ],
    );
    const byHand = catalogOf(model('my-model', { provider: 'p', recommended: true }));
    assert.equal(merge(byHand, [{ id: 'my-model' }]).catalog.models[0]!.recommended, true);
  });
});

describe('shrink guard', () => {
  const none = { added: [], reactivated: [], deactivated: [], updated: [] };
  const p = (id: string, active = true) => model(id, { provider: 'p', active });

  it("counts only this provider's active models: another provider's models do not dilute the threshold", () => {
    const before = catalogOf(
      ...['a', 'b', 'c', 'd'].map((id) => p(id)),
      ...Array.from({ length: 10 }, (_, i) => model(`q-${i}`, { provider: 'q' })),
    );
    const r = merge(before, [{ id: 'a' }]);
    assert.deepEqual(shrinkProblem(before, 'p', 1, r.changes), { kind: 'mass-deactivation', deactivated: 3, total: 4 });
  });

  it("counts only this provider's active models: its inactive records do not dilute the threshold", () => {
    const before = catalogOf(
      ...['a', 'b', 'c', 'd'].map((id) => p(id)),
      ...['w', 'x', 'y', 'z'].map((id) => p(id, false)),
    );
    const r = merge(before, [{ id: 'a' }]);
    assert.deepEqual(shrinkProblem(before, 'p', 1, r.changes), { kind: 'mass-deactivation', deactivated: 3, total: 4 });
  });

  it('an empty list is refused even for a provider with no records yet; half is allowed, more than half is not', () => {
    assert.deepEqual(shrinkProblem(catalogOf(), 'p', 0, none), { kind: 'empty-list' });
    const four = catalogOf(...['a', 'b', 'c', 'd'].map((id) => p(id)));
    assert.equal(shrinkProblem(four, 'p', 2, merge(four, [{ id: 'a' }, { id: 'b' }]).changes), undefined);
    assert.equal(shrinkProblem(catalogOf(), 'p', 3, merge(catalogOf(), [{ id: 'a' }]).changes), undefined);
  });

  it('says why in one line', () => {
    assert.equal(describeShrink({ kind: 'empty-list' }), 'the provider returned an empty model list');
    assert.equal(
      describeShrink({ kind: 'mass-deactivation', deactivated: 3, total: 4 }),
      'the refresh would deactivate 3 of 4 active models',
    );
  });
});
