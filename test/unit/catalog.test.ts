import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findSnapshotModel, MODEL_DATA, snapshotMetadata, type ModelData } from '../../src/core/catalog/modelData';
import { daysUntilRetirement, modelRef, resolveModel } from '../../src/core/catalog/lookup';
import { parseCatalog, serializeCatalog } from '../../src/core/catalog/store';
import { formatContextWindow, formatPrice } from '../../src/core/catalog/format';
import { catalogOf, model } from './helpers/catalog';

describe('catalog file', () => {
  it('serializes with stable model order and key order', () => {
    const a = catalogOf(model('b', { contextWindow: 1 }), model('a', { provider: 'z' }), model('a'));
    const text = serializeCatalog(a);
    const parsed = JSON.parse(text);
    assert.deepEqual(
      parsed.models.map((m: { provider: string; id: string }) => `${m.provider}/${m.id}`),
      ['openai/a', 'openai/b', 'z/a'],
    );
    assert.deepEqual(Object.keys(parsed.models[1]), [
      'id',
      'provider',
      'active',
      'contextWindow',
      'firstSeen',
      'lastSeen',
      'updatedAt',
    ]);
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

describe('bundled metadata snapshot', () => {
  const canonical = (id: string) => {
    const h = findSnapshotModel(id);
    return h && `${h.vendor}/${h.model.id}`;
  };

  it('knows prices and context windows of common models', () => {
    assert.equal(snapshotMetadata('gpt-4o')?.inputPricePer1M, 2.5);
    assert.equal(snapshotMetadata('gpt-4o')?.outputPricePer1M, 10);
    assert.equal(snapshotMetadata('openai/gpt-4o-mini')?.contextWindow, 128_000);
    assert.equal(snapshotMetadata('no-such-model'), undefined);
    assert.equal(snapshotMetadata('my-finetune'), undefined);
  });

  it('covers the vendors reached through OpenAI-compatible endpoints', () => {
    for (const id of [
      'claude-sonnet-4-5',
      'gemini-2.5-flash',
      'mistral-large-latest',
      'deepseek-chat',
      'grok-4',
      'command-r-plus',
      'kimi-k2',
    ]) {
      const m = snapshotMetadata(id);
      assert.ok(m?.inputPricePer1M !== undefined && m.outputPricePer1M !== undefined, `${id} has a price`);
    }
  });

  it('matches ids across naming styles', () => {
    const same: [string, string][] = [
      ['claude-3-5-sonnet-20241022', 'anthropic/claude-3-5-sonnet'],
      ['anthropic/claude-3.5-sonnet', 'anthropic/claude-3-5-sonnet'],
      ['openrouter/anthropic/claude-3.5-sonnet', 'anthropic/claude-3-5-sonnet'],
      ['claude-3-5-sonnet-latest', 'anthropic/claude-3-5-sonnet'],
      ['claude-3-5-sonnet@20240620', 'anthropic/claude-3-5-sonnet'],
      ['claude-sonnet-4.5', 'anthropic/claude-sonnet-4-5'],
      ['claude-sonnet-4-5-20250929', 'anthropic/claude-sonnet-4-5'],
      ['gpt-4o-2024-08-06', 'openai/gpt-4o'],
      ['openai/gpt-4o', 'openai/gpt-4o'],
      ['GPT-4o', 'openai/gpt-4o'],
      ['mistralai/mistral-large', 'mistral/mistral-large'],
      ['x-ai/grok-4', 'xai/grok-4-0709'],
    ];
    for (const [id, expected] of same) assert.equal(canonical(id), expected, id);
  });

  it("a dated snapshot with its own entry keeps its own price (gpt-4o-2024-05-13 is not gpt-4o's)", () => {
    assert.equal(canonical('gpt-4o-2024-05-13'), 'openai/gpt-4o-2024-05-13');
    assert.equal(snapshotMetadata('gpt-4o-2024-05-13')?.inputPricePer1M, 5);
  });

  it("a vendor prefix limits the match to that vendor, and the source's rules win over the variants", () => {
    const data: ModelData = {
      source: 't',
      sourceVersion: '0',
      license: 'MIT',
      generated: '2026-01-01',
      vendors: {
        a: { name: 'A', models: [{ id: 'x-1', match: { equals: 'x-1' }, input: 1 }] },
        b: {
          name: 'B',
          models: [
            { id: 'x-1', match: { starts_with: 'x-1' }, input: 2 },
            { id: 'x-1.5', match: { equals: 'x-1.5' }, input: 3 },
          ],
        },
      },
    };
    assert.equal(snapshotMetadata('x-1', data)?.inputPricePer1M, 1);
    assert.equal(snapshotMetadata('b/x-1', data)?.inputPricePer1M, 2);
    assert.equal(
      snapshotMetadata('x-1-5', data)?.inputPricePer1M,
      2,
      'starts_with x-1 matches before the dotted variant is tried',
    );
    assert.equal(snapshotMetadata('y', data), undefined);
  });

  it('marks a few models recommended (an editorial list), dated ids too', () => {
    assert.equal(snapshotMetadata('gpt-5-2025-08-07')?.recommended, true);
    assert.equal(snapshotMetadata('gpt-4o')?.recommended, undefined);
  });

  it('is a small, dated snapshot with its source and license', () => {
    assert.match(MODEL_DATA.generated, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(MODEL_DATA.source, '@pydantic/genai-prices');
    assert.equal(MODEL_DATA.license, 'MIT');
    const size = fs.statSync(path.join(__dirname, '../../src/core/catalog/modelData.json')).size;
    assert.ok(size < 200 * 1024, `${size} bytes`);
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
