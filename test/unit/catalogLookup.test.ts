import * as assert from 'node:assert/strict';
import {
  daysUntilRetirement,
  isAvailable,
  isRetired,
  modelRef,
  resolveModel,
  retirementWindow,
} from '../../src/core/catalog/lookup';
import { catalogOf, model } from './helpers/catalog';

// Model references and retirement dates, pinned directly: catalog.test.ts reaches them through whole flows.
const DAY = 24 * 60 * 60 * 1000;
const at = (iso: string) => new Date(iso);

describe('catalog lookup: resolveModel', () => {
  it('a bare id offered by one provider is found', () => {
    const gpt = model('gpt-4o');
    const r = resolveModel('gpt-4o', catalogOf(model('gpt-4o-mini'), gpt));
    assert.deepEqual(r, { kind: 'found', model: gpt });
  });

  it('a bare id offered by two active providers is ambiguous, with both as candidates in catalog order', () => {
    const a = model('claude', { provider: 'anthropic' });
    const b = model('claude', { provider: 'openrouter' });
    assert.deepEqual(resolveModel('claude', catalogOf(a, model('other'), b)), {
      kind: 'ambiguous',
      candidates: [a, b],
    });
  });

  it('a bare id offered twice, once active, is the active one', () => {
    const old = model('claude', { provider: 'anthropic', active: false });
    const live = model('claude', { provider: 'openrouter' });
    assert.deepEqual(resolveModel('claude', catalogOf(old, live)), { kind: 'found', model: live });
  });

  it('a bare id offered twice, both inactive, stays ambiguous', () => {
    const a = model('claude', { provider: 'anthropic', active: false });
    const b = model('claude', { provider: 'openrouter', active: false });
    assert.deepEqual(resolveModel('claude', catalogOf(a, b)), { kind: 'ambiguous', candidates: [a, b] });
  });

  it('two active copies out of three stay ambiguous, with all three as candidates', () => {
    const a = model('claude', { provider: 'anthropic' });
    const b = model('claude', { provider: 'bedrock', active: false });
    const c = model('claude', { provider: 'openrouter' });
    assert.deepEqual(resolveModel('claude', catalogOf(a, b, c)), { kind: 'ambiguous', candidates: [a, b, c] });
  });

  it('provider/id picks that provider’s model among several with the id', () => {
    const a = model('claude', { provider: 'anthropic' });
    const b = model('claude', { provider: 'openrouter' });
    assert.deepEqual(resolveModel('openrouter/claude', catalogOf(a, b)), { kind: 'found', model: b });
    assert.deepEqual(resolveModel('anthropic/claude', catalogOf(a, b)), { kind: 'found', model: a });
  });

  it('an id that itself contains a slash matches as a bare id before provider/id', () => {
    const routed = model('anthropic/claude', { provider: 'openrouter' });
    const direct = model('claude', { provider: 'anthropic' });
    assert.deepEqual(resolveModel('anthropic/claude', catalogOf(direct, routed)), { kind: 'found', model: routed });
  });

  it('provider/id with a provider that does not offer the id is unknown', () => {
    const r = resolveModel('mistral/claude', catalogOf(model('claude', { provider: 'anthropic' })));
    assert.equal(r.kind, 'unknown');
  });

  it('provider/id matches provider and id exactly, not as prefixes', () => {
    const c = catalogOf(model('claude-3', { provider: 'anthropic' }), model('claude', { provider: 'anthropic-eu' }));
    assert.equal(resolveModel('anthropic/claude', c).kind, 'unknown');
  });

  it('an unknown id suggests similar ids of active models only, each once', () => {
    const c = catalogOf(
      model('gpt-4o', { provider: 'openai' }),
      model('gpt-4o', { provider: 'azure' }),
      model('gpt-4a', { active: false }),
      model('llama-3'),
    );
    assert.deepEqual(resolveModel('gpt-4', c), { kind: 'unknown', suggestions: ['gpt-4o'] });
  });

  it('an unknown id in an empty catalog has no suggestions', () => {
    assert.deepEqual(resolveModel('gpt-4o', catalogOf()), { kind: 'unknown', suggestions: [] });
  });
});

describe('catalog lookup: modelRef', () => {
  it('is the bare id when no other provider offers it', () => {
    const gpt = model('gpt-4o');
    assert.equal(modelRef(gpt, catalogOf(gpt, model('gpt-4o-mini'))), 'gpt-4o');
  });

  it('is provider/id when another provider offers the same id', () => {
    const a = model('claude', { provider: 'anthropic' });
    const b = model('claude', { provider: 'openrouter' });
    const c = catalogOf(a, b);
    assert.equal(modelRef(a, c), 'anthropic/claude');
    assert.equal(modelRef(b, c), 'openrouter/claude');
  });
});

