import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse } from 'yaml';
import { setFrontMatterValue, setPromptModel } from '../../src/core/prompt/editFrontMatter';
import { parsePrompt } from '../../src/core/prompt/parse';
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
    assert.equal(
      set(CONFIG, ['defaultModel'], 'gpt-5'),
      CONFIG.replace('defaultModel: gpt-4o ', 'defaultModel: gpt-5 '),
    );
  });

  it('keeps the quoting style of the old value', () => {
    assert.equal(set(CONFIG, ['fallbackModel'], 'gpt-5-mini'), CONFIG.replace("'gpt-4o-mini'", "'gpt-5-mini'"));
    assert.equal(
      set(CONFIG, ['models', 'labels', 'gpt-4o'], 'Four-oh'),
      CONFIG.replace('"GPT-4o (general)"', '"Four-oh"'),
    );
  });

  it('rewrites a flow list in flow style, keeping its comment', () => {
    assert.equal(
      set(CONFIG, ['models', 'enabled'], ['gpt-4o', 'gpt-5']),
      CONFIG.replace('[gpt-4o, gpt-4o-mini]', '[gpt-4o, gpt-5]'),
    );
  });

  it('rewrites a block list in block style at the same indentation', () => {
    const text = 'models:\n  enabled:\n    - a\n    - b\n  labels: {}\nrest: 1\n';
    assert.equal(
      set(text, ['models', 'enabled'], ['a', 'c', 'd']),
      'models:\n  enabled:\n    - a\n    - c\n    - d\n  labels: {}\nrest: 1\n',
    );
  });

  it('adds a missing key at the end of its mapping, with its parents', () => {
    const text = '# top\ndefaultModel: gpt-4o\n';
    assert.equal(
      set(text, ['models', 'enabled'], ['gpt-4o']),
      '# top\ndefaultModel: gpt-4o\nmodels:\n  enabled:\n    - gpt-4o\n',
    );
    const nested = 'models:\n  labels:\n    a: b\nother: 1\n';
    assert.equal(
      set(nested, ['models', 'enabled'], ['x']),
      'models:\n  labels:\n    a: b\n  enabled:\n    - x\nother: 1\n',
    );
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
    const value = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.integer(),
      fc.constantFrom('gpt-4o', 'a: b', '#x', "it's", '"q"'),
    );
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

describe('setFrontMatterValue', () => {
  const ok = (r: ReturnType<typeof setPromptModel>) => {
    if (!r.ok) throw new Error(r.error);
    return r.text;
  };

  it('changes only the model value: comments, flow maps, quotes, CRLF and body stay byte-for-byte', () => {
    const text =
      '\uFEFF---\r\n# owner: support\r\nmodel: "gpt-4o"   # pinned\r\ninputs: {a: {type: string}}\r\ntags: [x, \'y\']\r\n---\r\nBody {{a}}\r\nuser:\r\nHi\r\n';
    assert.equal(ok(setPromptModel(text, 'gpt-5')), text.replace('"gpt-4o"', '"gpt-5"'));
  });

  it('adds a missing model at the end of the front matter', () => {
    const text = '---\nname: x\n---\nBody\n';
    assert.equal(ok(setPromptModel(text, 'gpt-4o')), '---\nname: x\nmodel: gpt-4o\n---\nBody\n');
  });

  it('fills an empty model value', () => {
    assert.equal(ok(setPromptModel('---\nmodel:\nname: x\n---\n', 'gpt-4o')), '---\nmodel: gpt-4o\nname: x\n---\n');
  });

  it('gives a file without front matter one, keeping CRLF', () => {
    assert.equal(ok(setPromptModel('Body\r\n', 'm')), '---\r\nmodel: m\r\n---\r\nBody\r\n');
    assert.equal(ok(setPromptModel('', 'm')), '---\nmodel: m\n---\n');
    assert.equal(ok(setPromptModel('---\n---\nBody', 'm')), '---\nmodel: m\n---\nBody');
  });

  it('declares an input under inputs', () => {
    const text = '---\nmodel: m\ninputs:\n  a: {type: string}\n---\n{{a}} {{b}}';
    const out = ok(setFrontMatterValue(text, ['inputs', 'b'], { type: 'string' }));
    assert.equal(out, '---\nmodel: m\ninputs:\n  a: {type: string}\n  b: {type: string}\n---\n{{a}} {{b}}');
  });

  it('refuses broken YAML or an unclosed block, and changes nothing', () => {
    assert.equal(setPromptModel('---\nmodel: [x\n---\n', 'm').ok, false);
    assert.equal(setPromptModel('---\nmodel: x\n', 'm').ok, false);
  });

  it('property: after editing the model, the file parses to the new model and nothing else changed', () => {
    const modelId = fc.stringMatching(/^[a-z0-9][a-z0-9.\-/:]{0,24}$/);
    const front = fc.record({
      comment: fc.constantFrom('', '# c\n', '# owner: x\n'),
      model: fc.constantFrom(
        'model: gpt-4o\n',
        'model: "gpt-4o"\n',
        "model: 'gpt-4o'\n",
        'model:\n',
        '',
        'model: gpt-4o # pin\n',
      ),
      rest: fc.constantFrom('', 'temperature: 0.2\n', 'inputs: {a: {type: string}}\n', 'tags:\n  - a\n  - b\n'),
    });
    fc.assert(
      fc.property(front, modelId, fc.constantFrom('\n', '\r\n'), fc.string({ maxLength: 30 }), (f, m, eol, body) => {
        const text = `---\n${f.comment}${f.model}${f.rest}---\n${body}`.replace(/\n/g, eol);
        const out = ok(setPromptModel(text, m));
        const before = parsePrompt(text, { defaultId: 'x' });
        const after = parsePrompt(out, { defaultId: 'x' });
        assert.equal(after.model, m);
        assert.deepEqual(after.params, before.params);
        assert.deepEqual(after.inputs, before.inputs);
        assert.deepEqual(after.tags, before.tags);
        assert.ok(out.endsWith(text.slice(text.lastIndexOf(`---${eol}`) + 3 + eol.length)), 'the body is untouched');
        const removed = text.split(eol).filter((l) => !out.split(eol).includes(l));
        assert.ok(
          removed.every((l) => /^model:/.test(l)),
          `only the model line may change, removed: ${JSON.stringify(removed)}`,
        );
      }),
      { numRuns: 2000 },
    );
  });
});

describe('setYamlValue inserting into existing mappings', () => {
  it('adds to a flow map right after its last entry, keeping its spacing', () => {
    assert.equal(
      set('inputs: { used: {type: string} }\n', ['inputs', 'missing'], { type: 'string' }),
      'inputs: { used: {type: string}, missing: {type: string} }\n',
    );
    assert.equal(set('inputs: {}\n', ['inputs', 'a'], { type: 'string' }), 'inputs: {a: {type: string}}\n');
  });

  it('follows the flow style of sibling values in a block map', () => {
    assert.equal(
      set('inputs:\n  a: {type: string}\nx: 1\n', ['inputs', 'b'], { type: 'string' }),
      'inputs:\n  a: {type: string}\n  b: {type: string}\nx: 1\n',
    );
    assert.equal(
      set('inputs:\n  a:\n    type: string\n', ['inputs', 'b'], { type: 'string' }),
      'inputs:\n  a:\n    type: string\n  b:\n    type: string\n',
    );
  });
});
