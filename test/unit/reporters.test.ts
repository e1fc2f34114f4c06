import * as assert from 'node:assert/strict';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { bestModels, caseMatrix, compareMarkdown, compareRows } from '../../src/core/run/compare';
import { formatCompare } from '../../src/cli/format/compare';
import { formatJUnit } from '../../src/cli/format/junit';
import { formatRunText } from '../../src/cli/format/runText';
import type { CaseResult, RunResult } from '../../src/core/run/results';
import { summarize } from '../../src/core/run/results';

function result(name: string, status: CaseResult['status'], extra: Partial<CaseResult> = {}): CaseResult {
  return {
    id: `s#${name}`,
    suite: 'prompts/support/triage.suite.yaml',
    suiteFile: '/r/prompts/support/triage.suite.yaml',
    caseName: name,
    caseIndex: 0,
    promptId: 'support/triage',
    model: 'gpt-4o',
    answeredBy: 'gpt-4o',
    provider: 'openai',
    fallback: false,
    status,
    assertions: [],
    latencyMs: 120,
    tokens: { input: 10, output: 5 },
    costUsd: 0.0001,
    cached: false,
    durationMs: 130,
    ...extra,
  };
}

const NASTY = 'Tom & Jerry <b>"quoted" \'single\'</b> ]]> \u0001bell\u0008 emoji 🎉 \uFFFE end';

function sampleRun(): RunResult {
  const cases = [
    result('passes & more', 'pass', { output: 'fine' }),
    result(`fails with ${NASTY}`, 'fail', {
      output: NASTY,
      assertions: [
        {
          type: 'contains',
          status: 'fail',
          message: `Expected the answer to contain "refund"; got ${JSON.stringify(NASTY)}`,
          expected: 'refund',
          actual: NASTY,
        },
      ],
    }),
    result('provider fault', 'error', { error: 'openai: server error (500)', errorKind: 'server', output: undefined }),
    result('cancelled', 'cancelled', { error: 'cancelled before it started', output: undefined }),
  ];
  return {
    startedAt: '2026-11-21T10:00:00.000Z',
    durationMs: 1234,
    cancelled: false,
    cases,
    suites: [
      {
        suite: 'prompts/support/triage.suite.yaml',
        file: '/r/x',
        promptId: 'support/triage',
        problems: [],
        totals: summarize(cases),
      },
      {
        suite: 'prompts/bad.suite.yaml',
        file: '/r/y',
        problems: ['prompts/bad.suite.yaml:1:9 No prompt with id "nope" <here>'],
        totals: summarize([]),
      },
    ],
    totals: summarize(cases),
  };
}

