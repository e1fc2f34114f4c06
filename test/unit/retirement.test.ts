import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { estimatedValues } from '../../src/core/catalog/format';
import { modelRows } from '../../src/core/catalog/listing';
import { isAvailable, isRetired } from '../../src/core/catalog/lookup';
import { refreshCatalog } from '../../src/core/catalog/refresh';
import { catalogPath, parseCatalog } from '../../src/core/catalog/store';
import { parseConfig } from '../../src/core/config/load';
import { checkModel } from '../../src/core/validation/validatePrompt';
import { FakeOpenAI } from '../support/fakeOpenAI';
import { catalogOf, model } from './helpers/catalog';
import { tmpDir } from './helpers/tmp';

const config = parseConfig(undefined, '/x').config;
const range = () => ({ start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
const codes = (ref: string, catalog: ReturnType<typeof catalogOf>, now: Date) =>
  checkModel(ref, 'model', range, { config, catalog, now }).map((d) => d.code);

describe('shutdown dates from the provider', () => {
  let server: FakeOpenAI;
  let root: string;
  beforeEach(async () => {
    server = await new FakeOpenAI().start();
    root = tmpDir();
  });
  afterEach(() => server.stop());

  it("OpenAI's shutdown_date and OpenRouter's expiration_date become the catalog's deprecationDate", async () => {
    server.setModels([
      { id: 'gpt-old', object: 'model', created: 1700000000, owned_by: 'system', shutdown_date: '2026-12-10' },
      {
        id: 'vendor/model-x',
        name: 'Model X',
        expiration_date: '2027-01-31',
        pricing: { prompt: '0.000001', completion: '0.000002' },
      },
      { id: 'gpt-unix', shutdown_date: 1798675200 },
    ]);
    const cfg = parseConfig(
      `providers:\n  - name: local\n    baseURL: ${server.baseURL}\n`,
      '/x/prompt-registry.yaml',
      {},
    ).config;
    const r = await refreshCatalog({
      root,
      config: cfg,
      apiKeyFor: () => 'k',
      now: () => new Date('2026-11-21T00:00:00Z'),
      maxRetries: 0,
    });
    assert.equal(r.outcomes[0]!.status, 'updated');
    const c = parseCatalog(fs.readFileSync(catalogPath(root), 'utf8')).catalog!;
    const by = Object.fromEntries(c.models.map((m) => [m.id, m]));
    assert.equal(by['gpt-old']!.deprecationDate, '2026-12-10');
    assert.equal(by['gpt-old']!.sources?.deprecationDate, 'provider');
    assert.equal(by['vendor/model-x']!.deprecationDate, '2027-01-31');
    assert.equal(by['gpt-unix']!.deprecationDate, '2026-12-31');
    assert.deepEqual(codes('gpt-old', c, new Date('2026-11-21T00:00:00Z')), ['model-retiring']);
    assert.deepEqual(codes('gpt-old', c, new Date('2026-12-11T08:00:00Z')), ['inactive-model']);
  });
});

describe('a model past its shutdown date', () => {
  const catalog = catalogOf(
    model('gone', { deprecationDate: '2025-12-01' }),
    model('soon', { deprecationDate: '2026-12-10' }),
    model('listed-out', { active: false }),
    model('fine'),
  );
  const now = new Date('2026-12-02T00:00:00Z');

  it('is retired and not available; a model before its date is available', () => {
    assert.deepEqual(
      catalog.models.map((m) => [m.id, isRetired(m, now), isAvailable(m, now)]),
      [
        ['gone', true, false],
        ['soon', false, true],
        ['listed-out', false, false],
        ['fine', false, true],
      ],
    );
  });

  it('gets inactive-model, not model-retiring (gpt-4o-2024-05-13, 366 days after 2025-12-01)', () => {
    const diags = checkModel('gone', 'model', range, { config, catalog, now });
    assert.deepEqual(
      diags.map((d) => d.code),
      ['inactive-model'],
    );
    assert.match(diags[0]!.message, /was shut down on 2025-12-01 \(366 days ago\)/);
    assert.deepEqual(codes('soon', catalog, now), ['model-retiring']);
  });

  it('leaves the picker: its row is not available', () => {
    const rows = modelRows(catalog, config, [], now);
    assert.deepEqual(
      rows.filter((r) => r.available).map((r) => r.ref),
      ['fine', 'soon'],
    );
  });
});

describe('sources shown to reviewers', () => {
  it('names the values that are bundled estimates', () => {
    assert.deepEqual(estimatedValues(model('a', { sources: { price: 'snapshot', contextWindow: 'snapshot' } })), [
      'price',
      'context',
    ]);
    assert.deepEqual(estimatedValues(model('a', { sources: { price: 'provider', contextWindow: 'snapshot' } })), [
      'context',
    ]);
    assert.deepEqual(estimatedValues(model('a')), []);
  });
});
