import * as assert from 'node:assert/strict';
import { modelFamily, suggestReplacements } from '../../src/core/catalog/replacements';
import { parseConfig } from '../../src/core/config/load';
import type { Catalog } from '../../src/core/catalog/types';
import { catalogOf, model } from './helpers/catalog';

const NOW = new Date('2026-01-15T00:00:00Z');
const config = (yaml = '') => parseConfig(yaml, '/r/prompt-registry.yaml', {}).config;
const refs = (ref: string, catalog: Catalog, yaml = '', limit = 10) =>
  suggestReplacements(ref, catalog, config(yaml), { now: NOW, limit }).map((r) => r.ref);

describe('modelFamily', () => {
  const cases: [string, string][] = [
    ['gpt-4o', 'gpt-4o'],
    ['gpt-4o-2024-05-13', 'gpt-4o'],
    ['gpt-4o-mini', 'gpt-4o-mini'],
    ['gpt-4o-mini-2024-07-18', 'gpt-4o-mini'],
    ['gpt-3.5-turbo-0301', 'gpt-3.5-turbo'],
    ['gpt-3.5-turbo-16k', 'gpt-3.5-turbo-16k'],
    ['gpt-4-0613', 'gpt-4'],
    ['gpt-4-32k-0613', 'gpt-4-32k'],
    ['gpt-4-1106-preview', 'gpt-4'],
    ['gpt-4-turbo-2024-04-09', 'gpt-4-turbo'],
    ['o1-preview', 'o1'],
    ['o1-2024-12-17', 'o1'],
    ['chatgpt-4o-latest', 'chatgpt-4o'],
    ['claude-3-5-sonnet-20241022', 'claude-3-5-sonnet'],
    ['claude-3-5-sonnet-latest', 'claude-3-5-sonnet'],
    ['claude-opus-4-1', 'claude-opus-4-1'],
    ['claude-sonnet-4-5', 'claude-sonnet-4-5'],
    ['gemini-1.5-pro-002', 'gemini-1.5-pro'],
    ['gemini-2.5-pro-preview-05-06', 'gemini-2.5-pro'],
    ['gemini-2.0-flash-exp', 'gemini-2.0-flash'],
    ['mistral-large-2407', 'mistral-large'],
    ['anthropic/claude-3-opus-20240229', 'anthropic/claude-3-opus'],
    ['meta-llama/llama-3.1-8b-instruct:free', 'meta-llama/llama-3.1-8b-instruct'],
    ['GPT-4o-2024-05-13', 'gpt-4o'],
    ['llama3.1', 'llama3.1'],
  ];
  for (const [id, family] of cases) {
    it(`${id} → ${family}`, () => assert.equal(modelFamily(id), family));
  }

  it('never strips an id down to nothing', () => {
    assert.equal(modelFamily('-latest'), '-latest');
  });
});

