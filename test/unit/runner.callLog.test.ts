import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hashVars, readCallRecords, type CallRecord } from '../../src/core/calls/callLog';
import { gitBlobSha } from '../../src/core/calls/promptVersion';
import { parseConfig } from '../../src/core/config/load';
import { parsePrompt } from '../../src/core/prompt/parse';
import type { PlannedCase, PlannedSuite } from '../../src/core/run/plan';
import { runSuites, type RunOptions } from '../../src/core/run/runner';
import type { Assertion } from '../../src/core/suite/types';
import { tmpDir } from './helpers/tmp';

// What a run appends to .prompt-registry/calls: one record per provider call, each with the status of that call,
// and the version of the prompt file the case rendered. Injected fetch, no server.

const config = parseConfig(
  'providers:\n  - name: gw\n    baseURL: http://gw.example:9000/v1\n    apiKeyEnv: GW_KEY\ngrader:\n  model: judge\n  provider: gw\n',
  '/x/prompt-registry.yaml',
  {},
).config;
const allowances = [{ host: 'gw.example', port: 9000, source: 'flag' as const }];
const planned: PlannedCase = {
  id: 's#a',
  suiteFile: '/x/s.suite.yaml',
  suite: 's.suite.yaml',
  caseName: 'a',
  caseIndex: 0,
  model: 'gw/m',
  vars: { q: 'hello' },
  messages: [{ role: 'user', content: 'hi' }],
  params: {},
  json: false,
  assertions: [],
};
const rubric: Assertion = {
  type: 'llm-rubric',
  base: 'llm-rubric',
  negate: false,
  value: 'is polite',
  range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  fromDefaults: false,
};

