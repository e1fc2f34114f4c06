import * as assert from 'node:assert/strict';
import { parsePrompt } from '../../src/core/prompt/parse';
import { decodeText } from '../../src/core/workspace/readPromptFile';
import { isInside, textAt } from './helpers/ranges';

const parse = (text: string) => parsePrompt(text, { defaultId: 'x/y' });
const codes = (text: string) => parse(text).diagnostics.map((d) => d.code);

describe('parsePrompt', () => {
  it('returns typed fields, messages and the default id', () => {
    const p = parse(`---
name: Reply
description: Drafts a reply
model: gpt-4o
fallback_model: gpt-4o-mini
temperature: 0.3
max_tokens: 200
top_p: 0.9
inputs:
  who: { type: string, required: true }
  n:
output: { format: json, schema: { type: object } }
tags: [a, b]
---
System text {{who}}
user:
Hi {{n}}
`);
    assert.deepEqual(p.diagnostics, []);
    assert.equal(p.id, 'x/y');
    assert.equal(p.idExplicit, false);
    assert.equal(p.model, 'gpt-4o');
    assert.equal(p.fallbackModel, 'gpt-4o-mini');
    assert.deepEqual(p.params, { temperature: 0.3, max_tokens: 200, top_p: 0.9 });
    assert.deepEqual(p.inputs, { who: { type: 'string', required: true }, n: {} });
    assert.deepEqual(p.output, { format: 'json', schema: { type: 'object' } });
    assert.deepEqual(p.tags, ['a', 'b']);
    assert.deepEqual(
      p.messages.map((m) => m.role),
      ['system', 'user'],
    );
  });

  it('records the exact range of every key and value, nested ones too', () => {
    const text = '---\nmodel: gpt-4o\ninputs:\n  topic:\n    type: string\n---\n{{topic}}\n';
    const p = parse(text);
    assert.equal(textAt(text, p.ranges.get('model')!.key!), 'model');
    assert.equal(textAt(text, p.ranges.get('model')!.value), 'gpt-4o');
    assert.equal(textAt(text, p.ranges.get('inputs.topic')!.key!), 'topic');
    assert.equal(textAt(text, p.ranges.get('inputs.topic.type')!.value), 'string');
    assert.deepEqual(p.ranges.get('model')!.value.start, { line: 1, character: 7 });
  });

  it('uses an explicit id', () => {
    const p = parse('---\nid: team/one\nmodel: m\n---\n');
    assert.equal(p.id, 'team/one');
    assert.equal(p.idExplicit, true);
  });

  it('puts a malformed-YAML error at the parser position, not at line 1', () => {
    const text = '---\nmodel: gpt-4o\ntemperature: : 1\n---\nBody';
    const d = parse(text).diagnostics.find((x) => x.code === 'yaml-syntax');
    assert.ok(d, 'expected a yaml-syntax diagnostic');
    assert.equal(d.range.start.line, 2);
    assert.ok(d.range.start.character > 0);
  });

  it('puts an unclosed flow sequence on its own line (2:1), not on the closing delimiter (3:1)', () => {
    for (const nl of ['\n', '\r\n']) {
      const text = ['---', 'name: [unclosed', '---', 'Body'].join(nl);
      const d = parse(text).diagnostics.find((x) => x.code === 'yaml-syntax');
      assert.ok(d, 'expected a yaml-syntax diagnostic');
      assert.deepEqual(d.range.start, { line: 1, character: 0 });
      assert.equal(textAt(text, d.range), 'name: [unclosed');
    }
  });

  it('reports duplicate keys as YAML errors', () => {
    assert.deepEqual(codes('---\nmodel: a\nmodel: b\n---\n'), ['yaml-syntax']);
  });

  it('reports an unclosed front matter at the opening line', () => {
    const p = parse('---\nmodel: gpt-4o\nBody {{x}}');
    assert.equal(p.diagnostics[0]!.code, 'yaml-syntax');
    assert.match(p.diagnostics[0]!.message, /never closed/);
    assert.deepEqual(p.diagnostics[0]!.range.start, { line: 0, character: 0 });
  });

  it('gives wrong types and values as invalid-field at the value', () => {
    const text = '---\nmodel: m\ntemperature: hot\nmax_tokens: 1.5\ntags: nope\noutput: { format: xml }\n---\n';
    const p = parse(text);
    const inv = p.diagnostics.filter((d) => d.code === 'invalid-field');
    assert.deepEqual(
      inv.map((d) => textAt(text, d.range)),
      ['hot', '1.5', 'nope', 'xml'],
    );
    assert.match(inv[0]!.message, /temperature/);
    assert.match(inv[0]!.message, /got "hot"/);
    assert.equal(p.params.temperature, undefined, 'a bad field is dropped');
    assert.equal(p.model, 'm', 'the good fields are kept');
  });

  it('warns about unknown fields, top-level and nested, with a suggestion', () => {
    const text = '---\nmodel: m\nmodle: n\ninputs:\n  a: { type: string, requird: true }\n---\n{{a}}';
    const p = parse(text);
    const unknown = p.diagnostics.filter((d) => d.code === 'unknown-field');
    assert.deepEqual(
      unknown.map((d) => textAt(text, d.range)),
      ['modle', 'requird'],
    );
    assert.equal(unknown[0]!.severity, 'warning');
    assert.match(unknown[0]!.message, /Did you mean "model"/);
    assert.deepEqual(p.inputs.a, { type: 'string' }, 'the known part of the input is kept');
  });

  it('reports missing-model for an absent, empty or null model, once', () => {
    for (const fm of ['name: x', 'model:', 'model: ""', 'model: null', 'model: "  "']) {
      assert.deepEqual(codes(`---\n${fm}\n---\nBody`), ['missing-model'], fm);
    }
  });

  it('reports a non-string model as invalid-field', () => {
    assert.deepEqual(codes('---\nmodel: [a]\n---\n'), ['invalid-field']);
  });

  it('handles a file with no front matter and an empty file', () => {
    for (const text of ['', 'Just a body {{x}}', '\n\n']) {
      const p = parse(text);
      assert.equal(p.hasFrontMatter, false);
      assert.deepEqual(
        p.diagnostics.map((d) => d.code),
        ['missing-model'],
      );
      assert.deepEqual(p.diagnostics[0]!.range.start, { line: 0, character: 0 });
    }
  });

  it('rejects front matter that is not a mapping', () => {
    assert.deepEqual(codes('---\n- a\n- b\n---\n'), ['invalid-field']);
    assert.deepEqual(codes('---\njust text\n---\n'), ['invalid-field']);
  });

  it('treats an empty front matter as no fields', () => {
    assert.deepEqual(codes('---\n---\nBody'), ['missing-model']);
  });

  it('positions CRLF files the way an editor does', () => {
    const text = '---\r\nmodel: gpt-4o\r\ntemperature: 9\r\n---\r\nBody\r\n';
    const d = parse(text).diagnostics[0]!;
    assert.deepEqual(d.range, { start: { line: 2, character: 13 }, end: { line: 2, character: 14 } });
  });

  it('ignores a UTF-8 BOM for positions, as VS Code does', () => {
    const withBom = parse('\uFEFF---\nmodel: m\ntemperature: 9\n---\n');
    const without = parse('---\nmodel: m\ntemperature: 9\n---\n');
    assert.deepEqual(withBom.diagnostics, without.diagnostics);
    assert.equal(withBom.hasFrontMatter, true);
  });

  it('parses a 5 MB body without trouble', () => {
    const body = 'Line of text with {{topic}} in it.\n'.repeat(150_000);
    const text = `---\nmodel: m\ninputs:\n  topic: {type: string}\n---\n${body}`;
    assert.ok(text.length > 5_000_000);
    const p = parse(text);
    assert.deepEqual(p.diagnostics, []);
    assert.equal(p.variables.length, 150_000);
  });

  it('survives alias bombs', () => {
    const bomb =
      '---\nmodel: m\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n---\n';
    const p = parse(bomb);
    assert.ok(p.diagnostics.some((d) => d.code === 'yaml-syntax' || d.code === 'unknown-field'));
  });

  it('checks input defaults against type and enum', () => {
    const text =
      '---\nmodel: m\ninputs:\n  n: { type: integer, default: 1.5 }\n  t: { enum: [a, b], default: c }\n---\n{{n}}{{t}}';
    const p = parse(text);
    const inv = p.diagnostics.filter((d) => d.code === 'invalid-field');
    assert.deepEqual(
      inv.map((d) => textAt(text, d.range)),
      ['1.5', 'c'],
    );
  });

  it('rejects input names that are not identifiers', () => {
    assert.deepEqual(codes('---\nmodel: m\ninputs:\n  "bad name": {}\n---\n'), ['invalid-field']);
  });

  it('keeps every range inside the file', () => {
    const text = '---\nmodel: gpt-4o\ninputs:\n  a: {}\n---\n{{b}} {{#a}}';
    const p = parse(text);
    for (const d of p.diagnostics) assert.ok(isInside(text, d.range), JSON.stringify(d));
  });
});

describe('decodeText', () => {
  it('rejects binary content and invalid UTF-8 with a clear message', () => {
    const bin = decodeText(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
    assert.equal(bin.ok, false);
    assert.match(!bin.ok ? bin.diagnostic.message : '', /binary/);
    const bad = decodeText(Buffer.from([0x61, 0xff, 0xfe, 0x62]));
    assert.equal(bad.ok, false);
    assert.match(!bad.ok ? bad.diagnostic.message : '', /UTF-8/);
    assert.deepEqual(decodeText(Buffer.from('héllo')), { ok: true, text: 'héllo' });
  });
});
