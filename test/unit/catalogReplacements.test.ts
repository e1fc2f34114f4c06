import * as assert from 'node:assert/strict';
import { modelFamily, suggestReplacements } from '../../src/core/catalog/replacements';
import { parseConfig } from '../../src/core/config/load';
import type { Catalog } from '../../src/core/catalog/types';
import { catalogOf, model } from './helpers/catalog';

// Each rule of modelFamily and suggestReplacements pinned directly; replacements.test.ts covers realistic catalogs.
const NOW = new Date('2026-01-15T00:00:00Z');
const config = (yaml = '') => parseConfig(yaml, '/r/prompt-registry.yaml', {}).config;
const refs = (ref: string, catalog: Catalog, yaml = '', limit = 10) =>
  suggestReplacements(ref, catalog, config(yaml), { now: NOW, limit }).map((r) => r.ref);

describe('catalog replacements: modelFamily', () => {
  const cases: [string, string, string][] = [
    ['gpt-4-1106-vision-preview', 'gpt-4-1106-vision', 'only suffixes at the end are stripped'],
    ['gpt-4-05-13', 'gpt-4', 'a short date goes, the single-digit version before it stays'],
    ['gpt-4o-mini-05-06', 'gpt-4o-mini', 'a word before a short date is not a year'],
    ['x-2024-5-13', 'x-2024-5-13', 'a one-digit month is not a date'],
    ['x-2024-05-1', 'x-2024-05-1', 'a one-digit day is not a date'],
    ['x-2024-ab-13', 'x-2024-ab-13', 'letters are not a month'],
    ['x-2024-05-ab', 'x-2024-05-ab', 'letters are not a day'],
    ['claude-opus-4-10', 'claude-opus-4-10', 'a two-digit part is a version'],
    ['x-12345', 'x-12345', 'five digits are not a snapshot number'],
    ['x-1234567', 'x-1234567', 'seven digits are neither a snapshot nor a date'],
    ['gemini-2.0-flash-thinking-exp', 'gemini-2.0-flash-thinking', '-exp'],
    ['gemini-exp-experimental', 'gemini', '-experimental, then -exp'],
    ['x:free:beta', 'x', 'variants, repeatedly'],
    ['x:', 'x:', 'a bare colon is not a variant'],
    ['-2024-05-13', '-2024-05-13', 'never stripped down to nothing, even in one go'],
  ];
  for (const [id, family, why] of cases) {
    it(`${id} → ${family} (${why})`, () => assert.equal(modelFamily(id), family));
  }
});

describe('catalog replacements: suggestReplacements candidates', () => {
  it('never offers an active, usable model as its own replacement', () => {
    const c = catalogOf(model('gpt-4o'), model('gpt-4o-2024-11-20'));
    assert.deepEqual(refs('gpt-4o', c), ['gpt-4o-2024-11-20']);
  });

  it('an ambiguous reference offers neither of its copies', () => {
    const c = catalogOf(model('m', { provider: 'a' }), model('m', { provider: 'b' }), model('m-2024-01-01'));
    assert.deepEqual(refs('m', c), ['m-2024-01-01']);
  });

  it('an ambiguous reference with a slash also leaves out the provider/id it reads as', () => {
    const c = catalogOf(
      model('anthropic/claude-x', { provider: 'openrouter' }),
      model('anthropic/claude-x', { provider: 'other' }),
      model('claude-x', { provider: 'anthropic' }),
      model('claude-y', { provider: 'anthropic' }),
    );
    assert.deepEqual(refs('anthropic/claude-x', c), ['claude-y']);
  });

  it('retiring within 30 days is out, on day 31 it is in', () => {
    const c = catalogOf(
      model('old', { active: false }),
      model('in-30', { deprecationDate: '2026-02-14' }),
      model('in-31', { deprecationDate: '2026-02-15' }),
    );
    assert.deepEqual(refs('old', c), ['in-31']);
  });

  it('uses the given time for the retirement check, and the clock without one', () => {
    const c = catalogOf(
      model('old', { active: false }),
      model('gone', { deprecationDate: '2000-06-01' }),
      model('kept', { deprecationDate: '2999-01-01' }),
    );
    const at2000 = suggestReplacements('old', c, config(), { now: new Date('2000-01-01T00:00:00Z') });
    assert.deepEqual(
      at2000.map((r) => r.ref),
      ['gone', 'kept'],
    );
    assert.deepEqual(
      suggestReplacements('old', c, config()).map((r) => r.ref),
      ['kept'],
    );
  });

  it('a limit of 0 gives nothing', () => {
    assert.deepEqual(refs('old', catalogOf(model('a'), model('b')), '', 0), []);
  });

  it('models.enabled matches a bare id, a provider/id, or the written ref', () => {
    const c = catalogOf(
      model('old', { active: false }),
      model('gpt-4o'),
      model('o3'),
      model('m', { provider: 'a' }),
      model('m', { provider: 'b' }),
    );
    assert.deepEqual(refs('old', c, 'models:\n  enabled: [openai/gpt-4o]\n'), ['gpt-4o']);
    assert.deepEqual(refs('old', c, 'models:\n  enabled: [m]\n'), ['a/m', 'b/m']);
    assert.deepEqual(refs('old', c, 'models:\n  enabled: [b/m]\n'), ['b/m']);
  });
});

