import * as assert from 'node:assert/strict';
import type { CallRecord } from '../../src/core/calls/callLog';
import { callStats } from '../../src/core/calls/stats';
import { noCallsMessage, statsCells, statsHeaders, statsMarkdown } from '../../src/core/app/statsMarkdown';

function rec(extra: Partial<CallRecord>): CallRecord {
  return {
    ts: '2026-11-20T10:00:00.000Z',
    kind: 'case',
    promptId: 'p',
    promptVersion: 'abc',
    provider: 'openai',
    model: 'gpt-4o',
    fallback: false,
    varsHash: '0',
    tokensIn: 1200,
    tokensOut: 300,
    costUsd: 0.25,
    latencyMs: 100,
    status: 'pass',
    ...extra,
  };
}

describe('call statistics as Markdown', () => {
  const records = [
    rec({ promptId: 'greet|formal', latencyMs: 100 }),
    rec({ promptId: 'greet|formal', latencyMs: 300, status: 'fail' }),
    rec({ promptId: 'support/reply', model: 'gpt-4o-mini', latencyMs: 50 }),
    rec({ promptId: 'support/reply', kind: 'grader', model: 'judge', costUsd: 0.5 }),
  ];

  it('has the CLI columns, one row per prompt with its id as code, a bold total and the grading note', () => {
    const md = statsMarkdown(callStats(records, { by: 'prompt' }), 'prompt');
    const lines = md.split('\n');
    assert.equal(lines[0], '### Call statistics by prompt');
    assert.equal(lines[2], '| PROMPT | CALLS | PASS RATE | P50 | P95 | TOKENS IN | TOKENS OUT | COST |');
    assert.equal(lines[3], '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    const stats = callStats(records, { by: 'prompt' });
    const greet = stats.rows.find((r) => r.key === 'greet|formal')!;
    const [, ...cells] = statsCells(greet);
    assert.equal(lines[4], `| \`greet\\|formal\` | ${cells.join(' | ')} |`, 'a "|" in an id does not end the cell');
    assert.match(lines[5]!, /^\| `support\/reply` \| 1 \|/);
    assert.match(lines[6]!, /^\| \*\*total\*\* \| \*\*3\*\* \|/);
    assert.ok(md.includes('_plus 1 llm-rubric grading calls ($0.50)_'), md);
  });

  it('by model: the MODEL column; since a date in the title', () => {
    const since = new Date('2026-11-01T00:00:00Z');
    const md = statsMarkdown(callStats(records, { by: 'model', since }), 'model', since);
    assert.match(md, /^### Call statistics by model since `2026-11-01T00:00:00.000Z`\n/);
    assert.match(md, /^\| MODEL \| CALLS /m);
    assert.match(md, /^\| `gpt-4o` \| 2 \|/m);
    assert.deepEqual(statsHeaders('model').slice(0, 2), ['MODEL', 'CALLS']);
  });

  it('says there is nothing to count when the log is empty', () => {
    const md = statsMarkdown(callStats([], { by: 'prompt' }), 'prompt');
    assert.equal(md, `### Call statistics by prompt\n\n${noCallsMessage()}\n`);
  });
});