describe('suggestReplacements', () => {
  it('puts the same family first, the bare alias before snapshots, newer snapshots before older', () => {
    const c = catalogOf(
      model('gpt-4o-2024-05-13', { active: false }),
      model('gpt-4o-2024-08-06'),
      model('gpt-4o-2024-11-20'),
      model('gpt-4o'),
      model('gpt-4o-mini'),
      model('gpt-4.1'),
    );
    assert.deepEqual(refs('gpt-4o-2024-05-13', c), [
      'gpt-4o',
      'gpt-4o-2024-11-20',
      'gpt-4o-2024-08-06',
      'gpt-4o-mini',
      'gpt-4.1',
    ]);
  });

  it('treats gpt-4o and gpt-4o-mini as different families, the related one before unrelated ones', () => {
    const c = catalogOf(
      model('gpt-4o-mini', { active: false }),
      model('gpt-4o'),
      model('gpt-4.1-mini'),
      model('gpt-4o-mini-2024-07-18'),
      model('o3'),
    );
    const r = suggestReplacements('gpt-4o-mini', c, config(), { now: NOW, limit: 10 });
    assert.deepEqual(
      r.map((x) => x.ref),
      ['gpt-4o-mini-2024-07-18', 'gpt-4o', 'gpt-4.1-mini', 'o3'],
    );
    assert.deepEqual(
      r.map((x) => x.sameFamily),
      [true, false, false, false],
    );
  });

  it('excludes inactive, disabled, retiring and the model itself', () => {
    const c = catalogOf(
      model('gpt-3.5-turbo-0301', { active: false }),
      model('gpt-3.5-turbo-0613', { active: false }),
      model('gpt-3.5-turbo-0125', { deprecationDate: '2026-02-01' }), // within 30 days of NOW
      model('gpt-3.5-turbo-1106', { deprecationDate: '2026-06-01' }), // far enough
      model('gpt-3.5-turbo'),
      model('gpt-4o'),
      model('gpt-4o-mini'),
    );
    assert.deepEqual(refs('gpt-3.5-turbo-0301', c), ['gpt-3.5-turbo', 'gpt-3.5-turbo-1106', 'gpt-4o', 'gpt-4o-mini']);
    assert.deepEqual(refs('gpt-3.5-turbo-0301', c, 'models:\n  enabled: [gpt-4o-mini, gpt-3.5-turbo-0301]\n'), [
      'gpt-4o-mini',
    ]);
  });

  it('orders other families by closeness', () => {
    const c = catalogOf(
      model('gpt-3.5-turbo-0301', { active: false }),
      model('o3'),
      model('gpt-4o'),
      model('gpt-4o-mini'),
      model('claude-sonnet-4-5', { provider: 'anthropic' }),
    );
    assert.deepEqual(refs('gpt-3.5-turbo-0301', c), ['gpt-4o', 'gpt-4o-mini', 'o3', 'claude-sonnet-4-5']);
  });

  it('matches the fixture workspace: a retired gpt-4o snapshot gets gpt-4o first; an inactive gpt-3.5 gets gpt-4o', () => {
    const c = catalogOf(
      model('gpt-3.5-turbo-0301', { active: false }),
      model('gpt-4.1'),
      model('gpt-4o', { recommended: true }),
      model('gpt-4o-2024-05-13', { deprecationDate: '2025-12-01' }),
      model('gpt-4o-mini'),
    );
    const yaml =
      'defaultModel: gpt-4o\nmodels:\n  enabled: [gpt-4o, gpt-4o-mini, gpt-3.5-turbo-0301, gpt-4o-2024-05-13]\n';
    assert.deepEqual(refs('gpt-4o-2024-05-13', c, yaml), ['gpt-4o', 'gpt-4o-mini']);
    assert.deepEqual(refs('gpt-3.5-turbo-0301', c, yaml), ['gpt-4o', 'gpt-4o-mini']);
  });

  it('breaks ties by provider, recommended, default, then id', () => {
    const c = catalogOf(
      model('old-x', { active: false }),
      model('wwwww'),
      model('qqqqq'),
      model('rrrrr', { recommended: true }),
      model('eeeee'),
    );
    // All unrelated to "old-x", no common prefix, the same distance 5: recommended first, then the default, then by id.
    assert.deepEqual(refs('old-x', c, 'defaultModel: wwwww\n'), ['rrrrr', 'wwwww', 'eeeee', 'qqqqq']);
    const p = catalogOf(
      model('m-1', { provider: 'a', active: false }),
      model('m', { provider: 'b' }),
      model('m', { provider: 'a' }),
    );
    assert.deepEqual(refs('a/m-1', p), ['a/m', 'b/m'], 'same provider first, refs qualified when ambiguous');
  });

  it('works for an unknown reference (typo), and respects the limit', () => {
    const c = catalogOf(model('gpt-4o'), model('gpt-4o-mini'), model('gpt-4.1'), model('o3'));
    assert.deepEqual(refs('gpt-4oo', c, '', 2), ['gpt-4o', 'gpt-4o-mini']);
    assert.deepEqual(suggestReplacements('gpt-4oo', c, config()).length, 3, 'default limit is 3');
  });

  it('returns nothing when no model is usable', () => {
    const c = catalogOf(model('a', { active: false }), model('b', { active: false }));
    assert.deepEqual(refs('a', c), []);
    assert.deepEqual(refs('a', catalogOf()), []);
  });
});
