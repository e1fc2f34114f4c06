import * as assert from 'node:assert/strict';
import { promptCursorContext, yamlCursorContext, type CursorContext } from '../../src/core/language/context';

/** `text` with `|` marking the cursor (the only `|` in it); returns the context and the replaced text. */
function at(marked: string, fn = promptCursorContext): { ctx: CursorContext; range?: string } {
  const offset = marked.indexOf('|');
  assert.ok(offset >= 0 && marked.indexOf('|', offset + 1) === -1, 'exactly one | marks the cursor');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  const ctx = fn(text, offset);
  return { ctx, range: ctx.kind === 'none' ? undefined : text.slice(ctx.start, ctx.end) };
}

function expectKey(
  marked: string,
  path: string[],
  range: string,
  extra: { hasColon?: boolean; siblings?: string[] } = {},
): void {
  const { ctx, range: r } = at(marked);
  assert.equal(ctx.kind, 'key', `${JSON.stringify(marked)}: ${JSON.stringify(ctx)}`);
  if (ctx.kind !== 'key') return;
  assert.deepEqual(ctx.path, path);
  assert.equal(r, range);
  if (extra.hasColon !== undefined) assert.equal(ctx.hasColon, extra.hasColon);
  if (extra.siblings) assert.deepEqual(ctx.siblings, extra.siblings);
}

function expectValue(
  marked: string,
  path: string[],
  range: string,
  extra: Partial<Extract<CursorContext, { kind: 'value' }>> = {},
  fn = promptCursorContext,
): void {
  const { ctx, range: r } = at(marked, fn);
  assert.equal(ctx.kind, 'value', `${JSON.stringify(marked)}: ${JSON.stringify(ctx)}`);
  if (ctx.kind !== 'value') return;
  assert.deepEqual(ctx.path, path);
  assert.equal(r, range, `${JSON.stringify(marked)}: replaced text`);
  for (const [k, v] of Object.entries(extra))
    assert.deepEqual((ctx as Record<string, unknown>)[k], v, `${JSON.stringify(marked)}: ${k}`);
}

function expectNone(marked: string, fn = promptCursorContext): void {
  const { ctx } = at(marked, fn);
  assert.equal(ctx.kind, 'none', `${JSON.stringify(marked)}: ${JSON.stringify(ctx)}`);
}

describe('cursor context: front matter values', () => {
  it('after "model:" with a space, the value to replace', () => {
    expectValue('---\nmodel: |\n---\nBody\n', ['model'], '', { needsSpace: false, prefix: '' });
    expectValue('---\nmodel: gp|\n---\nBody\n', ['model'], 'gp', { prefix: 'gp' });
    expectValue('---\nmodel: gp|t-4o\n---\nBody\n', ['model'], 'gpt-4o', { prefix: 'gp' });
    expectValue('---\nname: x\nfallback_model: gpt-4o-m|\n---\n', ['fallback_model'], 'gpt-4o-m');
  });

  it('right after the colon, a completion needs a space', () => {
    expectValue('---\nmodel:|\n---\nBody\n', ['model'], '', { needsSpace: true });
  });

  it('stops before a comment and trailing spaces', () => {
    expectValue('---\nmodel: gpt|-4o   # pinned\n---\n', ['model'], 'gpt-4o');
    expectNone('---\nmodel: gpt-4o # pin|ned\n---\n');
  });

  it('inside quotes, replaces the text between them', () => {
    expectValue('---\nmodel: "gpt-|4o"\n---\n', ['model'], 'gpt-4o', { quote: '"', prefix: 'gpt-' });
    expectValue("---\nmodel: 'g|\n---\n", ['model'], 'g', { quote: "'", prefix: 'g' });
    expectNone('---\nmodel: "gpt-4o" |\n---\n');
  });

  it('keeps CRLF, a BOM and tabs out of the way', () => {
    expectValue('---\r\nname: x\r\nmodel: gp|\r\n---\r\nBody\r\n', ['model'], 'gp');
    const text = '\uFEFF---\nmodel: gp\n---\n';
    const ctx = promptCursorContext(text, text.indexOf('gp') + 2);
    assert.equal(ctx.kind, 'value');
    if (ctx.kind === 'value') assert.equal(text.slice(ctx.start, ctx.end), 'gp', 'offsets count the BOM');
  });

  it('gives the full path of nested values and list items', () => {
    expectValue('---\ninputs:\n  tone:\n    type: str|\n---\n', ['inputs', 'tone', 'type'], 'str');
    expectValue('---\noutput:\n  format: |\n---\n', ['output', 'format'], '');
    expectValue('---\ntags: [a, b|\n---\n', ['tags'], 'b', { inList: true });
    expectValue('---\ntags:\n  - a\n  - |\n---\n', ['tags'], '', { inList: true });
  });

  it('is nothing inside block scalars, flow maps, or after an anchor', () => {
    expectNone('---\ndescription: >\n  some text |\n---\n');
    expectNone('---\ninputs: { a: |\n---\n');
    expectNone('---\nmodel: &m |\n---\n');
  });
});

