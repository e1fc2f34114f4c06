import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { parseConfig } from '../../src/core/config/load';
import { stripBom } from '../../src/core/text/bom';
import { parsePrompt } from '../../src/core/prompt/parse';
import { PROMPT_FIELDS } from '../../src/core/prompt/schema';
import { mustacheVariables, simpleVariables } from '../../src/core/prompt/template';
import type { Range } from '../../src/core/text/lineIndex';
import { splitFrontMatter } from '../../src/core/prompt/frontMatter';
import { fastLoad } from '../../src/core/yaml/fastLoad';
import { parseYaml } from '../../src/core/yaml/sourceMap';
import { topLevelSpan } from '../../src/core/yaml/topLevelSpan';
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

describe('top-level span fast path', function () {
  this.timeout(300_000);

  /** Files with simple one-line values, so the scan has plenty to find (and quotes, comments, continuations to refuse). */
  const simpleValue = fc.oneof(
    fc.stringMatching(/^[a-z][a-z0-9.\-/:# ]{0,14}$/),
    fc.stringMatching(/^[a-z0-9.\-/]{1,10}$/).map((v) => `"${v}"`),
    fc.stringMatching(/^[a-z0-9.\-/]{1,10}$/).map((v) => `'${v}'`),
    fc.stringMatching(/^[a-z0-9]{1,6}$/).map((v) => `${v} # note`),
    fc.stringMatching(/^[a-z0-9]{1,6}$/).map((v) => `${v}\n  more`),
    fc.constantFrom('', '""', '|\n  text', '[a, b]', '&x y', '!!str z', '"a\\"b"', "'it''s'", 'a: b', 'x\t# t'),
  );
  const simpleFile = fc
    .array(fc.tuple(fc.constantFrom(...PROMPT_FIELDS, 'x', 'true', 'a b'), simpleValue), { maxLength: 8 })
    .map((pairs) => `---\n${pairs.map(([k, v]) => `${k}: ${v}\n`).join('')}---\n`);
  const anyFile = fc.oneof(
    { weight: 2, arbitrary: simpleFile },
    { weight: 2, arbitrary: arbitraryFile },
    {
      weight: 2,
      arbitrary: fc
        .tuple(simpleFile, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 6 }), noise), { maxLength: 3 }))
        .map(([t, edits]) =>
          edits.reduce((a, [pos, del, ins]) => {
            const at = pos % (a.length + 1);
            return a.slice(0, at) + ins + a.slice(at + del);
          }, t),
        ),
    },
  );

  it('gives the same span as the full parse whenever it gives one (20,000 files)', () => {
    let hits = 0;
    fc.assert(
      fc.property(anyFile, (file) => {
        const fm = splitFrontMatter(stripBom(file));
        if (!fm.present || !fm.closed) return;
        const fast = fastLoad(fm.yaml);
        if (!fast.ok || !fast.value || typeof fast.value !== 'object' || Array.isArray(fast.value)) return;
        const value = fast.value as Record<string, unknown>;
        let full: ReturnType<typeof parseYaml> | undefined;
        for (const key of Object.keys(value)) {
          const cheap = topLevelSpan(fm.yaml, key, value[key]);
          if (!cheap) continue;
          hits++;
          full ??= parseYaml(fm.yaml);
          assert.deepEqual(cheap, full.spans.get(key), `${JSON.stringify(fm.yaml)} key ${key}`);
        }
      }),
      { numRuns: 20_000 },
    );
    assert.ok(hits > 3_000, `the scan found only ${hits} spans: the property barely tested it`);
  });

  it('parsePrompt.rangeOf matches ranges on every well-formed and mutated file', () => {
    fc.assert(
      fc.property(anyFile, (file) => {
        const cheap = parsePrompt(file, { defaultId: 'x' });
        const keys = Object.keys(cheap.raw).filter((k) => !k.includes('.'));
        const got = keys.map((k) => cheap.rangeOf(k));
        const full = parsePrompt(file, { defaultId: 'x' }).ranges;
        keys.forEach((k, i) => assert.deepEqual(got[i], full.get(k), `${JSON.stringify(file)} key ${k}`));
      }),
      { numRuns: 2_000 },
    );
  });

  it('refuses what it cannot read', () => {
    const span = (t: string, k: string, v: unknown) => topLevelSpan(t, k, v);
    assert.deepEqual(span('id: a\nmodel: gpt-4o # c\n', 'model', 'gpt-4o'), { key: [6, 11], value: [13, 19] });
    assert.equal(span('model: a\n  b\n', 'model', 'a b'), undefined);
    assert.equal(span('model: a\nmodel: a\n', 'model', 'a'), undefined);
    assert.equal(span('"model": a\n', 'model', 'a'), undefined);
    assert.equal(span('model: &x a\n', 'model', 'a'), undefined);
    assert.equal(span('model: 1\n', 'model', 1), undefined);
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
