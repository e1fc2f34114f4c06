import * as assert from 'node:assert/strict';
import { DEFAULT_PROVIDER, parseConfig } from '../../src/core/config/load';
import { textAt } from './helpers/ranges';

const parse = (text: string | undefined, env: Record<string, string> = {}) =>
  parseConfig(text, '/r/prompt-registry.yaml', env);

describe('workspace config', () => {
  it('uses defaults when the file is absent or empty', () => {
    for (const text of [undefined, '', '# only a comment\n']) {
      const c = parse(text);
      assert.deepEqual(c.diagnostics, []);
      assert.deepEqual(c.config.promptGlobs, ['prompts/**/*.md']);
      assert.deepEqual(c.config.providers, [DEFAULT_PROVIDER]);
      assert.equal(c.config.refreshIntervalHours, 168);
      assert.equal(c.config.defaultModel, undefined);
    }
  });

  it('reads every documented key', () => {
    const c = parse(`prompts: ["p/**/*.md", "more/*.md"]
providers:
  - name: openrouter
    baseURL: https://openrouter.ai/api/v1
    apiKeyEnv: OPENROUTER_API_KEY
  - name: local
    type: echo
defaultModel: gpt-4o
fallbackModel: gpt-4o-mini
models:
  enabled: [gpt-4o]
  labels: { gpt-4o: "GPT-4o (general)" }
refreshIntervalHours: 24
`);
    assert.deepEqual(c.diagnostics, []);
    assert.deepEqual(c.config, {
      promptGlobs: ['p/**/*.md', 'more/*.md'],
      providers: [
        {
          name: 'openrouter',
          type: 'openai',
          baseURL: 'https://openrouter.ai/api/v1',
          apiKeyEnv: 'OPENROUTER_API_KEY',
          apiKeyEnvExplicit: true,
        },
        { name: 'local', type: 'echo', baseURL: undefined, apiKeyEnv: 'OPENAI_API_KEY' },
      ],
      defaultModel: 'gpt-4o',
      fallbackModel: 'gpt-4o-mini',
      enabledModels: ['gpt-4o'],
      labels: { 'gpt-4o': 'GPT-4o (general)' },
      refreshIntervalHours: 24,
    });
  });

  it('lets LLM_MODEL, LLM_FALLBACK_MODEL and MODEL_REFRESH_INTERVAL_HOURS override the file', () => {
    const c = parse('defaultModel: a\nfallbackModel: b\nrefreshIntervalHours: 5\n', {
      LLM_MODEL: 'x',
      LLM_FALLBACK_MODEL: 'y',
      MODEL_REFRESH_INTERVAL_HOURS: '12',
    });
    assert.equal(c.config.defaultModel, 'x');
    assert.equal(c.config.fallbackModel, 'y');
    assert.equal(c.config.refreshIntervalHours, 12);
  });

  it('explains a bad MODEL_REFRESH_INTERVAL_HOURS and keeps the file value', () => {
    const c = parse('refreshIntervalHours: 5\n', { MODEL_REFRESH_INTERVAL_HOURS: 'soon' });
    assert.equal(c.config.refreshIntervalHours, 5);
    assert.match(c.notices[0]!, /MODEL_REFRESH_INTERVAL_HOURS="soon"/);
  });

  it('places errors on the offending value', () => {
    const text = 'refreshIntervalHours: -1\nproviders:\n  - name: x\n    baseURL: not a url\nmodels:\n  enabld: []\n';
    const c = parse(text);
    const got = c.diagnostics.map((d) => [d.code, textAt(text, d.range)]);
    assert.deepEqual(got, [
      ['config-invalid', '-1'],
      ['config-invalid', 'not a url'],
      ['unknown-field', 'enabld'],
    ]);
  });

  it('never echoes a pasted API key, and says what to do', () => {
    const key = 'sk-proj-ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
    const c = parse(`providers:\n  - name: openai\n    apiKeyEnv: ${key}\n`);
    assert.equal(c.diagnostics.length, 1);
    assert.match(c.diagnostics[0]!.message, /NAME of an environment variable/);
    assert.match(c.diagnostics[0]!.message, /rotate/);
    assert.ok(!JSON.stringify(c).includes(key.slice(8)), 'the key must not appear anywhere in the result');
  });

  it('rejects duplicate provider names and openai providers without a baseURL', () => {
    const c = parse(
      'providers:\n  - name: a\n    baseURL: http://localhost:1/v1\n  - name: a\n    baseURL: http://localhost:2/v1\n  - name: b\n',
    );
    assert.deepEqual(
      c.diagnostics.map((d) => d.message),
      ['Provider name "a" is used twice; names must be unique', 'Provider "b" needs a baseURL'],
    );
  });

  it('reports YAML errors in the config file at their position', () => {
    const c = parse('defaultModel: gpt-4o\nmodels: {enabled: [a}\n');
    assert.equal(c.diagnostics[0]!.code, 'yaml-syntax');
    assert.equal(c.diagnostics[0]!.range.start.line, 1);
  });
});
