import * as assert from 'node:assert/strict';
import FakeTimers from '@sinonjs/fake-timers';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CallLog, hashVars, readCallRecords, type CallRecord } from '../../src/core/calls/callLog';
import { gitBlobSha, promptVersion } from '../../src/core/calls/promptVersion';
import { callStats, percentile } from '../../src/core/calls/stats';
import { changedSince, GitError } from '../../src/core/git/changedFiles';
import { tmpDir, writeFiles } from './helpers/tmp';

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
    tokensIn: 10,
    tokensOut: 5,
    costUsd: 0.001,
    latencyMs: 100,
    status: 'pass',
    ...extra,
  };
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync(
    'git',
    ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args],
    { cwd, encoding: 'utf8' },
  ).trim();
}

describe('call log', () => {
  it('appends JSON lines in batches and rotates past the size limit, losing nothing', async () => {
    const root = tmpDir();
    const log = new CallLog(root, 600);
    for (let i = 0; i < 3; i++) log.append(rec({ case: `a${i}` }));
    await log.flush();
    for (let i = 0; i < 3; i++) log.append(rec({ case: `b${i}` }));
    await log.flush();
    log.append(rec({ case: 'c0' }));
    await log.flush();
    const files = fs.readdirSync(path.join(root, '.prompt-registry/calls')).sort();
    assert.ok(files.length >= 2, `rotated: ${files.join(', ')}`);
    assert.ok(files.includes('calls.jsonl'));
    assert.deepEqual(
      readCallRecords(root).map((r) => r.case),
      ['a0', 'a1', 'a2', 'b0', 'b1', 'b2', 'c0'],
    );
  });

  it('loses nothing when it rotates many times within the same millisecond', async () => {
    const root = tmpDir();
    const log = new CallLog(root, 200);
    // The clock stands still, so every rotation happens "at the same time".
    const clock = FakeTimers.install({ now: new Date('2026-11-21T00:00:00Z'), toFake: ['Date'] });
    try {
      for (let i = 0; i < 30; i++) {
        log.append(rec({ case: `r${i}` }));
        await log.flush();
      }
    } finally {
      clock.uninstall();
    }
    assert.deepEqual(
      readCallRecords(root).map((r) => r.case),
      Array.from({ length: 30 }, (_, i) => `r${i}`),
    );
  });

  it('skips torn or foreign lines when reading', () => {
    const root = tmpDir();
    writeFiles(root, {
      '.prompt-registry/calls/calls.jsonl': `${JSON.stringify(rec({}))}\n{"promptId": "x", "mod\n[1,2]\n\n`,
    });
    assert.equal(readCallRecords(root).length, 1);
  });

  it('hashes vars canonically and irreversibly', () => {
    assert.equal(hashVars({ a: 1, b: { c: [1, 'x'] } }), hashVars({ b: { c: [1, 'x'] }, a: 1 }));
    assert.notEqual(hashVars({ a: 1 }), hashVars({ a: 2 }));
    assert.match(hashVars({ secret: 'hunter2' }), /^[0-9a-f]{16}$/);
  });

  it('stats: calls, pass rate, p50/p95 latency, tokens and cost, by prompt or model, since a date; graders apart', () => {
    const records = [
      ...Array.from({ length: 20 }, (_, i) =>
        rec({ promptId: 'a', model: 'gpt-4o', latencyMs: (i + 1) * 10, status: i < 15 ? 'pass' : 'fail' }),
      ),
      rec({ promptId: 'b', model: 'gpt-4o-mini', status: 'error', costUsd: undefined, tokensIn: 0, tokensOut: 0 }),
      rec({ promptId: 'b', model: 'gpt-4o-mini', ts: '2026-01-01T00:00:00Z' }),
      rec({ promptId: 'a', kind: 'grader', model: 'judge', costUsd: 0.5 }),
    ];
    const byPrompt = callStats(records, { by: 'prompt' });
    const a = byPrompt.rows.find((r) => r.key === 'a')!;
    assert.deepEqual(
      [a.calls, a.passed, a.failed, a.passRate, a.p50LatencyMs, a.p95LatencyMs, a.tokensIn, a.tokensOut],
      [20, 15, 5, 0.75, 100, 190, 200, 100],
    );
    assert.equal(Math.round(a.costUsd * 1000), 20);
    assert.equal(byPrompt.total.calls, 22);
    assert.deepEqual(byPrompt.grader, { calls: 1, costUsd: 0.5 });
    const byModel = callStats(records, { by: 'model', since: new Date('2026-11-01') });
    assert.deepEqual(
      byModel.rows.map((r) => [r.key, r.calls, r.errors]),
      [
        ['gpt-4o', 20, 0],
        ['gpt-4o-mini', 1, 1],
      ],
    );
    assert.equal(percentile([], 50), 0);
    assert.equal(percentile([5], 95), 5);
  });
});

