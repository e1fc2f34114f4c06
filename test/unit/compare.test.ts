import * as assert from 'node:assert/strict';
import { caseMatrix, compareMarkdown, compareRows, UNPRICED_NOTE } from '../../src/core/run/compare';
import type { CaseResult } from '../../src/core/run/results';

const answered = (model: string, costUsd: number | undefined, caseIndex = 0): CaseResult => ({
  id: `${caseIndex}@${model}`,
  suite: 's.suite.yaml',
  suiteFile: '/r/s.suite.yaml',
  caseName: `case ${caseIndex}`,
  caseIndex,
  model,
  fallback: false,
  status: 'pass',
  output: 'x',
  assertions: [],
  latencyMs: 10,
  tokens: { input: 1, output: 1 },
  costUsd,
  cached: false,
  durationMs: 10,
});

describe('compare: the Markdown table', () => {
  it('every answer priced: the table alone, no note', () => {
    const md = compareMarkdown(compareRows(['m1', 'm2'], [answered('m1', 0.001), answered('m2', 0.002)]));
    assert.deepEqual(md.split('\n'), [
      '| Model | Pass rate | Passed | p50 latency | Tokens | Cost |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      '| m1 | **100 %** | 1/1 | 10 ms | 2 | $0.0010 |',
      '| m2 | **100 %** | 1/1 | 10 ms | 2 | $0.0020 |',
    ]);
  });

  it('an unpriced answer: its cost is starred and the note follows, its star escaped for Markdown', () => {
    const md = compareMarkdown(compareRows(['m1', 'm2'], [answered('m1', 0.001), answered('m2', undefined)]));
    const lines = md.split('\n');
    assert.equal(lines[3], '| m2 | **100 %** | 1/1 | 10 ms | 2 | $0* |');
    assert.deepEqual(lines.slice(4), ['', `\\${UNPRICED_NOTE}`]);
    assert.equal(UNPRICED_NOTE, '* some answers have no price in the model catalog and are not counted');
  });
});

describe('compare: the case matrix', () => {
  it('a case that ran on none of the models compared has no row', () => {
    assert.deepEqual(caseMatrix(['m1'], [answered('other', 0)]), []);
    assert.deepEqual(caseMatrix(['m1'], [{ ...answered('m1', 0), model: undefined }]), []);
  });

  it('cases are told apart by suite file and index, not by name', () => {
    const m = caseMatrix(['m1'], [answered('m1', 0, 0), { ...answered('m1', 0, 1), caseName: 'case 0' }]);
    assert.equal(m.length, 2);
  });
});