describe('reporters', () => {
  it('JUnit: well-formed XML that parses back to the same counts, names, messages and answers', () => {
    const xml = formatJUnit(sampleRun());
    assert.equal(XMLValidator.validate(xml), true);
    const doc = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      isArray: (n) => n === 'testsuite' || n === 'testcase',
    }).parse(xml);
    const root = doc.testsuites;
    assert.deepEqual([root.tests, root.failures, root.errors, root.skipped, root.time], ['5', '1', '2', '1', '1.234']);
    const [triage, bad] = root.testsuite;
    assert.equal(triage.name, 'prompts/support/triage.suite.yaml');
    assert.deepEqual([triage.tests, triage.failures, triage.errors, triage.skipped], ['4', '1', '1', '1']);
    // eslint-disable-next-line no-control-regex -- the control characters XML 1.0 cannot carry
    const clean = NASTY.replace(/[\u0001\u0008\uFFFE]/g, '');
    const failing = triage.testcase[1];
    assert.equal(failing.name, `fails with ${clean}`);
    assert.equal(failing.classname, 'prompts/support/triage.suite.yaml');
    assert.equal(failing.time, '0.130');
    assert.equal(failing.failure.type, 'contains');
    assert.equal(
      failing.failure.message,
      `Expected the answer to contain "refund"; got ${JSON.stringify(NASTY).replace(/\\u0001|\\b|\uFFFE/g, (m) => (m === '\uFFFE' ? '' : m))}`,
    );
    assert.match(failing.failure['#text'], /expected:\nrefund\nactual:\nTom & Jerry <b>/);
    assert.ok(failing['system-out'].endsWith(clean), 'the answer is in system-out');
    assert.equal(triage.testcase[2].error.type, 'server');
    assert.equal(triage.testcase[3].skipped.message, 'cancelled before it started');
    assert.equal(bad.testcase[0].name, '(suite)');
    assert.match(bad.testcase[0].error.message, /No prompt with id "nope" <here>/);
  });

  it('JUnit attribute values keep newlines as character references', () => {
    const run = sampleRun();
    run.cases[1]!.assertions[0]!.message = 'line one\nline two\ttab';
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', htmlEntities: true }).parse(
      formatJUnit(run),
    );
    assert.equal(doc.testsuites.testsuite[0].testcase[1].failure.message, 'line one\nline two\ttab');
  });

  it('text: each suite, each case, what failed and why, and totals', () => {
    const lines = formatRunText(sampleRun()).join('\n');
    assert.match(lines, /prompts\/support\/triage\.suite\.yaml {2}\(support\/triage\)/);
    assert.match(lines, /✔ passes & more {2}gpt-4o · 120 ms · 10→5 tok · \$0\.00010/);
    assert.match(lines, /✖ fails with .*\n {6}Expected the answer to contain "refund"/);
    assert.match(lines, /! provider fault\s*\n {6}openai: server error \(500\)/);
    assert.match(lines, /error prompts\/bad\.suite\.yaml:1:9 No prompt with id "nope"/);
    assert.match(lines, /✖ 4 cases in 2 suites, 1 suite not run: 1 passed · 1 failed · 1 error · 1 cancelled/);
  });

  it('compare: one row per model with pass rate, p50 latency, tokens and cost', () => {
    const cases = [
      result('a', 'pass', { model: 'gpt-4o', latencyMs: 100, output: 'x' }),
      result('b', 'pass', { model: 'gpt-4o', latencyMs: 300, output: 'x' }),
      result('a', 'pass', { model: 'gpt-4o-mini', latencyMs: 50, costUsd: 0.00001, output: 'x' }),
      result('b', 'fail', { model: 'gpt-4o-mini', latencyMs: 60, costUsd: undefined, output: 'x' }),
    ];
    const rows = compareRows(['gpt-4o', 'gpt-4o-mini'], cases);
    assert.deepEqual(
      rows.map((r) => [
        r.model,
        r.totals.passRate,
        r.totals.p50LatencyMs,
        r.totals.tokensIn + r.totals.tokensOut,
        r.totals.costUsd,
      ]),
      [
        ['gpt-4o', 1, 100, 30, 0.0002],
        ['gpt-4o-mini', 0.5, 50, 30, 0.00001],
      ],
    );
    const table = formatCompare(rows);
    assert.match(table[0]!, /MODEL\s+PASS RATE\s+PASSED\s+P50 LATENCY\s+TOKENS\s+COST/);
    assert.match(table[1]!, /^gpt-4o\s+100 %\s+2\/2\s+100 ms\s+30\s+\$0\.00020$/);
    assert.match(table[2]!, /^gpt-4o-mini\s+50 %\s+1\/2\s+50 ms\s+30\s+\$0\.000010\*$/);
    assert.match(table[3]!, /not counted/);
    const md = compareMarkdown(rows).split('\n');
    assert.equal(md[0], '| Model | Pass rate | Passed | p50 latency | Tokens | Cost |');
    assert.equal(md[1], '| --- | ---: | ---: | ---: | ---: | ---: |');
    assert.equal(md[2], '| gpt-4o | **100 %** | 2/2 | 100 ms | 30 | $0.00020 |');
    assert.equal(md[3], '| gpt-4o-mini | 50 % | 1/2 | 50 ms | 30 | $0.000010* |');
    assert.match(md[5]!, /^\\\* some answers have no price/);
  });

  it('compare: no model is "best" when nothing ran, and pipes in a model name cannot break the table', () => {
    const rows = compareRows(['a|b', 'c'], []);
    assert.equal(bestModels(rows).size, 0);
    assert.match(compareMarkdown(rows).split('\n')[2]!, /^\| a\\\|b \| 0 % \|/);
  });
});

describe('compare case matrix', () => {
  it('puts each case on one row with a cell per model, in model order, empty where it did not run', () => {
    const a = { suite: 's.suite.yaml', suiteFile: '/r/s.suite.yaml' };
    const cases = [
      { ...a, caseName: 'one', caseIndex: 0, model: 'm2', status: 'fail', latencyMs: 20 },
      { ...a, caseName: 'one', caseIndex: 0, model: 'm1', status: 'pass', latencyMs: 10 },
      { ...a, caseName: 'two', caseIndex: 1, model: 'm1', status: 'error', latencyMs: 0, error: 'HTTP 500' },
      { ...a, caseName: 'two', caseIndex: 1, model: 'other', status: 'pass', latencyMs: 0 },
    ] as CaseResult[];
    const m = caseMatrix(['m1', 'm2'], cases);
    assert.deepEqual(
      m.map((r) => [r.caseName, r.cells.map((c) => c?.status)]),
      [
        ['one', ['pass', 'fail']],
        ['two', ['error', undefined]],
      ],
    );
    assert.equal(m[1]!.cells[0]!.error, 'HTTP 500');
  });
});