describe('catalog lookup: retirement', () => {
  it('no deprecation date: no days, never retired, available while active', () => {
    const m = model('gpt-4o');
    assert.equal(daysUntilRetirement(m, at('2026-06-01T12:00:00Z')), undefined);
    assert.equal(isRetired(m, at('2099-01-01T00:00:00Z')), false);
    assert.equal(isAvailable(m, at('2099-01-01T00:00:00Z')), true);
  });

  it('an unparsable date counts as none', () => {
    const m = model('gpt-4o', { deprecationDate: '2026-99-99' });
    assert.equal(daysUntilRetirement(m, at('2026-06-01T12:00:00Z')), undefined);
    assert.equal(isRetired(m, at('2099-01-01T00:00:00Z')), false);
    assert.deepEqual(retirementWindow([m], at('2026-06-01T12:00:00Z')), { from: undefined, until: undefined });
  });

  it('a bare day is its UTC midnight: days are counted up to it, rounded up', () => {
    const m = model('gpt-4o', { deprecationDate: '2026-06-03' });
    assert.equal(daysUntilRetirement(m, at('2026-06-01T12:00:00Z')), 2);
    assert.equal(daysUntilRetirement(m, at('2026-06-02T00:00:00Z')), 1);
    assert.equal(daysUntilRetirement(m, at('2026-06-02T00:00:00.001Z')), 1);
    assert.equal(daysUntilRetirement(m, at('2026-06-03T00:00:00Z')), 0);
    assert.equal(daysUntilRetirement(m, at('2026-06-05T12:00:00Z')), -2);
  });

  it('a full timestamp is used as it is', () => {
    const m = model('gpt-4o', { deprecationDate: '2026-06-03T12:00:00Z' });
    assert.equal(daysUntilRetirement(m, at('2026-06-01T12:00:00Z')), 2);
    assert.equal(daysUntilRetirement(m, at('2026-06-01T12:00:00.001Z')), 2);
    assert.equal(daysUntilRetirement(m, at('2026-06-02T12:00:00.001Z')), 1);
  });

  it('is retired only from the day after its shutdown date', () => {
    const m = model('gpt-4o', { deprecationDate: '2026-06-03' });
    assert.equal(isRetired(m, at('2026-06-02T23:59:59Z')), false);
    assert.equal(isRetired(m, at('2026-06-03T00:00:00Z')), false);
    assert.equal(isRetired(m, at('2026-06-03T23:59:59Z')), false);
    assert.equal(isRetired(m, at('2026-06-04T00:00:00Z')), true);
    assert.equal(isRetired(m, at('2026-07-01T00:00:00Z')), true);
  });

  it('is available only when active and not retired', () => {
    const live = model('a', { deprecationDate: '2026-06-03' });
    const inactive = model('b', { active: false, deprecationDate: '2026-06-03' });
    assert.equal(isAvailable(live, at('2026-06-01T00:00:00Z')), true);
    assert.equal(isAvailable(live, at('2026-06-05T00:00:00Z')), false);
    assert.equal(isAvailable(inactive, at('2026-06-01T00:00:00Z')), false);
    assert.equal(isAvailable(inactive, at('2026-06-05T00:00:00Z')), false);
  });
});

describe('catalog lookup: retirementWindow', () => {
  const now = at('2026-06-01T12:00:00Z');

  it('is unbounded on both sides without dated models', () => {
    assert.deepEqual(retirementWindow([], now), { from: undefined, until: undefined });
    assert.deepEqual(retirementWindow([model('a')], now), { from: undefined, until: undefined });
  });

  it('for one date, is the day-long span in which its day count stays the same', () => {
    const w = retirementWindow([model('a'), model('b', { deprecationDate: '2026-06-03' })], now);
    assert.deepEqual(w, { from: Date.parse('2026-06-01T00:00:00Z'), until: Date.parse('2026-06-02T00:00:00Z') });
    const m = model('b', { deprecationDate: '2026-06-03' });
    assert.equal(daysUntilRetirement(m, new Date(w.from!)), daysUntilRetirement(m, now));
    assert.equal(daysUntilRetirement(m, new Date(w.until! - 1)), daysUntilRetirement(m, now));
    assert.notEqual(daysUntilRetirement(m, new Date(w.until!)), daysUntilRetirement(m, now));
    assert.notEqual(daysUntilRetirement(m, new Date(w.from! - 1)), daysUntilRetirement(m, now));
  });

  it('for several dates, is the overlap of their spans (latest start, earliest end)', () => {
    const models = [
      model('a', { deprecationDate: '2026-06-03' }),
      model('b', { deprecationDate: '2026-06-10T06:00:00Z' }),
      model('c', { deprecationDate: '2026-05-20T18:00:00Z' }),
    ];
    assert.deepEqual(retirementWindow(models, now), {
      from: Date.parse('2026-06-01T06:00:00Z'),
      until: Date.parse('2026-06-01T18:00:00Z'),
    });
    assert.deepEqual(retirementWindow([...models].reverse(), now), retirementWindow(models, now));
  });

  it('a date exactly now starts a new span', () => {
    const w = retirementWindow([model('a', { deprecationDate: '2026-06-01T12:00:00Z' })], now);
    assert.deepEqual(w, { from: now.getTime(), until: now.getTime() + DAY });
  });
});
