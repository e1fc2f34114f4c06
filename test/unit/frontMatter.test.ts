import * as assert from 'node:assert/strict';
import { splitFrontMatter } from '../../src/core/prompt/frontMatter';
import { stripBom } from '../../src/core/text/bom';

describe('splitFrontMatter', () => {
  it('finds YAML between --- lines and the body after', () => {
    const text = '---\nmodel: x\n---\nBody\n';
    const fm = splitFrontMatter(text);
    assert.equal(fm.present && fm.closed, true);
    assert.equal(fm.yaml, 'model: x\n');
    assert.equal(text.slice(fm.bodyStart), 'Body\n');
  });

  it('handles CRLF and the "..." closer', () => {
    const text = '---\r\nmodel: x\r\n...\r\nBody';
    const fm = splitFrontMatter(text);
    assert.equal(fm.yaml, 'model: x\r\n');
    assert.equal(text.slice(fm.bodyStart), 'Body');
    assert.equal(fm.yamlStart, 5);
  });

  it('reports an unclosed block and treats the rest as YAML', () => {
    const fm = splitFrontMatter('---\nmodel: x\n');
    assert.equal(fm.present, true);
    assert.equal(fm.closed, false);
  });

  it('needs the opening --- on the very first line', () => {
    assert.equal(splitFrontMatter('\n---\nmodel: x\n---\n').present, false);
    assert.equal(splitFrontMatter('----\n').present, false);
    assert.equal(splitFrontMatter('').present, false);
  });

  it('closes on a --- at the end of the file with no newline', () => {
    const fm = splitFrontMatter('---\nmodel: x\n---');
    assert.equal(fm.closed, true);
    assert.equal(fm.bodyStart, 16);
  });

  it('stripBom removes only a leading BOM', () => {
    assert.equal(stripBom('\uFEFFabc'), 'abc');
    assert.equal(stripBom('a\uFEFF'), 'a\uFEFF');
  });
});
