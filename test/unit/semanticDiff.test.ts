import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { parsePrompt } from '../../src/core/prompt/parse';
import { semanticDiff, summarizeDiff, type SemanticDiff } from '../../src/core/review/semanticDiff';
import { catalogOf, model } from './helpers/catalog';

const CATALOG = catalogOf(
  model('gpt-4o', { inputPricePer1M: 2.5, outputPricePer1M: 10, contextWindow: 128_000 }),
  model('gpt-5', { inputPricePer1M: 0.625, outputPricePer1M: 5, contextWindow: 400_000 }),
  model('no-price', { contextWindow: 8_000 }),
  model('twin'),
  model('twin', { provider: 'azure' }),
);

function prompt(fields: Record<string, unknown>, body = 'Hello {{name}}.\n', id = 'greet') {
  return parsePrompt(`---\n${stringify(fields)}---\n${body}`, { defaultId: id });
}

const BASE = { model: 'gpt-4o', temperature: 0.2, inputs: { name: { type: 'string', required: true } } };

describe('semanticDiff', () => {
  it('says "no changes" for equal versions, whatever the YAML layout', () => {
    const a = prompt(BASE);
    const b = parsePrompt(
      '---\nmodel:   gpt-4o   # same\ntemperature: 0.2\ninputs: { name: { required: true, type: string } }\n---\nHello {{name}}.\n',
      { defaultId: 'greet' },
    );
    const d = semanticDiff(a, b, CATALOG);
    assert.equal(d.kind, 'unchanged');
    assert.equal(summarizeDiff(d), 'no changes');
  });

  it('compares model prices per 1M tokens and the context window from the catalog', () => {
    const d = semanticDiff(prompt(BASE), prompt({ ...BASE, model: 'gpt-5' }), CATALOG);
    assert.equal(d.model?.before?.ref, 'gpt-4o');
    assert.equal(d.model?.after?.ref, 'gpt-5');
    assert.deepEqual(d.model?.inputPrice, { before: 2.5, after: 0.625, delta: -1.875, percent: -75 });
    assert.deepEqual(d.model?.outputPrice, { before: 10, after: 5, delta: -5, percent: -50 });
    assert.equal(d.model?.contextWindow?.delta, 272_000);
    assert.equal(
      summarizeDiff(d),
      'model gpt-4o → gpt-5 · input price −75 % · output price −50 % · context 128k → 400k',
    );
  });

  it('says why prices are missing: no catalog, unknown, ambiguous or unpriced models', () => {
    const noCatalog = semanticDiff(prompt(BASE), prompt({ ...BASE, model: 'gpt-5' }));
    assert.equal(noCatalog.model?.after?.lookup, 'no-catalog');
    assert.equal(noCatalog.model?.inputPrice, undefined);
    assert.match(noCatalog.model!.notes.join(), /No model catalog/);
    assert.equal(summarizeDiff(noCatalog), 'model gpt-4o → gpt-5 (no catalog)');

    const unknown = semanticDiff(prompt(BASE), prompt({ ...BASE, model: 'gpt-9' }), CATALOG);
    assert.equal(unknown.model?.after?.lookup, 'unknown');
    assert.match(unknown.model!.notes.join(), /"gpt-9" is not in the model catalog/);
    assert.equal(summarizeDiff(unknown), 'model gpt-4o → gpt-9 (gpt-9 not in catalog)');

    const ambiguous = semanticDiff(prompt(BASE), prompt({ ...BASE, model: 'twin' }), CATALOG);
    assert.equal(ambiguous.model?.after?.lookup, 'ambiguous');
    assert.match(ambiguous.model!.notes.join(), /several providers/);

    const unpriced = semanticDiff(prompt(BASE), prompt({ ...BASE, model: 'no-price' }), CATALOG);
    assert.equal(unpriced.model?.inputPrice, undefined);
    assert.equal(unpriced.model?.contextWindow?.after, 8_000);
    assert.match(unpriced.model!.notes.join(), /no price for "no-price"/);
  });

  it('lists param changes, including a param set or unset', () => {
    const d = semanticDiff(
      prompt({ ...BASE, top_p: 0.9 }),
      prompt({ ...BASE, temperature: 0.7, max_tokens: 400 }),
      CATALOG,
    );
    assert.deepEqual(d.params, [
      { field: 'temperature', before: 0.2, after: 0.7 },
      { field: 'max_tokens', after: 400 },
      { field: 'top_p', before: 0.9 },
    ]);
    assert.equal(summarizeDiff(d), 'temperature 0.2 → 0.7 · max_tokens unset → 400 · top_p 0.9 → unset');
  });

  it('lists inputs added, removed and changed, with defaults applied so "type: string" alone is no change', () => {
    const before = prompt({ ...BASE, inputs: { name: { required: true }, ticket: {}, old: { type: 'number' } } });
    const after = prompt({
      ...BASE,
      inputs: {
        name: { required: true, type: 'string' },
        ticket: { required: true, default: 'n/a', enum: ['n/a', 'x'] },
        tone: { type: 'string', default: 'friendly' },
      },
    });
    const d = semanticDiff(before, after, CATALOG);
    assert.deepEqual(
      d.inputs.map((i) => [i.name, i.kind]),
      [
        ['ticket', 'changed'],
        ['old', 'removed'],
        ['tone', 'added'],
      ],
    );
    assert.deepEqual(d.inputs[0]!.fields, [
      { field: 'required', before: false, after: true },
      { field: 'default', after: 'n/a' },
      { field: 'enum', after: ['n/a', 'x'] },
    ]);
    assert.deepEqual(d.inputs[2]!.after, { type: 'string', required: false, default: 'friendly' });
    assert.equal(summarizeDiff(d), '+1 input (tone) · −1 input (old) · ~1 input (ticket)');
  });

  it('reports output format and the schema paths that changed', () => {
    const schema = {
      type: 'object',
      properties: { answer: { type: 'string' }, score: { type: 'number' } },
      required: ['answer'],
    };
    const schema2 = {
      type: 'object',
      properties: { answer: { type: 'string', maxLength: 200 }, tags: { type: 'array' } },
      required: ['answer', 'tags'],
    };
    const text = semanticDiff(prompt(BASE), prompt({ ...BASE, output: { format: 'json', schema } }), CATALOG);
    assert.deepEqual(text.output?.format, { before: 'text', after: 'json' });
    assert.deepEqual(text.output?.schema?.paths, [{ path: '(root)', kind: 'added' }]);
    const d = semanticDiff(
      prompt({ ...BASE, output: { format: 'json', schema } }),
      prompt({ ...BASE, output: { format: 'json', schema: schema2 } }),
      CATALOG,
    );
    assert.equal(d.output?.format, undefined);
    assert.deepEqual(d.output?.schema?.paths, [
      { path: 'properties.answer.maxLength', kind: 'added' },
      { path: 'properties.score', kind: 'removed' },
      { path: 'properties.tags', kind: 'added' },
      { path: 'required', kind: 'changed' },
    ]);
    assert.equal(summarizeDiff(d), 'output schema changed');
  });

  it('counts body lines added and removed, with hunks at file line numbers, ignoring CRLF vs LF', () => {
    const before = prompt(BASE, 'You help.\nBe brief.\n\nuser:\n{{name}}\n');
    const after = prompt(BASE, 'You help.\nBe brief and kind.\nNever guess.\n\nuser:\n{{name}}\n');
    const d = semanticDiff(before, after, CATALOG);
    assert.equal(d.body?.added, 2);
    assert.equal(d.body?.removed, 1);
    const firstBodyLine = before.text.split('\n').indexOf('You help.') + 1;
    assert.equal(d.body?.hunks[0]?.beforeStart, firstBodyLine);
    assert.deepEqual(d.body?.hunks[0]?.lines, [
      ' You help.',
      '-Be brief.',
      '+Be brief and kind.',
      '+Never guess.',
      ' ',
    ]);
    assert.equal(summarizeDiff(d), 'body +2 −1');
    const crlf = parsePrompt(before.text.replace(/\n/g, '\r\n'), { defaultId: 'greet' });
    assert.equal(semanticDiff(before, crlf, CATALOG).kind, 'unchanged');
  });

  it('reports name, description, tags, fallback_model, id and unknown front matter keys', () => {
    const before = prompt({ ...BASE, name: 'Greet', tags: ['a', 'b'], fallback_model: 'gpt-4o', frequency_penalty: 1 });
    const after = prompt({
      ...BASE,
      id: 'hello',
      description: 'Says hello',
      tags: ['b', 'c'],
      fallback_model: 'gpt-5',
    });
    const d = semanticDiff(before, after, CATALOG);
    assert.deepEqual(d.id, { before: 'greet', after: 'hello' });
    assert.deepEqual(
      d.fields.map((f) => f.field),
      ['id', 'name', 'description', 'tags', 'fallback_model', 'frequency_penalty'],
    );
    assert.equal(
      summarizeDiff(d),
      'id greet → hello · name removed · description added · tags +c −a · fallback_model gpt-4o → gpt-5 · frequency_penalty 1 → unset',
    );
  });

  it('treats a missing side as added or removed', () => {
    const p = prompt({ ...BASE, inputs: { name: {}, tone: {} } }, 'One.\nTwo.\n');
    const added = semanticDiff(undefined, p, CATALOG);
    assert.equal(added.kind, 'added');
    assert.equal(added.model?.after?.inputPricePer1M, 2.5);
    assert.deepEqual(
      added.inputs.map((i) => i.kind),
      ['added', 'added'],
    );
    assert.equal(summarizeDiff(added), 'new prompt · model gpt-4o · 2 inputs · 2 lines');
    const removed = semanticDiff(p, undefined, CATALOG);
    assert.equal(removed.kind, 'removed');
    assert.equal(removed.body?.removed, 2);
    assert.equal(summarizeDiff(removed), 'removed · was on gpt-4o');
  });

  it('summarises the example from the issue', () => {
    const before = prompt({ model: 'gpt-4o', temperature: 0.2, inputs: { name: {} } });
    const after = prompt({ model: 'gpt-5', temperature: 0.7, inputs: { name: {}, tone: {} } });
    const line = summarizeDiff(
      semanticDiff(
        before,
        after,
        catalogOf(model('gpt-4o', { inputPricePer1M: 4 }), model('gpt-5', { inputPricePer1M: 1 })),
      ),
    );
    assert.equal(line, 'model gpt-4o → gpt-5 · input price −75 % · temperature 0.2 → 0.7 · +1 input (tone)');
  });

  describe('properties', () => {
    const value = fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
    );
    const inputs = fc.dictionary(
      fc.constantFrom('name', 'tone', 'ticket', 'constructor', 'toString'),
      fc.record(
        { type: fc.constantFrom('string', 'number'), required: fc.boolean(), default: fc.string({ maxLength: 4 }) },
        { requiredKeys: [] },
      ),
      { maxKeys: 4 },
    );
    const fields = fc.record(
      {
        model: fc.constantFrom('gpt-4o', 'gpt-5', 'no-price', 'twin', 'gpt-9'),
        temperature: fc.constantFrom(0, 0.2, 0.7, 'hot'),
        max_tokens: fc.integer({ min: 1, max: 5 }),
        tags: fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 3 }),
        inputs,
        output: fc.record(
          {
            format: fc.constantFrom('text', 'json'),
            schema: fc.dictionary(fc.constantFrom('type', 'required', 'properties'), value, { maxKeys: 2 }),
          },
          { requiredKeys: [] },
        ),
        __proto__: value,
        extra: value,
      },
      { requiredKeys: [] },
    );
    const body = fc
      .array(fc.constantFrom('a', 'b', 'user:', '{{name}}', '', 'c\r'), { maxLength: 6 })
      .map((l) => l.join('\n'));
    const version = fc.record({ fields, body }).map(({ fields, body }) => prompt(fields, body));
    const catalog = fc.constantFrom(CATALOG, undefined);

    it('a version against itself is unchanged', () => {
      fc.assert(fc.property(version, catalog, (p, c) => semanticDiff(p, p, c).kind === 'unchanged'));
    });

    it('is plain JSON and mirrors when the sides swap', () => {
      fc.assert(
        fc.property(
          fc.option(version, { nil: undefined }),
          fc.option(version, { nil: undefined }),
          catalog,
          (a, b, c) => {
            const d = semanticDiff(a, b, c);
            assert.deepStrictEqual(JSON.parse(JSON.stringify(d)), d);
            const back = semanticDiff(b, a, c);
            const flip: Record<SemanticDiff['kind'], SemanticDiff['kind']> = {
              added: 'removed',
              removed: 'added',
              changed: 'changed',
              unchanged: 'unchanged',
            };
            assert.equal(back.kind, flip[d.kind]);
            assert.equal(back.body?.added, d.body?.removed);
            assert.deepEqual(
              back.inputs.map((i) => i.kind).sort(),
              d.inputs.map((i) => (i.kind === 'added' ? 'removed' : i.kind === 'removed' ? 'added' : i.kind)).sort(),
            );
            assert.deepEqual(
              back.params.map((p) => [p.field, p.before, p.after]),
              d.params.map((p) => [p.field, p.after, p.before]),
            );
            const line = summarizeDiff(d);
            assert.ok(!line.includes('\n') && line.length > 0);
            assert.equal(line === 'no changes', d.kind === 'unchanged' || (!a && !b));
          },
        ),
        { numRuns: 300 },
      );
    });
  });
});
