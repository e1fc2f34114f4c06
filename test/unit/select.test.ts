import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { ParsedSuite } from '../../src/core/suite/types';
import { parseShard, selectSuites } from '../../src/core/run/select';

const ROOT = path.resolve('/repo');
const abs = (rel: string) => path.join(ROOT, ...rel.split('/'));

interface Item {
  suite: ParsedSuite;
  rel: string;
  promptId?: string;
  promptFile?: string;
}
/** A suite at `rel`, testing prompt `id` in `promptRel`. */
const item = (rel: string, id?: string, promptRel?: string, file: string | null = abs(rel)): Item => ({
  suite: { file: file ?? undefined } as ParsedSuite,
  rel,
  promptId: id,
  promptFile: promptRel === undefined ? undefined : abs(promptRel),
});
const ALL = [
  item('prompts/b.suite.yaml', 'b', 'prompts/b.md'),
  item('prompts/ab/x.suite.yaml', 'x', 'prompts/ab/x.md'),
  item('prompts/a.suite.yaml', 'a', 'prompts/a.md'),
  item('tests/c.suite.yaml', 'c', 'prompts/c.md'),
];
const rels = (items: Item[]) => items.map((i) => i.rel);

describe('select: --shard i/n', () => {
  it('reads i/n with 1 ≤ i ≤ n, spaces around allowed', () => {
    assert.deepEqual(parseShard('1/2'), { index: 1, count: 2 });
    assert.deepEqual(parseShard(' 2/2 '), { index: 2, count: 2 });
    assert.deepEqual(parseShard('1/1'), { index: 1, count: 1 });
    assert.deepEqual(parseShard('10/12'), { index: 10, count: 12 });
  });

  it('anything else is malformed', () => {
    for (const bad of [
      '0/2',
      '3/2',
      '1/0',
      '0/0',
      '-1/2',
      '1.5/2',
      'a/2',
      '1/',
      '/2',
      '1/2/3',
      'x1/2',
      '1/2x',
      '1 / 2',
      '',
    ]) {
      assert.equal(parseShard(bad), undefined, bad);
    }
  });
});

describe('select: which suites a run takes', () => {
  it('all of them by default, ordered by repo-relative path, without touching the input', () => {
    const input = [...ALL];
    assert.deepEqual(rels(selectSuites(input, {})), [
      'prompts/a.suite.yaml',
      'prompts/ab/x.suite.yaml',
      'prompts/b.suite.yaml',
      'tests/c.suite.yaml',
    ]);
    assert.deepEqual(input, ALL);
    assert.deepEqual(rels(selectSuites(ALL, { paths: [] })).length, 4);
  });

  it('paths: the suite file, or its prompt, is one of them or inside one (a folder, with or without a trailing separator)', () => {
    assert.deepEqual(rels(selectSuites(ALL, { paths: [abs('prompts/a.suite.yaml')] })), ['prompts/a.suite.yaml']);
    assert.deepEqual(rels(selectSuites(ALL, { paths: [abs('prompts/ab')] })), ['prompts/ab/x.suite.yaml']);
    assert.deepEqual(rels(selectSuites(ALL, { paths: [abs('prompts/ab') + path.sep] })), ['prompts/ab/x.suite.yaml']);
    // The prompt a suite tests selects it, wherever the suite lives.
    assert.deepEqual(rels(selectSuites(ALL, { paths: [abs('prompts/c.md')] })), ['tests/c.suite.yaml']);
    assert.deepEqual(rels(selectSuites(ALL, { paths: [abs('tests'), abs('prompts/b.md')] })), [
      'prompts/b.suite.yaml',
      'tests/c.suite.yaml',
    ]);
  });

  it('a path is not a prefix: prompts/a is not prompts/ab, nor prompts/a.suite.yaml', () => {
    assert.deepEqual(rels(selectSuites(ALL, { paths: [abs('prompts/a')] })), []);
    assert.deepEqual(rels(selectSuites(ALL, { paths: [abs('prompts/a.suite')] })), []);
  });

  it('a suite with no file and no prompt file is selected by no path', () => {
    const loose = item('z.suite.yaml', 'z', undefined, null);
    assert.deepEqual(rels(selectSuites([loose], { paths: [ROOT] })), []);
    assert.deepEqual(rels(selectSuites([loose], {})), ['z.suite.yaml']);
  });

  it('promptId: only suites of that prompt', () => {
    assert.deepEqual(rels(selectSuites(ALL, { promptId: 'c' })), ['tests/c.suite.yaml']);
    assert.deepEqual(rels(selectSuites(ALL, { promptId: 'nope' })), []);
    assert.deepEqual(rels(selectSuites([item('n.suite.yaml'), ...ALL], { promptId: '' })), []);
  });

  it('changed: the suite file or its prompt file changed', () => {
    const changed = new Set([abs('prompts/b.suite.yaml'), abs('prompts/c.md')]);
    assert.deepEqual(rels(selectSuites(ALL, { changed })), ['prompts/b.suite.yaml', 'tests/c.suite.yaml']);
    assert.deepEqual(rels(selectSuites(ALL, { changed: new Set() })), []);
    const loose = item('z.suite.yaml', 'z', undefined, null);
    assert.deepEqual(rels(selectSuites([loose], { changed: new Set(['']) })), []);
  });

  it('filters combine', () => {
    assert.deepEqual(
      rels(selectSuites(ALL, { paths: [abs('prompts')], promptId: 'b', changed: new Set([abs('prompts/b.md')]) })),
      ['prompts/b.suite.yaml'],
    );
    assert.deepEqual(rels(selectSuites(ALL, { paths: [abs('prompts/ab')], promptId: 'c' })), []);
  });

  it('shards deal the sorted list round-robin after every filter: each suite in exactly one shard', () => {
    const five = [...ALL, item('prompts/d.suite.yaml', 'd', 'prompts/d.md')];
    const shard = (index: number, count: number) => rels(selectSuites(five, { shard: { index, count } }));
    assert.deepEqual(shard(1, 2), ['prompts/a.suite.yaml', 'prompts/b.suite.yaml', 'tests/c.suite.yaml']);
    assert.deepEqual(shard(2, 2), ['prompts/ab/x.suite.yaml', 'prompts/d.suite.yaml']);
    assert.deepEqual(shard(3, 3), ['prompts/b.suite.yaml']);
    assert.deepEqual(shard(1, 1).length, 5);
    assert.deepEqual(rels(selectSuites(five, { promptId: 'd', shard: { index: 1, count: 2 } })), [
      'prompts/d.suite.yaml',
    ]);
  });
});