type Reply = { status: number; content?: string } | 'hang';
/** A fetch whose answer depends on the model asked for; `hang` answers only by rejecting when aborted. */
function gateway(answer: (model: string, n: number) => Reply) {
  const asked: string[] = [];
  const fetch = (async (_input: string | URL | Request, init?: RequestInit) => {
    const model = (JSON.parse(String(init?.body)) as { model: string }).model;
    asked.push(model);
    const a = answer(model, asked.length);
    if (a === 'hang')
      return new Promise<Response>((_, reject) => {
        const signal = init?.signal;
        if (signal?.aborted) reject(new DOMException('aborted', 'AbortError'));
        signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    const body =
      a.status === 200
        ? {
            id: 'c1',
            object: 'chat.completion',
            created: 0,
            model,
            choices: [{ index: 0, message: { role: 'assistant', content: a.content ?? 'ok' }, finish_reason: 'stop' }],
            usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
          }
        : { error: { message: `down for ${model}`, type: 'server_error' } };
    return new Response(JSON.stringify(body), { status: a.status, headers: { 'content-type': 'application/json' } });
  }) as typeof globalThis.fetch;
  return { asked, fetch };
}

const run = (cases: PlannedCase[], fetch: typeof globalThis.fetch, over: Partial<RunOptions> = {}) =>
  runSuites([{ file: '/x/s.suite.yaml', suite: 's.suite.yaml', cases, problems: [] } satisfies PlannedSuite], {
    root: tmpDir('pr-log-'),
    config,
    env: { GW_KEY: 'gw-secret-0123456789' },
    fetch,
    allowances,
    maxRetries: 0,
    cache: false,
    concurrency: 1,
    ...over,
  });

/** The fields that depend on the call, not on the clock. */
const fields = (r: CallRecord) => ({
  kind: r.kind,
  model: r.model,
  fallback: r.fallback,
  status: r.status,
  error: r.error,
  tokensIn: r.tokensIn,
  tokensOut: r.tokensOut,
});

describe('runner: the call log', () => {
  it('a fallback logs both attempts: the failed one as an error, the answer as pass with fallback true', async () => {
    const root = tmpDir('pr-log-');
    const g = gateway((model) => (model === 'm' ? { status: 500 } : { status: 200 }));
    const r = await run([{ ...planned, fallbackModel: 'gw/backup' }], g.fetch, { root });
    assert.equal(r.cases[0]!.status, 'pass');
    const records = readCallRecords(root);
    assert.deepEqual(records.map(fields), [
      {
        kind: 'case',
        model: 'gw/m',
        fallback: false,
        status: 'error',
        error: records[0]!.error,
        tokensIn: 0,
        tokensOut: 0,
      },
      { kind: 'case', model: 'gw/backup', fallback: true, status: 'pass', error: undefined, tokensIn: 3, tokensOut: 2 },
    ]);
    assert.match(records[0]!.error!, /down for m/);
    for (const x of records) {
      // No prompt on the case: its id and version are empty, and there is no commit.
      assert.equal(x.promptId, '');
      assert.equal(x.promptVersion, '');
      assert.equal('promptCommit' in x, false);
      assert.equal(x.provider, 'gw');
      assert.equal(x.varsHash, hashVars({ q: 'hello' }));
      assert.equal(x.suite, 's.suite.yaml');
      assert.equal(x.case, 'a');
    }
  });

  it('when the fallback fails too, both attempts are logged as errors with their reasons', async () => {
    const root = tmpDir('pr-log-');
    const r = await run([{ ...planned, fallbackModel: 'gw/backup' }], gateway(() => ({ status: 500 })).fetch, {
      root,
    });
    assert.equal(r.cases[0]!.status, 'error');
    const records = readCallRecords(root);
    assert.deepEqual(
      records.map((x) => [x.model, x.fallback, x.status]),
      [
        ['gw/m', false, 'error'],
        ['gw/backup', true, 'error'],
      ],
    );
    assert.match(records[0]!.error!, /down for m\b/);
    assert.match(records[1]!.error!, /down for backup/);
  });

  it('a case cancelled during its call is logged as an error saying cancelled', async () => {
    const root = tmpDir('pr-log-');
    const ac = new AbortController();
    const g = gateway(() => {
      ac.abort();
      return 'hang';
    });
    const r = await run([planned], g.fetch, { root, signal: ac.signal });
    assert.equal(r.cases[0]!.status, 'cancelled');
    assert.deepEqual(
      readCallRecords(root).map((x) => [x.status, x.error]),
      [['error', 'cancelled']],
    );
  });

  it('a cached answer is not logged again: the log holds provider calls only', async () => {
    const root = tmpDir('pr-log-');
    const g = gateway(() => ({ status: 200 }));
    await run([planned], g.fetch, { root, cache: true });
    const again = await run([planned], g.fetch, { root, cache: true });
    assert.equal(again.cases[0]!.cached, true);
    assert.deepEqual(g.asked, ['m']);
    assert.equal(readCallRecords(root).length, 1);
  });

  describe('llm-rubric: the grader call is logged with its own status', () => {
    const graded = { ...planned, assertions: [rubric] };
    const grading = (verdict: Reply) => gateway((model) => (model === 'judge' ? verdict : { status: 200 }));

    it('a passing verdict: the answer and the grader call are both pass', async () => {
      const root = tmpDir('pr-log-');
      const r = await run([graded], grading({ status: 200, content: '{"pass": true, "reason": "kind"}' }).fetch, {
        root,
      });
      assert.equal(r.cases[0]!.status, 'pass');
      assert.deepEqual(
        readCallRecords(root).map((x) => [x.kind, x.model, x.fallback, x.status, x.error]),
        [
          ['case', 'gw/m', false, 'pass', undefined],
          ['grader', 'gw/judge', false, 'pass', undefined],
        ],
      );
    });

    it('a failing verdict: the case and the grader call are both fail', async () => {
      const root = tmpDir('pr-log-');
      const r = await run([graded], grading({ status: 200, content: '{"pass": false, "reason": "rude"}' }).fetch, {
        root,
      });
      assert.equal(r.cases[0]!.status, 'fail');
      assert.match(r.cases[0]!.assertions[0]!.message, /the grader says: rude/);
      assert.deepEqual(
        readCallRecords(root).map((x) => [x.kind, x.status]),
        [
          ['case', 'fail'],
          ['grader', 'fail'],
        ],
      );
    });

    it('a verdict that is not JSON errors the assertion with why, and the grader call is logged as an error', async () => {
      const root = tmpDir('pr-log-');
      const r = await run([graded], grading({ status: 200, content: 'looks fine to me' }).fetch, { root });
      const c = r.cases[0]!;
      assert.equal(c.status, 'error');
      const why = 'the grader did not answer with JSON: "looks fine to me"';
      assert.equal(c.assertions[0]!.message, `llm-rubric: the grader failed: ${why}`);
      assert.deepEqual(
        readCallRecords(root).map((x) => [x.kind, x.status, x.error]),
        [
          ['case', 'error', undefined],
          ['grader', 'error', why],
        ],
      );
    });

    it('a grader call that fails errors the assertion with the provider reason, logged as a grader error', async () => {
      const root = tmpDir('pr-log-');
      const r = await run([graded], grading({ status: 500 }).fetch, { root });
      const c = r.cases[0]!;
      assert.equal(c.status, 'error');
      assert.match(c.assertions[0]!.message, /^llm-rubric: the grader failed: .*down for judge/);
      const records = readCallRecords(root);
      assert.deepEqual(
        records.map((x) => [x.kind, x.model, x.fallback, x.status]),
        [
          ['case', 'gw/m', false, 'error'],
          ['grader', 'gw/judge', false, 'error'],
        ],
      );
      assert.match(records[1]!.error!, /down for judge/);
    });

    it('a run cancelled during the grader call: the assertion says cancelled, and so does the grader record', async () => {
      const root = tmpDir('pr-log-');
      const ac = new AbortController();
      const g = gateway((model) => {
        if (model !== 'judge') return { status: 200 };
        ac.abort();
        return 'hang';
      });
      const r = await run([graded], g.fetch, { root, signal: ac.signal });
      assert.equal(r.cases[0]!.assertions[0]!.message, 'llm-rubric: the grader failed: cancelled');
      assert.deepEqual(
        readCallRecords(root).map((x) => [x.kind, x.status, x.error]),
        [
          ['case', 'error', undefined],
          ['grader', 'error', 'cancelled'],
        ],
      );
    });

    it('a run cancelled before the grader call is sent: logged as a cancelled grader call', async () => {
      const root = tmpDir('pr-log-');
      // The first run caches the answer (a failed grading is not cached), so the second gets to the grader at once.
      await run([graded], grading({ status: 500 }).fetch, { root, cache: true });
      const g = grading({ status: 200, content: '{"pass": true, "reason": "kind"}' });
      const ac = new AbortController();
      const r = await run([graded], g.fetch, { root, cache: true, signal: ac.signal, onCaseStart: () => ac.abort() });
      assert.equal(r.cases[0]!.cached, true);
      assert.equal(r.cases[0]!.assertions[0]!.message, 'llm-rubric: the grader failed: cancelled');
      assert.deepEqual(g.asked, []);
      const records = readCallRecords(root);
      assert.deepEqual(
        records.map((x) => [x.kind, x.status]),
        [
          ['case', 'error'],
          ['grader', 'error'],
          ['grader', 'error'],
        ],
      );
      assert.match(records[1]!.error!, /down for judge/);
      assert.equal(records[2]!.error, 'cancelled');
    });

    it('a cached verdict is not logged again', async () => {
      const root = tmpDir('pr-log-');
      const g = grading({ status: 200, content: '{"pass": true, "reason": "kind"}' });
      await run([graded], g.fetch, { root, cache: true });
      const again = await run([graded], g.fetch, { root, cache: true });
      assert.equal(again.cases[0]!.status, 'pass');
      assert.deepEqual(g.asked, ['m', 'judge']);
      assert.deepEqual(
        readCallRecords(root).map((x) => x.kind),
        ['case', 'grader'],
      );
    });
  });
});

describe('runner: the prompt version in the call log', () => {
  function git(cwd: string, ...args: string[]): string {
    return execFileSync(
      'git',
      ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args],
      { cwd, encoding: 'utf8' },
    ).trim();
  }
  const promptAt = (file: string, source: string, id?: string) => {
    const p = parsePrompt(source, { file, defaultId: path.basename(file, '.md') });
    return id ? { ...p, id } : p;
  };
  const ok = () => gateway(() => ({ status: 200 })).fetch;

  it('a committed, clean prompt file: its git blob and the HEAD commit', async () => {
    const root = tmpDir('pr-log-');
    git(root, 'init', '-q');
    fs.writeFileSync(path.join(root, 'p.md'), 'user:\nhi\n');
    git(root, 'add', '.');
    git(root, 'commit', '-q', '-m', 'one');
    const prompt = promptAt(path.join(root, 'p.md'), 'user:\nhi\n');
    await run([{ ...planned, prompt, promptId: prompt.id }], ok(), { root });
    const [r] = readCallRecords(root);
    assert.equal(r!.promptId, 'p');
    assert.equal(r!.promptVersion, git(root, 'hash-object', 'p.md'));
    assert.equal(r!.promptCommit, git(root, 'rev-parse', 'HEAD'));
  });

  it('a prompt with no file (unsaved text) has an empty version and no commit', async () => {
    const root = tmpDir('pr-log-');
    const prompt = parsePrompt('user:\nhi\n', { defaultId: 'draft' });
    await run([{ ...planned, prompt, promptId: prompt.id }], ok(), { root });
    const [r] = readCallRecords(root);
    assert.equal(r!.promptId, 'draft');
    assert.equal(r!.promptVersion, '');
    assert.equal('promptCommit' in r!, false);
  });

  it('each prompt file has its own version, even two with the same id and length', async () => {
    const root = tmpDir('pr-log-');
    const a = promptAt(path.join(root, 'a.md'), 'user:\nA\n', 'same');
    const b = promptAt(path.join(root, 'b.md'), 'user:\nB\n', 'same');
    await run(
      [
        { ...planned, prompt: a, promptId: a.id },
        { ...planned, id: 's#b', caseName: 'b', prompt: b, promptId: b.id },
      ],
      ok(),
      { root },
    );
    assert.deepEqual(
      readCallRecords(root).map((x) => [x.case, x.promptVersion]),
      [
        ['a', gitBlobSha(Buffer.from('user:\nA\n'))],
        ['b', gitBlobSha(Buffer.from('user:\nB\n'))],
      ],
    );
  });

  it('the version is taken once per prompt per run: a file edited mid-run does not change it', async () => {
    const root = tmpDir('pr-log-');
    const file = path.join(root, 'p.md');
    // On disk with a BOM: the version hashes the file's own bytes while they match what was rendered.
    const disk = Buffer.from('\uFEFFuser:\nhi\n');
    fs.writeFileSync(file, disk);
    const prompt = promptAt(file, 'user:\nhi\n');
    let edited = false;
    await run(
      [
        { ...planned, prompt, promptId: prompt.id },
        { ...planned, id: 's#b', caseName: 'b', prompt, promptId: prompt.id },
      ],
      ok(),
      {
        root,
        onCaseEnd: () => {
          if (!edited) fs.writeFileSync(file, 'user:\nedited\n');
          edited = true;
        },
      },
    );
    assert.deepEqual(
      readCallRecords(root).map((x) => [x.case, x.promptVersion]),
      [
        ['a', gitBlobSha(disk)],
        ['b', gitBlobSha(disk)],
      ],
    );
  });
});
