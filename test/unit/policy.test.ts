import * as assert from 'node:assert/strict';
import { parseConfig } from '../../src/core/config/load';
import { validatePolicy } from '../../src/core/validation/validatePolicy';
import { catalogOf, model } from './helpers/catalog';
import { textAt } from './helpers/ranges';

const catalog = catalogOf(model('gpt-4o'), model('gpt-4o-mini'), model('old', { active: false }));

function policy(text: string, env: Record<string, string> = {}) {
  const loaded = parseConfig(text, '/r/prompt-registry.yaml', env);
  const r = validatePolicy(loaded, catalog);
  return { ...r, at: r.diagnostics.map((d) => [d.code, d.severity, textAt(text, d.range)]) };
}

describe('model policy in prompt-registry.yaml', () => {
  it('accepts an enabled, active default and fallback', () => {
    assert.deepEqual(
      policy('defaultModel: gpt-4o\nfallbackModel: gpt-4o-mini\nmodels:\n  enabled: [gpt-4o, gpt-4o-mini]\n')
        .diagnostics,
      [],
    );
  });

  it('a default or fallback past its shutdown date is no longer available, and one before it is fine', () => {
    const dated = catalogOf(model('gpt-4o'), model('sunset', { deprecationDate: '2026-06-30' }));
    const loaded = parseConfig('defaultModel: sunset\nfallbackModel: gpt-4o\n', '/r/prompt-registry.yaml', {});
    const after = validatePolicy(loaded, dated, undefined, new Date('2026-07-01T00:00:00Z'));
    assert.deepEqual(
      after.diagnostics.map((d) => d.code),
      ['default-model-invalid'],
    );
    assert.match(after.diagnostics[0]!.message, /"sunset" is no longer available \(shut down on 2026-06-30\)/);
    assert.deepEqual(validatePolicy(loaded, dated, undefined, new Date('2026-06-30T12:00:00Z')).diagnostics, []);
  });

  it('the default must be enabled', () => {
    const r = policy('defaultModel: gpt-4o\nmodels:\n  enabled: [gpt-4o-mini]\n');
    assert.deepEqual(r.at, [['default-model-invalid', 'error', 'gpt-4o']]);
    assert.match(r.diagnostics[0]!.message, /not in models.enabled/);
  });

  it('the default must be active and known', () => {
    assert.deepEqual(policy('defaultModel: old\n').at, [['default-model-invalid', 'error', 'old']]);
    const r = policy('defaultModel: gpt-4oo\n');
    assert.match(r.diagnostics[0]!.message, /not in the model catalog. Did you mean "gpt-4o"/);
  });

  it('the fallback must be enabled and active', () => {
    const r = policy('fallbackModel: old\nmodels:\n  enabled: [gpt-4o]\n');
    assert.deepEqual(r.at, [['fallback-model-invalid', 'error', 'old']]);
    assert.match(r.diagnostics[0]!.message, /no longer available .* and is not in models.enabled/);
  });

  it('an enabled id that is not in the catalog is a warning on that entry', () => {
    assert.deepEqual(policy('models:\n  enabled:\n    - gpt-4o\n    - gpt-9\n').at, [
      ['enabled-model-unknown', 'warning', 'gpt-9'],
    ]);
  });

  it('a problem with LLM_MODEL is a notice, not a diagnostic on the file', () => {
    const r = policy('defaultModel: gpt-4o\n', { LLM_MODEL: 'old' });
    assert.deepEqual(r.diagnostics, []);
    assert.match(r.notices[0]!, /default model "old" is no longer available .*\(set by LLM_MODEL\)/);
  });
});
