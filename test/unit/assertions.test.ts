import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { evaluateAssertion, type AnswerFacts } from '../../src/core/assert/evaluate';
import { parseVerdict } from '../../src/core/assert/rubric';
import { classify } from '../../src/core/suite/parse';
import { ASSERTION_TYPES } from '../../src/core/suite/schema';
import type { Assertion } from '../../src/core/suite/types';
import { ZERO_RANGE } from '../../src/core/text/lineIndex';
import { REPO_ROOT } from './helpers/tmp';

function a(type: string, value?: unknown, threshold?: number): Assertion {
  const k = classify(type);
  if (typeof k === 'string') throw new Error(k);
  return { type, base: k.base, negate: k.negate, value, threshold, range: ZERO_RANGE, fromDefaults: false };
}

const facts = (output: string, extra: Partial<AnswerFacts> = {}): AnswerFacts => ({
  output,
  latencyMs: 120,
  costUsd: 0.002,
  tokens: { input: 100, output: 40 },
  model: 'gpt-4o',
  ...extra,
});

async function status(type: string, value: unknown, output: string, extra: Partial<AnswerFacts> = {}) {
  return (await evaluateAssertion(a(type, value), facts(output, extra))).status;
}

describe('assertions', () => {
  // [type, value, an answer that passes, an answer that fails]
  const table: [string, unknown, string, string, Partial<AnswerFacts>?][] = [
    ['equals', 'Refund requested', '  Refund requested\n', 'Refund denied'],
    ['equals', { area: 'billing', n: [1, 2] }, '{"n": [1, 2], "area": "billing"}', '{"area": "app"}'],
    ['contains', 'refund', 'a refund is on its way', 'no money back'],
    ['icontains', 'REFUND', 'a Refund is on its way', 'no money back'],
    ['starts-with', '{"area"', '  {"area": "x"}', 'Sure! {"area": "x"}'],
    ['regex', '^\\d{3}-\\d{4}$', '555-1234', 'call 555-1234'],
    ['regex', '/urgent/i', 'URGENT: now', 'later'],
    ['is-json', undefined, '{"a": 1}', '```json\n{"a": 1}\n```'],
    [
      'json-schema',
      { type: 'object', required: ['urgency'], properties: { urgency: { enum: ['low', 'high'] } } },
      '{"urgency": "low"}',
      '{"urgency": "soon"}',
    ],
    ['max-latency-ms', 500, 'x', 'x', { latencyMs: 501 }],
    ['max-cost-usd', 0.01, 'x', 'x', { costUsd: 0.02 }],
    ['max-tokens', 40, 'x', 'x', { tokens: { input: 1, output: 41 } }],
  ];
  for (const [type, value, good, bad, badFacts] of table) {
    it(`${type} ${JSON.stringify(value) ?? ''}: passes, fails, and negated does the opposite`, async () => {
      assert.equal(await status(type, value, good), 'pass');
      assert.equal(await status(type, value, bad, badFacts), 'fail');
      assert.equal(await status(`not-${type}`, value, good), 'fail');
      assert.equal(await status(`not-${type}`, value, bad, badFacts), 'pass');
    });
  }

  it('not-contains is contains negated', async () => {
    assert.equal(await status('not-contains', 'sorry', 'we are sorry'), 'fail');
    assert.equal(await status('not-contains', 'sorry', 'all good'), 'pass');
  });

  it('every failure says what was expected and what came back, with expected/actual for a diff', async () => {
    const r = await evaluateAssertion(a('contains', 'refund'), facts('We cannot help with that.'));
    assert.equal(r.message, 'Expected the answer to contain "refund"; got "We cannot help with that."');
    assert.equal(r.expected, 'refund');
    assert.equal(r.actual, 'We cannot help with that.');

    const n = await evaluateAssertion(a('not-icontains', 'SORRY'), facts('So sorry!'));
    assert.equal(n.message, 'Expected the answer not to contain "SORRY" (any case), but it does; got "So sorry!"');
    assert.equal(n.expected, 'not: SORRY');

    const eq = await evaluateAssertion(a('equals', { area: 'billing' }), facts('{"area":"app"}'));
    assert.equal(eq.expected, '{\n  "area": "billing"\n}');
    assert.equal(eq.actual, '{\n  "area": "app"\n}');

    const js = await evaluateAssertion(
      a('json-schema', { type: 'object', properties: { urgency: { enum: ['low', 'high'] } } }),
      facts('{"urgency": "soon"}'),
    );
    assert.equal(
      js.message,
      'Expected the answer to match the JSON schema (/urgency must be equal to one of the allowed values ("low", "high")); got "{\\"urgency\\": \\"soon\\"}"',
    );
    assert.match(js.expected!, /"enum"/);

    const lat = await evaluateAssertion(a('max-latency-ms', 100), facts('x', { latencyMs: 250 }));
    assert.equal(lat.message, 'Expected the answer to arrive within 100 ms; got "250 ms"');
    assert.deepEqual([lat.expected, lat.actual], ['≤ 100 ms', '250 ms']);

    const long = await evaluateAssertion(a('equals', 'short'), facts('word '.repeat(100)));
    assert.ok(long.message.length < 220, 'the message previews; the diff has the rest');
    assert.equal(long.actual, 'word '.repeat(100));
  });

  it("json-schema without a value uses the prompt's output.schema; not JSON fails with the parse error", async () => {
    const schema = { type: 'object', required: ['area'] };
    assert.equal(
      (await evaluateAssertion(a('json-schema'), facts('{"area": "x"}'), { promptSchema: schema })).status,
      'pass',
    );
    const r = await evaluateAssertion(a('json-schema'), facts('{}'), { promptSchema: schema });
    assert.equal(r.status, 'fail');
    assert.match(r.message, /must have required property 'area'/);
    const nj = await evaluateAssertion(a('json-schema'), facts('Sure: {"area": 1}'), { promptSchema: schema });
    assert.match(nj.message, /the answer is not JSON/);
    assert.equal((await evaluateAssertion(a('json-schema'), facts('{}'))).status, 'error');
  });

  it('is-json mentions a code fence, which is not JSON', async () => {
    const r = await evaluateAssertion(a('is-json'), facts('```json\n{}\n```'));
    assert.match(r.message, /wrapped in a ``` fence/);
  });

  it('max-cost-usd errors when the model has no price rather than passing', async () => {
    const r = await evaluateAssertion(a('max-cost-usd', 1), facts('x', { costUsd: undefined }));
    assert.equal(r.status, 'error');
    assert.match(r.message, /no price in the model catalog/);
  });

  it("llm-rubric: the grader's verdict and reason; a threshold compares the score; no grader or a failing one is an error", async () => {
    const rubric = a('llm-rubric', 'is polite', 0.5);
    // The threshold itself is applied where the grader's JSON is read (parseVerdict, below).
    const pass = await evaluateAssertion(rubric, facts('Thank you!'), {
      grade: async (_r, _o, threshold) => ({ pass: 0.9 >= threshold!, score: 0.9, reason: 'thanks the user' }),
    });
    assert.equal(pass.status, 'pass');
    assert.match(pass.message, /thanks the user \(score 0\.9, threshold 0\.5\)/);
    const fail = await evaluateAssertion(a('llm-rubric', 'is polite'), facts('Go away.'), {
      grade: async () => ({ pass: false, reason: 'rude' }),
    });
    assert.equal(fail.status, 'fail');
    assert.deepEqual([fail.expected, fail.actual], ['is polite', 'Go away.']);
    assert.equal((await evaluateAssertion(rubric, facts('x'))).status, 'error');
    const broken = await evaluateAssertion(rubric, facts('x'), {
      grade: async () => {
        throw new Error('429');
      },
    });
    assert.match(broken.message, /the grader failed: 429/);
  });

  it('parses grader verdicts strictly', () => {
    assert.deepEqual(parseVerdict('{"pass": true, "score": 0.8, "reason": "ok"}'), {
      pass: true,
      score: 0.8,
      reason: 'ok',
    });
    assert.deepEqual(parseVerdict('```json\n{"pass": false, "reason": "no"}\n```'), {
      pass: false,
      score: undefined,
      reason: 'no',
    });
    assert.equal(parseVerdict('{"pass": true, "score": 0.2}', 0.5).pass, false);
    assert.throws(() => parseVerdict('yes'), /did not answer with JSON/);
    assert.throws(() => parseVerdict('{"score": 0.9}'), /no boolean "pass"/);
  });

  it('knows every documented type, negations of the deterministic ones, and nothing else', () => {
    // The docs' assertion table is the contract: a type added, removed or renamed on one side only fails here.
    const docs = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'test-suites.md'), 'utf8');
    const section = docs.slice(docs.indexOf('\n## Assertions\n'));
    const table = section.slice(section.indexOf('| type |'), section.indexOf('\n\n', section.indexOf('| type |')));
    const documented = [...table.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]!);
    assert.ok(documented.length >= 10, `read the docs' table (${documented.join(', ')})`);
    assert.match(docs, /`llm-rubric` cannot be negated/);
    const negations = documented.filter((t) => t !== 'llm-rubric' && !t.startsWith('not-')).map((t) => `not-${t}`);
    const expected = [...new Set([...documented, ...negations])].sort();
    assert.deepEqual([...ASSERTION_TYPES].sort(), expected);
    for (const t of expected) assert.equal(typeof classify(t), 'object', `${t} classifies`);
    assert.ok(ASSERTION_TYPES.includes('not-json-schema'));
    assert.ok(!ASSERTION_TYPES.includes('not-llm-rubric'));
    assert.ok(!ASSERTION_TYPES.includes('not-not-contains'));
    assert.match(classify('not-llm-rubric') as string, /cannot be negated/);
    assert.match(classify('regx') as string, /Did you mean "regex"/);
  });
});