describe('cursor context: front matter keys', () => {
  it('at the top, with the keys already written', () => {
    expectKey('---\nname: x\n|\nmodel: gpt-4o\n---\nBody\n', [], '', { hasColon: false, siblings: ['name', 'model'] });
    expectKey('---\nname: x\nmod|\n---\n', [], 'mod', { hasColon: false, siblings: ['name'] });
    expectKey('---\nmo|del: gpt-4o\n---\n', [], 'model', { hasColon: true, siblings: [] });
  });

  it('inside inputs and one input', () => {
    expectKey('---\nmodel: x\ninputs:\n  used: { type: string }\n  |\n---\n', ['inputs'], '', { siblings: ['used'] });
    expectKey('---\ninputs:\n  tone:\n    type: string\n    req|\n---\n', ['inputs', 'tone'], 'req', {
      siblings: ['type'],
    });
    expectKey(
      '---\ninputs:\n  tone:\n    type: string\n\n    # a comment\n    |\nmodel: x\n---\n',
      ['inputs', 'tone'],
      '',
      { siblings: ['type'] },
    );
  });

  it('an unclosed front matter is still front matter', () => {
    expectKey('---\nmod|', [], 'mod');
  });

  it('is nothing on the delimiters, in comments, or in the body', () => {
    expectNone('|---\nmodel: x\n---\n');
    expectNone('---\nmodel: x\n|---\n');
    expectNone('---\n# a comm|\nmodel: x\n---\n');
    expectNone('---\nmodel: x\n---\nmod|\n');
  });
});

describe('cursor context: template variables', () => {
  function expectVariable(marked: string, range: string, extra: { sigil?: string; close?: string } = {}): void {
    const { ctx, range: r } = at(marked);
    assert.equal(ctx.kind, 'variable', `${JSON.stringify(marked)}: ${JSON.stringify(ctx)}`);
    if (ctx.kind !== 'variable') return;
    assert.equal(r, range);
    if (extra.sigil !== undefined) assert.equal(ctx.sigil, extra.sigil);
    if (extra.close !== undefined) assert.equal(ctx.close, extra.close);
  }

  it('inside {{, with what closes the tag', () => {
    expectVariable('---\nmodel: x\n---\nHello {{|', '', { sigil: '', close: '}}' });
    expectVariable('---\nmodel: x\n---\nHello {{na|', 'na', { close: '}}' });
    expectVariable('---\nmodel: x\n---\nHello {{na|me}} there', 'name', { close: '' });
    expectVariable('---\nmodel: x\n---\nHello {{ |  }}', '', { close: '' });
    expectVariable('Hello {{{ra|', 'ra', { sigil: '{', close: '}}}' });
    expectVariable('{{#fi|', 'fi', { sigil: '#' });
    expectVariable('{{/fi|}}', 'fi', { sigil: '/', close: '' });
  });

  it('is nothing outside a tag, after a dot, in a comment tag, or in the front matter', () => {
    expectNone('---\nmodel: x\n---\nHello {{name}} |');
    expectNone('Hello {{user.na|');
    expectNone('Hello {{! no|');
    expectValue('---\nmodel: "{{x|"\n---\n', ['model'], '{{x', { quote: '"' });
  });
});

describe('cursor context: prompt-registry.yaml', () => {
  const cfg = (
    marked: string,
    path: string[],
    range: string,
    extra: Partial<Extract<CursorContext, { kind: 'value' }>> = {},
  ) => expectValue(marked, path, range, extra, yamlCursorContext);

  it('defaultModel, fallbackModel and models.enabled entries', () => {
    cfg('defaultModel: gp|\n', ['defaultModel'], 'gp');
    cfg('# c\nfallbackModel:|\n', ['fallbackModel'], '', { needsSpace: true });
    cfg('models:\n  enabled: [gpt-4o, gp|]\n', ['models', 'enabled'], 'gp', { inList: true });
    cfg('models:\n  enabled: [gpt-4o, |gpt-4o-mini]\n', ['models', 'enabled'], 'gpt-4o-mini', { inList: true });
    cfg('models:\n  enabled:\n    - gpt-4o\n    - g|\n  labels: {}\n', ['models', 'enabled'], 'g', { inList: true });
    cfg('models:\n  enabled:\n  - |\n', ['models', 'enabled'], '', { inList: true });
  });

  it('is nothing inside list items that are mappings', () => {
    expectNone('providers:\n  - name: op|\n', yamlCursorContext);
  });
});
