import * as assert from 'node:assert/strict';
import { modelRows, promptsOnInactiveModels } from '../../src/core/catalog/listing';
import type { ResolvedConfig } from '../../src/core/config/load';
import type { ParsedPrompt } from '../../src/core/prompt/types';
import { catalogOf, model } from './helpers/catalog';

// What `models list`, the Models view and the picker show, pinned per column: views.test.ts checks the rendering.
const NOW = new Date('2026-06-01T12:00:00Z');

function config(extra: Partial<ResolvedConfig> = {}): ResolvedConfig {
  return { promptGlobs: [], providers: [], labels: {}, refreshIntervalHours: 24, ...extra };
}

/** Only the fields the listing reads. */
const on = (ref?: string, id = ref ?? 'none') => ({ id, model: ref }) as unknown as ParsedPrompt;

describe('catalog listing: modelRows', () => {
  it('lists every model by provider, then id, without reordering the catalog', () => {
    const models = [
      model('b', { provider: 'openai' }),
      model('z', { provider: 'anthropic' }),
      model('a', { provider: 'openai' }),
      model('c', { provider: 'anthropic' }),
    ];
    const c = catalogOf(...models);
    const rows = modelRows(c, config(), [], NOW);
    assert.deepEqual(
      rows.map((r) => `${r.model.provider}/${r.model.id}`),
      ['anthropic/c', 'anthropic/z', 'openai/a', 'openai/b'],
    );
    assert.deepEqual(c.models, models);
  });

  it('an empty catalog has no rows', () => {
    assert.deepEqual(modelRows(catalogOf(), config(), [], NOW), []);
  });

  it('a whole row for a plain model, with nothing configured', () => {
    const m = model('gpt-4o');
    assert.deepEqual(modelRows(catalogOf(m), config(), [], NOW), [
      {
        ref: 'gpt-4o',
        model: m,
        label: 'gpt-4o',
        isDefault: false,
        isFallback: false,
        enabled: true,
        available: true,
        promptCount: 0,
      },
    ]);
  });

  it('the ref is provider/id only for an id that several providers offer', () => {
    const c = catalogOf(
      model('claude', { provider: 'anthropic' }),
      model('claude', { provider: 'openrouter' }),
      model('gpt-4o'),
    );
    assert.deepEqual(
      modelRows(c, config(), [], NOW).map((r) => r.ref),
      ['anthropic/claude', 'gpt-4o', 'openrouter/claude'],
    );
  });

  it('the label is the one configured for the ref, else for the id, else the display name, else the id', () => {
    const c = catalogOf(
      model('claude', { provider: 'anthropic', displayName: 'Claude (Anthropic)' }),
      model('claude', { provider: 'openrouter', displayName: 'Claude (OpenRouter)' }),
      model('gpt-4o', { displayName: 'GPT-4o' }),
      model('gpt-5', { displayName: 'GPT-5' }),
      model('o3'),
    );
    const labels = { 'anthropic/claude': 'Ours', claude: 'Theirs', 'gpt-4o': 'Fast' };
    assert.deepEqual(
      modelRows(c, config({ labels }), [], NOW).map((r) => [r.ref, r.label]),
      [
        ['anthropic/claude', 'Ours'],
        ['gpt-4o', 'Fast'],
        ['gpt-5', 'GPT-5'],
        ['o3', 'o3'],
        ['openrouter/claude', 'Theirs'],
      ],
    );
  });

  it('default and fallback match by ref, bare id or provider/id', () => {
    const c = catalogOf(
      model('claude', { provider: 'anthropic' }),
      model('claude', { provider: 'openrouter' }),
      model('gpt-4o'),
      model('gpt-5'),
    );
    const flags = (cfg: Partial<ResolvedConfig>) =>
      modelRows(c, config(cfg), [], NOW).map((r) => `${r.ref}:${r.isDefault ? 'D' : ''}${r.isFallback ? 'F' : ''}`);
    assert.deepEqual(flags({ defaultModel: 'openrouter/claude', fallbackModel: 'gpt-4o' }), [
      'anthropic/claude:',
      'gpt-4o:F',
      'gpt-5:',
      'openrouter/claude:D',
    ]);
    assert.deepEqual(flags({ defaultModel: 'openai/gpt-5', fallbackModel: 'openai/gpt-5' }), [
      'anthropic/claude:',
      'gpt-4o:',
      'gpt-5:DF',
      'openrouter/claude:',
    ]);
    // A bare id that several providers offer marks each of them.
    assert.deepEqual(flags({ defaultModel: 'claude' }), [
      'anthropic/claude:D',
      'gpt-4o:',
      'gpt-5:',
      'openrouter/claude:D',
    ]);
    assert.deepEqual(flags({ defaultModel: 'mistral/gpt-4o', fallbackModel: 'gpt' }), [
      'anthropic/claude:',
      'gpt-4o:',
      'gpt-5:',
      'openrouter/claude:',
    ]);
  });

  it('without enabledModels every model is enabled; with it, only those it names in any form', () => {
    const c = catalogOf(
      model('claude', { provider: 'anthropic' }),
      model('claude', { provider: 'openrouter' }),
      model('gpt-4o'),
      model('gpt-5'),
      model('o3'),
    );
    const enabled = (enabledModels?: string[]) =>
      modelRows(c, config({ enabledModels }), [], NOW)
        .filter((r) => r.enabled)
        .map((r) => r.ref);
    assert.deepEqual(enabled(undefined), ['anthropic/claude', 'gpt-4o', 'gpt-5', 'o3', 'openrouter/claude']);
    assert.deepEqual(enabled([]), []);
    assert.deepEqual(enabled(['openrouter/claude', 'gpt-4o', 'openai/o3']), ['gpt-4o', 'o3', 'openrouter/claude']);
    assert.deepEqual(enabled(['claude']), ['anthropic/claude', 'openrouter/claude']);
  });

  it('available is false for an inactive model and for one past its shutdown date', () => {
    const c = catalogOf(
      model('gone', { active: false }),
      model('live', { deprecationDate: '2026-06-30' }),
      model('shut', { deprecationDate: '2026-05-01' }),
    );
    assert.deepEqual(
      modelRows(c, config(), [], NOW).map((r) => [r.ref, r.available]),
      [
        ['gone', false],
        ['live', true],
        ['shut', false],
      ],
    );
  });

  it('counts the prompts that resolve to each model; unknown, ambiguous and missing models count nowhere', () => {
    const c = catalogOf(
      model('claude', { provider: 'anthropic' }),
      model('claude', { provider: 'openrouter' }),
      model('gpt-4o'),
      model('o3'),
    );
    const prompts = [on('gpt-4o', 'a'), on('gpt-4o', 'b'), on('openrouter/claude'), on('claude'), on('nope'), on()];
    assert.deepEqual(
      modelRows(c, config(), prompts, NOW).map((r) => [r.ref, r.promptCount]),
      [
        ['anthropic/claude', 0],
        ['gpt-4o', 2],
        ['o3', 0],
        ['openrouter/claude', 1],
      ],
    );
  });

  it('prompts and now are optional: no counts, availability as of today', () => {
    const rows = modelRows(
      catalogOf(model('old', { deprecationDate: '2000-01-01' }), model('new', { deprecationDate: '2999-01-01' })),
      config(),
    );
    assert.deepEqual(
      rows.map((r) => [r.ref, r.available, r.promptCount]),
      [
        ['new', true, 0],
        ['old', false, 0],
      ],
    );
  });
});

