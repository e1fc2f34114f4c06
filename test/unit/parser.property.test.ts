import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { parseConfig } from '../../src/core/config/load';
import { stripBom } from '../../src/core/text/bom';
import { parsePrompt } from '../../src/core/prompt/parse';
import { PROMPT_FIELDS } from '../../src/core/prompt/schema';
import { mustacheVariables, simpleVariables } from '../../src/core/prompt/template';
import type { Range } from '../../src/core/text/lineIndex';
import { isInside } from './helpers/ranges';

// Fragments that stress the parser's edges: delimiters, template tags, role lines, YAML punctuation.
const SHARDS = [
  '---',
  '...',
  '\n',
  '\r\n',
  '\r',
  '{{',
  '}}',
  '{{#a}}',
  '{{/a}}',
  '{{^',
  '{{{',
  '}}}',
  '{{>',
  '{{!',
  'user:',
  'system:\n',
  'assistant:',
  ': ',
  '- ',
  '[',
  ']',
  '{',
  '}',
  '"',
  "'",
  '#',
  '&a',
  '*a',
  '!!',
  '|',
  '>',
  '\t',
  '\0',
  '\uFEFF',
  '\u2028',
  'é',
  '😀',
  '\\',
  '%',
  '@',
];

const shard = fc.constantFrom(...SHARDS);
const noise = fc.array(fc.oneof(shard, fc.string({ maxLength: 6 })), { maxLength: 8 }).map((a) => a.join(''));

const fieldValue = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.double({ noNaN: false }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(
    fc.oneof(fc.string({ maxLength: 5 }), fc.constantFrom('__proto__', 'constructor', 'type')),
    fc.oneof(
      fc.string({ maxLength: 5 }),
      fc.boolean(),
      fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 2 }),
    ),
    { maxKeys: 3 },
  ),
);

const keyName = fc.oneof(
  fc.constantFrom(...PROMPT_FIELDS, '__proto__', 'constructor', 'toString'),
  fc.string({ maxLength: 8 }),
);
const frontMatter = fc.dictionary(keyName, fieldValue, { maxKeys: 8 });

const body = fc
  .array(
    fc.oneof(
      fc.string({ maxLength: 20 }),
      shard,
      fc.constantFrom('{{name}}', '{{ user.name }}', '{{#items}}{{.}}{{/items}}', 'user:\n', 'assistant:\n'),
    ),
    { maxLength: 12 },
  )
  .map((a) => a.join(''));

const wellFormed = fc
  .record({ fm: frontMatter, body, crlf: fc.boolean(), bom: fc.boolean() })
  .map(({ fm, body, crlf, bom }) => {
    let text = `---\n${Object.keys(fm).length ? stringify(fm) : ''}---\n${body}`;
    if (crlf) text = text.replace(/\n/g, '\r\n');
    return bom ? `\uFEFF${text}` : text;
  });

/** Inserts, deletes and duplicates slices of an otherwise well-formed file. */
const mutated = fc
  .tuple(
    wellFormed,
    fc.array(fc.tuple(fc.nat(), fc.nat({ max: 12 }), fc.oneof(fc.constant(''), noise), fc.boolean()), {
      minLength: 1,
      maxLength: 5,
    }),
  )
  .map(([text, edits]) => {
    let t = text;
    for (const [pos, del, ins, dup] of edits) {
      const at = t.length ? pos % (t.length + 1) : 0;
      const piece = dup ? t.slice(at, at + del) : ins;
      t = t.slice(0, at) + piece + t.slice(at + (dup ? 0 : del));
    }
    return t;
  });

const arbitraryFile = fc.oneof(
  { weight: 5, arbitrary: mutated },
  { weight: 3, arbitrary: wellFormed },
  { weight: 1, arbitrary: fc.string({ maxLength: 200, unit: 'binary' }) },
  { weight: 1, arbitrary: noise.map((n) => `---\n${n}`) },
);

function assertInside(text: string, r: Range, what: string) {
  assert.ok(isInside(text, r), `${what} range ${JSON.stringify(r)} lies outside the file`);
}

describe('parser properties', function () {
  this.timeout(300_000);

  it('parsePrompt never throws and every range lies inside the file (10,000 files)', () => {
    fc.assert(
      fc.property(arbitraryFile, (file) => {
        const p = parsePrompt(file, { defaultId: 'x' });
        const text = stripBom(file);
        assert.equal(p.text, text);
        for (const d of p.diagnostics) {
          assertInside(text, d.range, d.code);
          assert.ok(d.message.length > 0);
        }
        for (const [key, r] of p.ranges) {
          assertInside(text, r.value, key);
          if (r.key) assertInside(text, r.key, key);
        }
        for (const v of p.variables) assertInside(text, v.range, `{{${v.name}}}`);
        for (const m of p.messages) assert.ok(m.offset >= 0 && m.offset <= text.length);
      }),
      { numRuns: 10_000 },
    );
  });

  it('a well-formed file keeps whatever model it declares', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9.\-/]{0,20}$/), body, (model, b) => {
        const p = parsePrompt(`---\nmodel: "${model}"\n---\n${b}`, { defaultId: 'x' });
        assert.equal(p.model, model);
        assert.ok(!p.diagnostics.some((d) => d.code === 'missing-model' || d.code === 'yaml-syntax'));
      }),
      { numRuns: 1_000 },
    );
  });

  it('parseConfig never throws and keeps its ranges inside the file', () => {
    const configFile = fc.oneof(
      fc
        .dictionary(
          fc.constantFrom(
            'prompts',
            'providers',
            'defaultModel',
            'fallbackModel',
            'models',
            'refreshIntervalHours',
            'x',
          ),
          fieldValue,
          { maxKeys: 6 },
        )
        .map((o) => stringify(o)),
      noise,
    );
    fc.assert(
      fc.property(configFile, (text) => {
        const c = parseConfig(text, '/r/prompt-registry.yaml', {});
        const clean = stripBom(text);
        for (const d of c.diagnostics) assertInside(clean, d.range, d.code);
        assert.ok(c.config.promptGlobs.length > 0);
        assert.ok(c.config.providers.length > 0);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('template fast path', () => {
  it('finds exactly the variables Mustache finds, or defers to it', () => {
    const piece = fc.oneof(
      fc.constantFrom(
        '{{a}}',
        '{{ b }}',
        '{{c.d}}',
        '{{\te\n}}',
        '{{ x-y }}',
        '{{.}}',
        '{{{t}}}',
        '{{&u}}',
        '{{#s}}',
        '{{/s}}',
        '{{!c}}',
        '{{',
        '}}',
        '{',
        '}',
        ' ',
        '\n',
        '{{a..b}}',
        '{{_}}',
        '{{9}}',
      ),
      fc.string({ maxLength: 4 }),
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 10 }).map((a) => a.join('')),
        (template) => {
          const fast = simpleVariables(template);
          if (!fast) return;
          assert.deepEqual(fast, mustacheVariables(template));
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it('takes the fast path for plain templates', () => {
    assert.deepEqual(simpleVariables('Hi {{name}}, {{ user.id }}!'), [
      { name: 'name', start: 3, end: 11 },
      { name: 'user', start: 13, end: 26 },
    ]);
    assert.equal(simpleVariables('{{#a}}x{{/a}}'), undefined);
  });
});
