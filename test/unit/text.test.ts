import * as assert from 'node:assert/strict';
import { LineIndex } from '../../src/core/text/lineIndex';
import { looksLikeSecret } from '../../src/core/text/secrets';
import { similar } from '../../src/core/text/similar';

describe('LineIndex', () => {
  it('maps offsets to 0-based line and column for \\n, \\r\\n and lone \\r', () => {
    const idx = new LineIndex('ab\ncd\r\nef\rgh');
    assert.equal(idx.lineCount, 4);
    assert.deepEqual(idx.positionAt(0), { line: 0, character: 0 });
    assert.deepEqual(idx.positionAt(3), { line: 1, character: 0 });
    assert.deepEqual(idx.positionAt(5), { line: 1, character: 2 });
    assert.deepEqual(idx.positionAt(7), { line: 2, character: 0 });
    assert.deepEqual(idx.positionAt(10), { line: 3, character: 0 });
    assert.deepEqual(idx.lineRange(1), { start: { line: 1, character: 0 }, end: { line: 1, character: 2 } });
  });

  it('clamps offsets outside the text', () => {
    const idx = new LineIndex('abc');
    assert.deepEqual(idx.positionAt(-5), { line: 0, character: 0 });
    assert.deepEqual(idx.positionAt(99), { line: 0, character: 3 });
  });
});

describe('similar', () => {
  it('ranks plausible typos and ignores unrelated ids', () => {
    assert.deepEqual(similar('gpt-4oo', ['gpt-4o', 'claude-3-opus', 'o3']), ['gpt-4o']);
    assert.deepEqual(similar('gpt4o-mini', ['gpt-4o-mini', 'gpt-4o']), ['gpt-4o-mini']);
    assert.deepEqual(similar('totally-different', ['gpt-4o']), []);
  });
});

describe('looksLikeSecret', () => {
  it('recognises key shapes but not variable names', () => {
    assert.equal(looksLikeSecret('sk-proj-abc123'), true);
    assert.equal(looksLikeSecret('a'.repeat(40)), true);
    assert.equal(looksLikeSecret('OPENAI_API_KEY'), false);
    assert.equal(looksLikeSecret('MY_VERY_LONG_ENVIRONMENT_VARIABLE_NAME_FOR_KEYS'), false);
  });
});
