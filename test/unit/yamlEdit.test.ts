import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse } from 'yaml';
import { setYamlValue } from '../../src/core/yaml/edit';

function set(text: string, path: (string | number)[], value: unknown): string {
  const r = setYamlValue(text, path, value);
  if (!r.ok) throw new Error(r.error);
  return r.text;
}

const CONFIG = `# Prompt Registry config
prompts: ["prompts/**/*.md"]

providers:
  - name: openai
    apiKeyEnv: OPENAI_API_KEY   # the NAME, never the key

defaultModel: gpt-4o      # team default
fallbackModel: 'gpt-4o-mini'
models:
  enabled: [gpt-4o, gpt-4o-mini]   # allowlist
  labels:
    gpt-4o: "GPT-4o (general)"
refreshIntervalHours: 168
`;

describe('setYamlValue', () => {
  it('replaces a plain scalar and nothing else', () => {
    assert.equal(set(CONFIG, ['defaultModel'], 'gpt-5'), CONFIG.replace('defaultModel: gpt-4o ', 'defaultModel: gpt-5 '));
  });

  it('keeps the quoting style of the old value', () => {
    assert.equal(set(CONFIG, ['fallbackModel'], 'gpt-5-mini'), CONFIG.replace("'gpt-4o-mini'", "'gpt-5-mini'"));
    assert.equal(set(CONFIG, ['models', 'labels', 'gpt-4o'], 'Four-oh'), CONFIG.replace('"GPT-4o (general)"', '"Four-oh"'));
  });

  it('rewrites a flow list in flow style, keeping its comment', () => {
    assert.equal(set(CONFIG, ['models', 'enabled'], ['gpt-4o', 'gpt-5']), CONFIG.replace('[gpt-4o, gpt-4o-mini]', '[gpt-4o, gpt-5]'));
  });

  it('rewrites a block list in block style at the same indentation', () => {
    const text = 'models:\n  enabled:\n    - a\n    - b\n  labels: {}\nrest: 1\n';
    assert.equal(set(text, ['models', 'enabled'], ['a', 'c', 'd']), 'models:\n  enabled:\n    - a\n    - c\n    - d\n  labels: {}\nrest: 1\n');
  });

  it('adds a missing key at the end of its mapping, with its parents', () => {
    const text = '# top\ndefaultModel: gpt-4o\n';
    assert.equal(set(text, ['models', 'enabled'], ['gpt-4o']), '# top\ndefaultModel: gpt-4o\nmodels:\n  enabled:\n    - gpt-4o\n');
    const nested = 'models:\n  labels:\n    a: b\nother: 1\n';
    assert.equal(set(nested, ['models', 'enabled'], ['x']), 'models:\n  labels:\n    a: b\n  enabled:\n    - x\nother: 1\n');
  });

  it('fills an empty value and an empty file', () => {
    assert.equal(set('model:\nname: x\n', ['model'], 'gpt-4o'), 'model: gpt-4o\nname: x\n');
    assert.equal(set('', ['defaultModel'], 'gpt-4o'), 'defaultModel: gpt-4o\n');
  });

  it('keeps CRLF line endings', () => {
    const text = 'a: 1\r\nb: 2\r\n';
    assert.equal(set(text, ['c'], 'x'), 'a: 1\r\nb: 2\r\nc: x\r\n');
    assert.equal(set(text, ['a'], 5), 'a: 5\r\nb: 2\r\n');
  });

  it('quotes values that need it', () => {
    const out = set('model: a\n', ['model'], 'has: colon #and hash');
    assert.equal(parse(out).model, 'has: colon #and hash');
  });

  it('refuses to edit a file with YAML errors', () => {
    const r = setYamlValue('a: [1\n', ['a'], 2);
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.error : '', /errors/);
  });

  it('property: the edited path holds the new value and every other line is unchanged', () => {
    const key = fc.constantFrom('model', 'defaultModel', 'name', 'temperature');
    const value = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.constantFrom('gpt-4o', 'a: b', '#x', "it's", '"q"'));
    fc.assert(
      fc.property(key, value, (k, v) => {
        const out = set(CONFIG.replace('defaultModel', k === 'defaultModel' ? 'defaultModel' : 'defaultModel'), [k], v);
        const parsed = parse(out);
        assert.deepEqual(parsed[k], v);
        const before = parse(CONFIG);
        for (const other of Object.keys(before)) if (other !== k) assert.deepEqual(parsed[other], before[other]);
        const changed = out.split('\n').filter((l) => !CONFIG.split('\n').includes(l));
        assert.ok(changed.length <= 1, `changed lines: ${JSON.stringify(changed)}`);
      }),
      { numRuns: 500 },
    );
  });
});
