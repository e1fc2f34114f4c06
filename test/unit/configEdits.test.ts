import * as assert from 'node:assert/strict';
import { setDefaultModel, setEnabledModels, toggleModelEnabled } from '../../src/core/app/configEdits';
import { parseConfig } from '../../src/core/config/load';
import { catalogOf, model } from './helpers/catalog';

const config = (yaml: string, env: Record<string, string> = {}) => parseConfig(yaml, '/r/prompt-registry.yaml', env);
const catalog = catalogOf(model('gpt-4o'), model('gpt-4o-mini'), model('gpt-3', { active: false }));

describe('config edits (app layer)', () => {
  it('Set Default Model writes defaultModel, and says when $LLM_MODEL overrides it', () => {
    assert.deepEqual(setDefaultModel(config('defaultModel: gpt-4o\n'), 'gpt-4o-mini'), {
      edit: { path: ['defaultModel'], value: 'gpt-4o-mini' },
      warnings: [],
    });
    assert.deepEqual(
      setDefaultModel(config('defaultModel: gpt-4o\n', { LLM_MODEL: 'gpt-3' }), 'gpt-4o-mini').warnings,
      [{ kind: 'default-overridden', model: 'gpt-4o-mini', envVar: 'LLM_MODEL' }],
    );
  });

  it('Enable/Disable warns when the default model ends up disabled, counting aliases', () => {
    const c = config('defaultModel: gpt-4o\n');
    assert.deepEqual(setEnabledModels(c, catalog, ['gpt-4o-mini']).warnings, [
      { kind: 'default-disabled', model: 'gpt-4o' },
    ]);
    assert.deepEqual(setEnabledModels(c, catalog, ['openai/gpt-4o']).warnings, []);
    assert.deepEqual(setEnabledModels(c, undefined, ['gpt-4o-mini']).warnings, [
      { kind: 'default-disabled', model: 'gpt-4o' },
    ]);
  });

  it('toggling a model removes it from models.enabled or adds it, with the same warning', () => {
    const c = config('defaultModel: gpt-4o\nmodels:\n  enabled: [gpt-4o, gpt-4o-mini]\n');
    assert.deepEqual(toggleModelEnabled(c, catalog, { provider: 'openai', id: 'gpt-4o-mini' }), {
      edit: { path: ['models', 'enabled'], value: ['gpt-4o'] },
      warnings: [],
    });
    assert.deepEqual(toggleModelEnabled(c, catalog, { provider: 'openai', id: 'gpt-4o' })!.warnings, [
      { kind: 'default-disabled', model: 'gpt-4o' },
    ]);
    assert.deepEqual(toggleModelEnabled(c, catalog, { provider: 'openai', id: 'gpt-3' })!.edit.value, [
      'gpt-4o',
      'gpt-4o-mini',
      'gpt-3',
    ]);
    assert.equal(toggleModelEnabled(c, catalog, { provider: 'openai', id: 'nope' }), undefined);
    assert.equal(toggleModelEnabled(c, undefined, { provider: 'openai', id: 'gpt-4o' }), undefined);
  });
});