describe('catalog replacements: suggestReplacements order', () => {
  it('a family that extends this one comes before a closer-looking unrelated one', () => {
    const c = catalogOf(model('gpt-4-0613', { active: false }), model('gpt-4o'), model('gpt-4-turbo'));
    const r = suggestReplacements('gpt-4-0613', c, config(), { now: NOW });
    assert.deepEqual(
      r.map((x) => [x.ref, x.sameFamily]),
      [
        ['gpt-4-turbo', false],
        ['gpt-4o', false],
      ],
    );
  });

  it('a family this one extends comes before a closer-looking unrelated one', () => {
    const c = catalogOf(model('gpt-4-turbo', { active: false }), model('gpt-4-turbx'), model('gpt-4'));
    assert.deepEqual(refs('gpt-4-turbo', c), ['gpt-4', 'gpt-4-turbx']);
  });

  it('among unrelated families, the longer common prefix first, then the smaller edit distance', () => {
    const c = catalogOf(model('abcd', { active: false }), model('xbcd'), model('abzz'), model('azzzzzz'));
    // abzz: prefix 2; azzzzzz: prefix 1; xbcd: prefix 0 but distance 1.
    assert.deepEqual(refs('abcd', c), ['abzz', 'azzzzzz', 'xbcd']);
    const d = catalogOf(model('abcd', { active: false }), model('qqqqqqq'), model('qq'));
    assert.deepEqual(refs('abcd', d), ['qq', 'qqqqqqq']);
  });

  it('the bare alias comes first whatever its case', () => {
    const c = catalogOf(model('gpt-4o-2024-01-01', { active: false }), model('gpt-4o-2024-11-20'), model('GPT-4o'));
    assert.deepEqual(refs('gpt-4o-2024-01-01', c), ['GPT-4o', 'gpt-4o-2024-11-20']);
  });

  it('ties go to the provider of a found reference first', () => {
    const c = catalogOf(
      model('old', { provider: 'b', active: false }),
      model('xxx', { provider: 'a' }),
      model('yyy', { provider: 'b' }),
    );
    assert.deepEqual(refs('old', c), ['yyy', 'xxx']);
    const q = catalogOf(
      model('m-1', { provider: 'b', active: false }),
      model('m', { provider: 'a' }),
      model('m', { provider: 'b' }),
    );
    assert.deepEqual(refs('b/m-1', q), ['b/m', 'a/m']);
  });

  it('an unknown provider/id reference is read as that provider’s id when the provider exists', () => {
    const c = catalogOf(
      model('gpt-4o-2024-11-20'),
      model('gpt-4o'),
      model('xxx', { provider: 'anthropic' }),
      model('yyy', { provider: 'google' }),
    );
    const r = suggestReplacements('openai/gpt-4o-2024-05-13', c, config(), { now: NOW, limit: 10 });
    assert.deepEqual(
      r.map((x) => [x.ref, x.sameFamily]),
      [
        ['gpt-4o', true],
        ['gpt-4o-2024-11-20', true],
        ['xxx', false],
        ['yyy', false],
      ],
    );
    // The same provider wins a tie for an unknown reference too.
    assert.deepEqual(refs('google/zzz', c).slice(0, 1), ['yyy']);
  });

  it('an unknown provider in the reference stays part of the id, with no provider preferred', () => {
    const c = catalogOf(model('gpt-4o'), model('xxx', { provider: 'zeta' }), model('yyy', { provider: 'eta' }));
    const r = suggestReplacements('nope/gpt-4o-2024-05-13', c, config(), { now: NOW, limit: 10 });
    assert.deepEqual(
      r.map((x) => x.sameFamily),
      [false, false, false],
    );
  });

  it('an unknown bare reference prefers no provider, even one its name starts with', () => {
    const c = catalogOf(model('xxx', { provider: 'a' }), model('yyy', { provider: 'openai' }));
    assert.deepEqual(refs('openaiq', c), ['xxx', 'yyy']);
  });

  it('the workspace default wins a tie, named by bare id or provider/id', () => {
    const c = catalogOf(
      model('old', { provider: 'c', active: false }),
      model('qqqqq'),
      model('zzzzz', { provider: 'a' }),
      model('zzzzz', { provider: 'b' }),
      model('wwwww'),
    );
    assert.deepEqual(refs('old', c, 'defaultModel: zzzzz\n'), ['a/zzzzz', 'b/zzzzz', 'qqqqq', 'wwwww']);
    assert.deepEqual(refs('old', c, 'defaultModel: openai/wwwww\n'), ['wwwww', 'qqqqq', 'a/zzzzz', 'b/zzzzz']);
  });

  it('the last tie-break is the id, then the provider, in both orders', () => {
    const same = catalogOf(
      model('m-2024-01-01', { provider: 'c', active: false }),
      model('m-2024-02-02', { provider: 'b' }),
      model('m-2024-02-02', { provider: 'a' }),
    );
    assert.deepEqual(refs('m-2024-01-01', same), ['a/m-2024-02-02', 'b/m-2024-02-02']);
    const other = catalogOf(
      model('old', { provider: 'c', active: false }),
      model('zzz', { provider: 'b' }),
      model('zzz', { provider: 'a' }),
    );
    assert.deepEqual(refs('old', other), ['a/zzz', 'b/zzz']);
  });
});