describe('catalog listing: promptsOnInactiveModels', () => {
  const c = catalogOf(
    model('gone', { active: false }),
    model('live', { deprecationDate: '2026-06-30' }),
    model('shut', { deprecationDate: '2026-05-01' }),
    model('twice', { provider: 'a', active: false }),
    model('twice', { provider: 'b', active: false }),
  );

  it('keeps, in order, the prompts whose known model is inactive or shut down', () => {
    const prompts = [on('shut'), on('live'), on('gone'), on(), on('nope'), on('twice'), on('b/twice')];
    assert.deepEqual(
      promptsOnInactiveModels(c, prompts, NOW).map((p) => p.id),
      ['shut', 'gone', 'b/twice'],
    );
  });

  it('a model with a later shutdown date is flagged only once past it', () => {
    assert.deepEqual(
      promptsOnInactiveModels(c, [on('live')], new Date('2026-07-02T00:00:00Z')).map((p) => p.id),
      ['live'],
    );
    assert.deepEqual(promptsOnInactiveModels(c, [on('live')], NOW), []);
  });

  it('now defaults to today', () => {
    const dated = catalogOf(
      model('old', { deprecationDate: '2000-01-01' }),
      model('new', { deprecationDate: '2999-01-01' }),
    );
    assert.deepEqual(
      promptsOnInactiveModels(dated, [on('old'), on('new')]).map((p) => p.id),
      ['old'],
    );
  });
});
