import * as assert from 'node:assert/strict';
import { knownMetadata } from '../../src/core/catalog/knownModels';
import { daysUntilRetirement, modelRef, resolveModel } from '../../src/core/catalog/lookup';
import { parseCatalog, serializeCatalog } from '../../src/core/catalog/store';
import { formatContextWindow, formatPrice } from '../../src/core/catalog/format';
import { catalogOf, model } from './helpers/catalog';

describe('catalog file', () => {
  it('serializes with stable model order and key order', () => {
    const a = catalogOf(model('b', { contextWindow: 1 }), model('a', { provider: 'z' }), model('a'));
    const text = serializeCatalog(a);
    const parsed = JSON.parse(text);
    assert.deepEqual(parsed.models.map((m: { provider: string; id: string }) => `${m.provider}/${m.id}`), ['openai/a', 'openai/b', 'z/a']);
    assert.deepEqual(Object.keys(parsed.models[1]), ['id', 'provider', 'active', 'contextWindow', 'firstSeen', 'lastSeen', 'updatedAt']);
    assert.equal(serializeCatalog(parseCatalog(text).catalog!), text, 'round trip is byte-identical');
    assert.ok(text.endsWith('}\n'));
  });

  it('reports invalid JSON at its position', () => {
    const r = parseCatalog('{\n  "version": 1,\n  "models": [,]\n}');
    assert.equal(r.catalog, undefined);
    assert.equal(r.diagnostics[0]!.code, 'catalog-invalid');
    assert.equal(r.diagnostics[0]!.range.start.line, 2);
  });

  it('reports a wrong shape with the path', () => {
    const r = parseCatalog('{"version": 1, "models": [{"id": "x"}]}');
    assert.match(r.diagnostics[0]!.message, /models\.0\.provider/);
  });
});

describe('model lookup', () => {
  const cat = catalogOf(
    model('gpt-4o'),
    model('gpt-4o', { provider: 'azure' }),
    model('gpt-4o-mini'),
    model('anthropic/claude-sonnet-4-5', { provider: 'openrouter' }),
    model('old', { active: false }),
    model('old', { provider: 'azure' }),
  );

  it('finds bare ids offered once, and slash ids that are themselves model ids', () => {
    assert.equal(resolveModel('gpt-4o-mini', cat).kind, 'found');
    const r = resolveModel('anthropic/claude-sonnet-4-5', cat);
    assert.equal(r.kind === 'found' && r.model.provider, 'openrouter');
  });

  it('requires provider/model when two providers offer the same id', () => {
    const r = resolveModel('gpt-4o', cat);
    assert.equal(r.kind, 'ambiguous');
    const q = resolveModel('azure/gpt-4o', cat);
    assert.equal(q.kind === 'found' && q.model.provider, 'azure');
  });

  it('prefers the only active copy over an inactive one elsewhere', () => {
    const r = resolveModel('old', cat);
    assert.equal(r.kind === 'found' && r.model.provider, 'azure');
  });

  it('suggests near misses for unknown ids', () => {
    assert.deepEqual(resolveModel('gpt-4o-mni', cat), { kind: 'unknown', suggestions: ['gpt-4o-mini', 'gpt-4o'] });
  });

  it('writes references bare unless ambiguous', () => {
    assert.equal(modelRef(cat.models[2]!, cat), 'gpt-4o-mini');
    assert.equal(modelRef(cat.models[1]!, cat), 'azure/gpt-4o');
  });

  it('counts days to a deprecation date', () => {
    const now = new Date('2026-11-21T12:00:00Z');
    assert.equal(daysUntilRetirement(model('x', { deprecationDate: '2026-12-01' }), now), 10);
    assert.equal(daysUntilRetirement(model('x', { deprecationDate: '2026-11-01' }), now), -20);
    assert.equal(daysUntilRetirement(model('x'), now), undefined);
  });
});

describe('bundled metadata', () => {
  it('knows prices and context windows of common models, also prefixed or dated', () => {
    assert.equal(knownMetadata('gpt-4o')?.inputPricePer1M, 2.5);
    assert.equal(knownMetadata('openai/gpt-4o-mini')?.contextWindow, 128_000);
    assert.equal(knownMetadata('gpt-4o-2024-08-06')?.displayName, 'GPT-4o');
    assert.equal(knownMetadata('no-such-model'), undefined);
  });

  it('formats prices and windows for people', () => {
    assert.equal(formatPrice(2.5, 10), '$2.50 / $10.00');
    assert.equal(formatPrice(0.05, 0.4), '$0.050 / $0.40');
    assert.equal(formatPrice(0, 0), 'free / free');
    assert.equal(formatPrice(), '—');
    assert.equal(formatContextWindow(128_000), '128k');
    assert.equal(formatContextWindow(1_047_576), '1.0M');
    assert.equal(formatContextWindow(2_000_000), '2M');
  });
});