describe('prompt version', () => {
  it('is the git blob sha of the file as rendered, plus HEAD when the file is clean', async () => {
    const root = tmpDir();
    git(root, 'init', '-q');
    writeFiles(root, { 'prompts/a b.md': '\uFEFF---\r\nmodel: x\r\n---\r\nhi\r\n' });
    git(root, 'add', '.');
    git(root, 'commit', '-q', '-m', 'one');
    const file = path.join(root, 'prompts/a b.md');
    const text = '---\r\nmodel: x\r\n---\r\nhi\r\n';
    const v = await promptVersion(file, text);
    assert.equal(v.blob, git(root, 'hash-object', 'prompts/a b.md'));
    assert.equal(v.commit, git(root, 'rev-parse', 'HEAD'));

    fs.appendFileSync(file, 'more\n');
    const dirty = await promptVersion(file, `${text}more\n`);
    assert.equal(dirty.blob, git(root, 'hash-object', 'prompts/a b.md'));
    assert.equal(dirty.commit, undefined, 'no commit for a modified file');

    const unsaved = await promptVersion(file, 'editor text');
    assert.equal(unsaved.blob, gitBlobSha(Buffer.from('editor text')));
    assert.equal(unsaved.commit, undefined);
  });

  it('works without git or outside a repository', async () => {
    const root = tmpDir();
    writeFiles(root, { 'p.md': 'x' });
    const v = await promptVersion(path.join(root, 'p.md'), 'x');
    assert.deepEqual(v, { blob: gitBlobSha(Buffer.from('x')) });
    assert.equal(v.blob, 'c1b0730e0133447badcfd47fd144e254807b06e1', 'printf x | git hash-object --stdin');
  });
});

describe('changed since a git ref', () => {
  it('lists committed, staged, unstaged and untracked changes, not ignored files', async () => {
    const root = tmpDir();
    git(root, 'init', '-q');
    writeFiles(root, { 'a.md': '1', 'b.md': '1', 'c.md': '1', '.gitignore': 'ignored.md\n' });
    git(root, 'add', '.');
    git(root, 'commit', '-q', '-m', 'base');
    const base = git(root, 'rev-parse', 'HEAD');
    writeFiles(root, { 'a.md': '2' });
    git(root, 'commit', '-q', '-am', 'a');
    writeFiles(root, { 'b.md': '2', 'new.md': 'x', 'ignored.md': 'x' });
    const changed = await changedSince(root, base);
    assert.deepEqual([...changed].map((f) => path.relative(fs.realpathSync(root), f)).sort(), [
      'a.md',
      'b.md',
      'new.md',
    ]);
    await assert.rejects(
      changedSince(root, 'no-such-ref'),
      (e: Error) => e instanceof GitError && /unknown git ref "no-such-ref"/.test(e.message),
    );
    await assert.rejects(changedSince(root, '--output=/tmp/x'), GitError);
    await assert.rejects(changedSince(tmpDir(), 'HEAD'), /not a git repository/);
  });
});
