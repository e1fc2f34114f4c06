import * as assert from 'node:assert/strict';
import { parseConfig } from '../../src/core/config/load';
import {
  fieldMarkdown,
  inputDetail,
  inputMarkdown,
  modelDetail,
  modelReferenceMarkdown,
  rowOf,
} from '../../src/core/language/describe';
import { declareInputs, diffEdit } from '../../src/core/language/edits';
import {
  fieldDoc,
  fieldsAt,
  INPUT_FIELD_DOCS,
  OUTPUT_FIELD_DOCS,
  PROMPT_FIELD_DOCS,
} from '../../src/core/language/fields';
import { parsePrompt } from '../../src/core/prompt/parse';
import { INPUT_TYPES, PROMPT_FIELDS } from '../../src/core/prompt/schema';
import { applyEdits } from '../../src/core/yaml/edit';
import { catalogOf, model } from './helpers/catalog';

const NOW = new Date('2026-01-15T00:00:00Z');
const config = (yaml = '') => parseConfig(yaml, '/r/prompt-registry.yaml', {}).config;

describe('language: front matter fields', () => {
  it('documents exactly the fields of the format, model required', () => {
    assert.deepEqual(PROMPT_FIELD_DOCS.map((f) => f.name).sort(), [...PROMPT_FIELDS].sort());
    assert.deepEqual(
      PROMPT_FIELD_DOCS.filter((f) => f.required).map((f) => f.name),
      ['model'],
    );
    assert.deepEqual(
      INPUT_FIELD_DOCS.map((f) => f.name),
      ['type', 'description', 'required', 'default', 'enum'],
    );
    assert.deepEqual(
      OUTPUT_FIELD_DOCS.map((f) => f.name),
      ['format', 'schema'],
    );
  });

  it('knows how each value is written and which values are allowed', () => {
    const layout = Object.fromEntries(PROMPT_FIELD_DOCS.map((f) => [f.name, f.layout]));
    assert.equal(layout.model, 'scalar');
    assert.equal(layout.inputs, 'map');
    assert.equal(layout.output, 'map');
    assert.equal(layout.tags, 'list');
    assert.deepEqual(fieldDoc(['inputs', 'x', 'type'])?.values, [...INPUT_TYPES]);
    assert.deepEqual(fieldDoc(['inputs', 'x', 'required'])?.values, ['true', 'false']);
    assert.deepEqual(fieldDoc(['output', 'format'])?.values, ['text', 'json']);
    assert.equal(fieldDoc(['model'])?.values, undefined);
  });

  it('uses the schema descriptions', () => {
    assert.match(fieldDoc(['model'])!.doc, /^The model that runs this prompt, as listed in the catalog\./);
    assert.match(fieldDoc(['fallback_model'])!.doc, /Tried once when the model fails/);
  });

  it('knows which mappings have fixed keys', () => {
    assert.equal(fieldsAt([]), PROMPT_FIELD_DOCS);
    assert.equal(fieldsAt(['inputs', 'tone']), INPUT_FIELD_DOCS);
    assert.equal(fieldsAt(['output']), OUTPUT_FIELD_DOCS);
    assert.equal(fieldsAt(['inputs']), undefined);
    assert.equal(fieldsAt(['output', 'schema']), undefined);
    assert.equal(fieldDoc([]), undefined);
    assert.equal(fieldDoc(['nope']), undefined);
  });

  it('renders field docs as Markdown', () => {
    assert.equal(fieldMarkdown(fieldDoc(['model'])!).split('\n')[0], '**`model`** · string · required');
  });
});

