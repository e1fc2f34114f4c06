import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CACHE_DIR,
  cacheKey,
  ResponseCache,
  type CacheKeyParts,
  type CachedAnswer,
} from '../../src/core/run/responseCache';
import { tmpDir, writeFiles } from './helpers/tmp';

const PARTS: CacheKeyParts = {
  provider: 'openai:p:https://a.example/v1',
  model: 'gpt-x',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'hi' },
  ],
  params: { temperature: 0.2, max_tokens: 50, top_p: 0.9 },
  json: false,
};
const ANSWER: CachedAnswer = {
  text: 'hello',
  usage: { input: 3, output: 1, estimated: false },
  model: 'gpt-x-2026',
  latencyMs: 120,
  createdAt: '2026-01-01T00:00:00.000Z',
};
const KEY = cacheKey(PARTS);
const line = (k: string, a: unknown) => JSON.stringify({ k, a });

describe('response cache: the key', () => {
  it('is the sha-256 of a fixed layout (a format change would orphan every cached answer)', () => {
    assert.match(KEY, /^[0-9a-f]{64}$/);
    assert.equal(
      cacheKey({ provider: 'e', model: 'm', messages: [{ role: 'user', content: 'q' }], params: {}, json: true }),
      // sha256 of [1,"e","m",[["user","q"]],[null,null,null],true]
      'c589ff161bb470d12e085923e8d3668df4f9303c3bc5b78022ce44d9239d4c72',
    );
  });

  it('changes with everything that decides an answer', () => {
    const variants: CacheKeyParts[] = [
      { ...PARTS, provider: 'openai:p:https://b.example/v1' },
      { ...PARTS, model: 'gpt-y' },
      { ...PARTS, messages: [PARTS.messages[1]!] },
      { ...PARTS, messages: [PARTS.messages[0]!, { role: 'assistant', content: 'hi' }] },
      { ...PARTS, messages: [PARTS.messages[0]!, { role: 'user', content: 'hi!' }] },
      { ...PARTS, params: { ...PARTS.params, temperature: 0 } },
      { ...PARTS, params: { ...PARTS.params, max_tokens: 51 } },
      { ...PARTS, params: { ...PARTS.params, top_p: 1 } },
      { ...PARTS, params: { max_tokens: 50, top_p: 0.9 } },
      { ...PARTS, json: true },
    ];
    const keys = new Set([KEY, ...variants.map(cacheKey)]);
    assert.equal(keys.size, variants.length + 1);
  });

  it('does not depend on how the caller built the objects', () => {
    assert.equal(
      cacheKey({
        json: false,
        params: { top_p: 0.9, max_tokens: 50, temperature: 0.2 },
        messages: PARTS.messages.map((m) => ({ content: m.content, role: m.role })),
        model: 'gpt-x',
        provider: PARTS.provider,
      }),
      KEY,
    );
  });
});

