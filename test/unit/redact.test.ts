import * as assert from 'node:assert/strict';
import { redact } from '../../src/core/text/redact';

/**
 * docs/models.md promises provider error texts are "scrubbed of the key and of anything shaped like
 * one"; docs/configuration.md names the shape `sk-…`. Each key below is fake but has the real shape.
 */
const SHAPED: [string, string][] = [
  ['OpenAI legacy sk-…', 'sk-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH'],
  ['OpenAI project sk-proj-…', 'sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z_AbCdEfGh-IjKl'],
  ['OpenRouter sk-or-v1-…', 'sk-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'],
  ['Anthropic sk-ant-…', 'sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-AbCdEf-AAAAAA'],
  ['a masked echo sk-…***', 'sk-abc123**********************wxyz'],
];

/** Keys of other vendors, with their own shapes: scrubbed by shape too, not only when we hold them. */
const OTHER_SHAPES: [string, string][] = [
  ['Google AIza…', 'AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW'],
  ['Groq gsk_…', 'gsk_AbCdEfGhIjKlMnOpQrStWGdyb3FYAbCdEfGhIjKlMnOpQrSt'],
  ['xAI xai-…', 'xai-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfGhIjKlMnOpQrStUvWxYz01'],
];

const HELD: [string, string][] = [...OTHER_SHAPES, ...SHAPED];

/** Where a provider puts a key back in front of us. */
const CARRIERS: [string, (key: string) => string][] = [
  [
    'an error message',
    (k) => `401 Incorrect API key provided: ${k}. You can find your API key at https://platform.openai.com.`,
  ],
  [
    'an Authorization header',
    (k) => `request failed; headers: {"authorization":"Bearer ${k}","content-type":"application/json"}`,
  ],
  ['a query string', (k) => `GET https://generativelanguage.googleapis.com/v1beta/models?key=${k}&pageSize=50 -> 400`],
  ['a redirect URL', (k) => `302 Location: https://example.test/login?api_key=${encodeURIComponent(k)}#x`],
  [
    'a JSON body',
    (k) => JSON.stringify({ error: { message: 'bad key', param: 'api_key', api_key: k, code: 'invalid_api_key' } }),
  ],
  ['a line of its own', (k) => `${k}\n`],
];

function assertClean(out: string, key: string): void {
  assert.ok(!out.includes(key), `the key survived: ${out}`);
  // Not even a long tail of it: a key cut in two is still most of a key.
  assert.ok(!out.includes(key.slice(-12)), `the key's tail survived: ${out}`);
  assert.match(out, /\[redacted\]/);
}

describe('redact', () => {
  describe('a key we hold is removed wherever it appears, whatever its shape', () => {
    for (const [shape, key] of HELD) {
      for (const [where, carry] of CARRIERS) {
        it(`${shape} in ${where}`, () => {
          const text = carry(key);
          assertClean(redact(text, [key]), key);
        });
      }
    }
  });

  describe('anything shaped like a vendor key (sk-…, AIza…, gsk_…, xai-…) is removed even when we do not hold it', () => {
    for (const [shape, key] of [...SHAPED, ...OTHER_SHAPES]) {
      for (const [where, carry] of CARRIERS) {
        it(`${shape} in ${where}`, () => {
          assertClean(redact(carry(key)), key);
        });
      }
    }
  });

  it('a Bearer header of any shape is removed without holding the key', () => {
    const out = redact(
      'Authorization: Bearer AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW\nnext: bearer   gsk_zzzzzzzzzzzzzzzzzz',
    );
    assert.equal(out, 'Authorization: Bearer [redacted]\nnext: bearer   [redacted]');
  });

  it('keeps the text around the key, so the reason stays readable', () => {
    const key = 'sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z';
    assert.equal(
      redact(`401 Incorrect API key provided: ${key}. Check it.`, [key]),
      '401 Incorrect API key provided: [redacted]. Check it.',
    );
    assert.equal(redact(`key sk-abcdef1234 rejected`), 'key sk-[redacted] rejected');
    assert.equal(redact('gsk_abc is fine: we do not hold it', ['xai-other']), 'gsk_abc is fine: we do not hold it');
  });

  it('removes every occurrence and every held key', () => {
    const a = 'AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW';
    const b = 'xai-AbCdEfGhIjKlMnOpQrStUvWxYz0123';
    const out = redact(`${a} then ${b} then ${a}`, [undefined, a, b]);
    assert.equal(out, '[redacted] then [redacted] then [redacted]');
  });

  it('ignores missing and very short secrets rather than shredding the text', () => {
    assert.equal(redact('a plain message', [undefined, '', 'a']), 'a plain message');
  });

  it('removes a held key of exactly four characters (the shortest it treats as a key), but not three', () => {
    assert.equal(redact('pin abcd failed', ['abcd']), 'pin [redacted] failed');
    assert.equal(redact('pin abc failed', ['abc']), 'pin abc failed');
  });

  it('leaves words that merely start like a key alone', () => {
    assert.equal(redact('ask-me sk-short risk-free'), 'ask-me sk-short risk-free');
  });
});
