import * as assert from 'node:assert/strict';
import { parseConfig } from '../../src/core/config/load';
import { parsePrompt } from '../../src/core/prompt/parse';
import { validatePrompt, type ValidationContext } from '../../src/core/validation/validatePrompt';
import { catalogOf, model } from './helpers/catalog';
import { textAt } from './helpers/ranges';

const NOW = new Date('2026-11-21T00:00:00Z');
const catalog = catalogOf(
  model('gpt-4o'),
  model('gpt-4o-mini'),
  model('gpt-4.1'),
  model('legacy', { active: false, lastSeen: '2026-02-03T00:00:00Z' }),
  model('soon', { deprecationDate: '2026-12-10' }),
  model('later', { deprecationDate: '2027-06-01' }),
  model('gone', { deprecationDate: '2026-10-01' }),
);

function check(front: string, body = '', ctx: Partial<ValidationContext> = {}) {
  const text = `---\n${front}\n---\n${body}`;
  const p = parsePrompt(text, { defaultId: 't' });
  const diags = validatePrompt(p, { config: parseConfig(undefined, '/x').config, catalog, now: NOW, ...ctx });
  return { text, diags, codes: diags.map((d) => d.code) };
}

describe('validatePrompt', () => {
  it('accepts a known active model', () => {
    assert.deepEqual(check('model: gpt-4o').codes, []);
  });

  it('unknown-model is an error on the value, with a did-you-mean', () => {
    const { text, diags } = check('model: gpt-4o-mnii');
    assert.equal(diags[0]!.code, 'unknown-model');
    assert.equal(diags[0]!.severity, 'error');
    assert.equal(textAt(text, diags[0]!.range), 'gpt-4o-mnii');
    assert.match(diags[0]!.message, /Did you mean "gpt-4o-mini"/);
    assert.deepEqual(diags[0]!.data?.suggestions, ['gpt-4o-mini', 'gpt-4o']);
  });

  it('inactive-model is a warning that says the model is no longer available', () => {
    const { diags } = check('model: legacy');
    assert.deepEqual(
      diags.map((d) => [d.code, d.severity]),
      [['inactive-model', 'warning']],
    );
    assert.match(diags[0]!.message, /^Model is no longer available/);
    assert.match(diags[0]!.message, /last seen 2026-02-03/);
  });

  it('model-not-enabled applies only when an allowlist exists', () => {
    const config = parseConfig('models:\n  enabled: [gpt-4o]\n', '/x').config;
    assert.deepEqual(check('model: gpt-4.1', '', { config }).codes, ['model-not-enabled']);
    assert.deepEqual(check('model: gpt-4o', '', { config }).codes, []);
    assert.deepEqual(check('model: gpt-4.1').codes, []);
  });

  it('model-retiring warns within 30 days before the date, not earlier', () => {
    assert.deepEqual(check('model: soon').codes, ['model-retiring']);
    assert.match(check('model: soon').diags[0]!.message, /retires on 2026-12-10 \(in 19 days\)/);
    assert.deepEqual(check('model: later').codes, []);
  });

  it('a model past its shutdown date is no longer available (inactive-model), not retiring', () => {
    const { diags } = check('model: gone');
    assert.deepEqual(
      diags.map((d) => [d.code, d.severity]),
      [['inactive-model', 'warning']],
    );
    assert.match(
      diags[0]!.message,
      /^Model is no longer available: "gone" was shut down on 2026-10-01 \(51 days ago\)/,
    );
  });

  it('the shutdown day itself is still "retires today"; the day after it is gone', () => {
    const soon = { now: new Date('2026-12-10T18:00:00Z') };
    assert.match(check('model: soon', '', soon).diags[0]!.message, /retires on 2026-12-10 \(today\)/);
    assert.deepEqual(check('model: soon', '', { now: new Date('2026-12-11T00:00:01Z') }).codes, ['inactive-model']);
  });

  it('checks fallback_model the same way, at its own value', () => {
    const { text, diags } = check('model: gpt-4o\nfallback_model: legacy');
    assert.deepEqual(
      diags.map((d) => [d.code, textAt(text, d.range)]),
      [['inactive-model', 'legacy']],
    );
  });

  it('skips model checks without a catalog', () => {
    assert.deepEqual(check('model: whatever', '', { catalog: undefined }).codes, []);
  });

  it('flags undeclared variables (outside sections) and unused inputs', () => {
    const { text, diags } = check(
      'model: gpt-4o\ninputs:\n  a: {}\n  b: {}\n  items: {type: array}',
      '{{a}} {{c}} {{c}} {{#items}}{{title}}{{/items}}',
    );
    assert.deepEqual(
      diags.map((d) => [d.code, d.severity, textAt(text, d.range)]),
      [
        ['undeclared-variable', 'warning', '{{c}}'],
        ['undeclared-variable', 'warning', '{{c}}'],
        ['unused-input', 'info', 'b'],
      ],
    );
  });
});