describe('response cache: answers on disk', () => {
  it('lives under .prompt-registry/cache', () => {
    const root = tmpDir('pr-cache-');
    assert.equal(CACHE_DIR, path.join('.prompt-registry', 'cache'));
    assert.equal(new ResponseCache(root).dir, path.join(root, '.prompt-registry', 'cache'));
  });

  it('nothing stored: no answer', async () => {
    assert.equal(await new ResponseCache(tmpDir('pr-cache-')).get(KEY), undefined);
  });

  it('an answer set is got back at once, and by the next run once flushed', async () => {
    const root = tmpDir('pr-cache-');
    const cache = new ResponseCache(root);
    await cache.set(KEY, ANSWER);
    assert.deepEqual(await cache.get(KEY), ANSWER);
    assert.equal(await cache.get(cacheKey({ ...PARTS, model: 'other' })), undefined);
    await cache.flush();
    const text = fs.readFileSync(path.join(root, CACHE_DIR, 'answers.jsonl'), 'utf8');
    assert.equal(text, line(KEY, ANSWER) + '\n');
    assert.deepEqual(await new ResponseCache(root).get(KEY), ANSWER);
  });

  it('a later line for the same key wins, the current segment over rotated ones', async () => {
    const root = tmpDir('pr-cache-');
    const other = cacheKey({ ...PARTS, model: 'other' });
    writeFiles(root, {
      [path.join(CACHE_DIR, 'answers-1-1-0.jsonl')]:
        `${line(KEY, { ...ANSWER, text: 'oldest' })}\n${line(other, ANSWER)}\n`,
      [path.join(CACHE_DIR, 'answers.jsonl')]: `${line(KEY, { ...ANSWER, text: 'old' })}\n${line(KEY, ANSWER)}\n`,
    });
    const cache = new ResponseCache(root);
    assert.deepEqual(await cache.get(KEY), ANSWER);
    assert.deepEqual(await cache.get(other), ANSWER);
  });

  it('skips torn lines, lines without a whole key, and answers of the wrong shape', async () => {
    const root = tmpDir('pr-cache-');
    const k = (n: number) => cacheKey({ ...PARTS, model: `m${n}` });
    const torn = line(k(1), ANSWER).slice(0, 90);
    writeFiles(root, {
      [path.join(CACHE_DIR, 'answers.jsonl')]: [
        torn,
        line(k(2).slice(0, 63), ANSWER),
        ` ${line(k(3), ANSWER)}`,
        line(k(4), { ...ANSWER, text: 1 }),
        line(k(5), { ...ANSWER, usage: undefined }),
        line(k(6), { ...ANSWER, model: null }),
        line(k(7), null),
        JSON.stringify({ k: k(8) }),
        line(k(9), ANSWER),
        '',
      ].join('\n'),
    });
    const cache = new ResponseCache(root);
    for (let n = 1; n <= 8; n++) assert.equal(await cache.get(k(n)), undefined, `line ${n}`);
    assert.deepEqual(await cache.get(k(9)), ANSWER);
    // The key of a line that is not the first 64 characters after {"k":" is not a key.
    assert.equal(await cache.get(k(2).slice(0, 63)), undefined);
  });

  it('only a line the cache wrote names a key: a longer key, or another field, does not override an answer', async () => {
    const root = tmpDir('pr-cache-');
    const other = { ...ANSWER, text: 'not mine' };
    writeFiles(root, {
      [path.join(CACHE_DIR, 'answers.jsonl')]: [
        line(KEY, ANSWER),
        line(`${KEY}0`, other),
        JSON.stringify({ x: KEY, a: other }),
        '',
      ].join('\n'),
    });
    assert.deepEqual(await new ResponseCache(root).get(KEY), ANSWER);
  });

  it('answers from several runs share one segment until it reaches 16 MB', async () => {
    const root = tmpDir('pr-cache-');
    const k = (n: number) => cacheKey({ ...PARTS, model: `m${n}` });
    for (const n of [1, 2, 3]) {
      const cache = new ResponseCache(root);
      await cache.set(k(n), ANSWER);
      await cache.flush();
    }
    assert.deepEqual(fs.readdirSync(path.join(root, CACHE_DIR)), ['answers.jsonl']);
    const cache = new ResponseCache(root);
    for (const n of [1, 2, 3]) assert.deepEqual(await cache.get(k(n)), ANSWER);
  });

  it('a full segment is rotated to answers-…, still read, and only the newest three rotated ones are kept', async () => {
    const root = tmpDir('pr-cache-');
    const dir = path.join(root, CACHE_DIR);
    const old = cacheKey({ ...PARTS, model: 'old' });
    const first = `${line(old, ANSWER)}\n`;
    const full = first + `${'x'.repeat(1023)}\n`.repeat(Math.ceil((16 * 1024 * 1024 - first.length) / 1024));
    writeFiles(root, {
      [path.join(CACHE_DIR, 'answers-0001.jsonl')]: '',
      [path.join(CACHE_DIR, 'answers-0002.jsonl')]: '',
      [path.join(CACHE_DIR, 'answers-0003.jsonl')]: '',
      [path.join(CACHE_DIR, 'answers.jsonl')]: full,
    });
    const cache = new ResponseCache(root);
    await cache.set(KEY, ANSWER);
    await cache.flush();
    const names = fs.readdirSync(dir).sort();
    assert.equal(names.length, 4, names.join(', '));
    assert.deepEqual(names.slice(0, 2), ['answers-0002.jsonl', 'answers-0003.jsonl']);
    assert.match(names[2]!, /^answers-\d{4}-.*\.jsonl$/);
    assert.equal(names[3], 'answers.jsonl');
    assert.equal(fs.readFileSync(path.join(dir, 'answers.jsonl'), 'utf8'), `${line(KEY, ANSWER)}\n`);
    const next = new ResponseCache(root);
    assert.deepEqual(await next.get(old), ANSWER);
    assert.deepEqual(await next.get(KEY), ANSWER);
  });

  it('an unreadable segment is skipped, not fatal', async () => {
    const root = tmpDir('pr-cache-');
    writeFiles(root, { [path.join(CACHE_DIR, 'answers.jsonl')]: `${line(KEY, ANSWER)}\n` });
    fs.mkdirSync(path.join(root, CACHE_DIR, 'answers-0-0-0.jsonl'));
    assert.deepEqual(await new ResponseCache(root).get(KEY), ANSWER);
  });
});