describe('language: model descriptions', () => {
  const catalog = catalogOf(
    model('gpt-4o', {
      displayName: 'GPT-4o',
      contextWindow: 128_000,
      inputPricePer1M: 2.5,
      outputPricePer1M: 10,
      recommended: true,
      firstSeen: '2025-01-01T00:00:00.000Z',
      lastSeen: '2026-01-10T00:00:00.000Z',
    }),
    model('gpt-4o-2024-05-13', {
      contextWindow: 128_000,
      inputPricePer1M: 5,
      outputPricePer1M: 15,
      deprecationDate: '2025-12-01',
    }),
    model('gpt-3.5-turbo-0301', { active: false, lastSeen: '2025-06-01T00:00:00.000Z' }),
    model('gpt-4.1'),
    model('gpt-4o', { provider: 'azure' }),
  );
  const cfg = config(
    'defaultModel: openai/gpt-4o\nmodels:\n  enabled: [openai/gpt-4o, gpt-4o-2024-05-13, gpt-3.5-turbo-0301]\n  labels: { openai/gpt-4o: "GPT-4o (general)" }\n',
  );

  it('a found model: provider, prices, context window, status, first and last seen, deprecation date', () => {
    const md = modelReferenceMarkdown('openai/gpt-4o', catalog, cfg, NOW);
    assert.equal(
      md,
      [
        '**GPT\\-4o \\(general\\)** `openai/gpt-4o`',
        '',
        '| | |',
        '|---|---|',
        '| Provider | openai |',
        '| Price per 1M tokens (in / out) | $2.50 / $10.00 |',
        '| Context window | 128k tokens |',
        '| Status | Active · recommended · ⭐ workspace default |',
        '| First seen | 2025-01-01 |',
        '| Last seen | 2026-01-10 |',
        '| Deprecation date | none announced |',
      ].join('\n'),
    );
  });

  it('a retired, an inactive and a disabled model say so', () => {
    const retired = modelReferenceMarkdown('gpt-4o-2024-05-13', catalog, cfg, NOW);
    assert.match(retired, /\| Status \| ⚠️ No longer available: shut down on 2025-12-01 \(45 days ago\) \|/);
    assert.match(retired, /\| Deprecation date \| 2025-12-01 \(45 days ago\) \|/);
    const inactive = modelReferenceMarkdown('gpt-3.5-turbo-0301', catalog, cfg, NOW);
    assert.match(inactive, /\| Status \| ⚠️ No longer available: missing from openai's model list since 2025-06-01 \|/);
    assert.match(modelReferenceMarkdown('gpt-4.1', catalog, cfg, NOW), /not enabled in this workspace/);
  });

  it('unknown, ambiguous, and no catalog', () => {
    assert.equal(
      modelReferenceMarkdown('gpt-4oo', catalog, cfg, NOW),
      '**Unknown model** `gpt-4oo`: it is not in the model catalog. Did you mean `gpt-4o`, `gpt-4.1`?',
    );
    assert.match(
      modelReferenceMarkdown('gpt-4o', catalog, cfg, NOW),
      /offered by several providers; write one of:\n\n- `openai\/gpt-4o`\n- `azure\/gpt-4o`$/,
    );
    assert.match(modelReferenceMarkdown('gpt-4o', undefined, cfg, NOW), /no model catalog yet/);
  });

  it('a one-line detail for completion items, with prices', () => {
    const row = rowOf(catalog.models[0]!, catalog, cfg);
    assert.equal(modelDetail(row), '$2.50 / $10.00 per 1M in/out · 128k context · default · recommended');
    assert.equal(modelDetail(rowOf(catalog.models[3]!, catalog, cfg)), '— per 1M in/out · — context · not enabled');
  });
});

describe('language: inputs', () => {
  it('describes a declared input and an undeclared one', () => {
    const spec = {
      type: 'string' as const,
      description: 'How to sound',
      required: true,
      default: 'friendly',
      enum: ['friendly', 'formal'],
    };
    assert.equal(
      inputMarkdown('tone', spec),
      '**`tone`** · string · required\n\nHow to sound\n\n- Default: `"friendly"`\n- One of: `"friendly"`, `"formal"`',
    );
    assert.equal(inputMarkdown('x', undefined), '`{{x}}` is not declared in `inputs`.');
    assert.equal(inputDetail({}), 'string · optional');
    assert.equal(inputDetail({ type: 'number', required: true }), 'number · required');
    assert.equal(inputDetail({ required: true, default: 1 }), 'string · has default');
  });
});

describe('language: edits', () => {
  it('diffEdit is the one minimal replacement', () => {
    assert.equal(diffEdit('abc', 'abc'), undefined);
    assert.deepEqual(diffEdit('model: a\n', 'model: b\n'), { start: 7, end: 8, newText: 'b' });
    assert.deepEqual(diffEdit('ab', 'aXb'), { start: 1, end: 1, newText: 'X' });
    for (const [a, b] of [
      ['x\r\ny', 'x\r\nz\r\ny'],
      ['a\r\n', 'a\r\nb\r\n'],
      ['', 'abc'],
      ['abc', ''],
    ]) {
      const e = diffEdit(a!, b!)!;
      assert.equal(applyEdits(a!, [e]), b);
      assert.ok(!(a![e.start - 1] === '\r' && a![e.start] === '\n'), 'does not start inside a CRLF');
      assert.ok(!(a![e.end - 1] === '\r' && a![e.end] === '\n'), 'does not end inside a CRLF');
    }
  });

  it('declareInputs adds each input as {type: string} in one edit, leaving the rest byte-for-byte', () => {
    const text =
      '---\r\nmodel: gpt-4o # keep\r\ninputs:\r\n  used: { type: string }\r\n---\r\nUse {{used}}, {{a}} and {{b}}.\r\n';
    const r = declareInputs(text, ['a', 'b', 'a']);
    assert.ok(r.ok);
    assert.equal(r.edits.length, 1);
    assert.equal(applyEdits(text, r.edits), r.text);
    // The new inputs follow the flow style of the existing one.
    assert.equal(
      r.text,
      '---\r\nmodel: gpt-4o # keep\r\ninputs:\r\n  used: { type: string }\r\n  a: {type: string}\r\n  b: {type: string}\r\n---\r\nUse {{used}}, {{a}} and {{b}}.\r\n',
    );
    const p = parsePrompt(r.text, { defaultId: 'x' });
    assert.deepEqual(Object.keys(p.inputs), ['used', 'a', 'b']);
  });

  it('declareInputs refuses broken front matter and changes nothing', () => {
    const r = declareInputs('---\nmodel: [\n---\n{{a}}\n', ['a']);
    assert.equal(r.ok, false);
  });
});
