import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { load } from 'js-yaml';
import { globSync } from 'tinyglobby';
import { makeProgress } from '../../src/cli/progress';
import type { CaseResult } from '../../src/core/run/results';
import { REPO_ROOT } from './helpers/tmp';

describe('schemas/suite.schema.json (what editors validate *.suite.yaml with)', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'schemas/suite.schema.json'), 'utf8'));
  const validate = new Ajv({ strict: false }).compile(schema);

  it('accepts every sample suite', () => {
    const files = globSync(['prompts/**/*.suite.yaml'], { cwd: REPO_ROOT });
    assert.ok(files.length >= 4);
    for (const f of files)
      assert.ok(
        validate(load(fs.readFileSync(path.join(REPO_ROOT, f), 'utf8'))),
        `${f}: ${JSON.stringify(validate.errors)}`,
      );
  });

  it('rejects an unknown assertion type, a case without a name and an empty case list', () => {
    assert.equal(validate({ cases: [{ name: 'a', assert: [{ type: 'contians', value: 'x' }] }] }), false);
    assert.equal(validate({ cases: [{ vars: {} }] }), false);
    assert.equal(validate({ cases: [] }), false);
    assert.equal(validate({ cases: [{ name: 'a', assert: [{ type: 'not-icontains', value: 'x' }] }] }), true);
  });
});

describe('run progress', () => {
  const r = (status: CaseResult['status']): CaseResult => ({
    id: 'x',
    suite: 'prompts/a.suite.yaml',
    suiteFile: '/a',
    caseName: `case ${status}`,
    caseIndex: 0,
    model: 'gpt-4o',
    answeredBy: 'gpt-4o',
    fallback: false,
    status,
    assertions: [],
    latencyMs: 12,
    tokens: { input: 1, output: 1 },
    cached: false,
    durationMs: 12,
    error: status === 'error' ? 'server error (500)' : undefined,
  });

  it('prints one plain line per finished case in CI', () => {
    const out: string[] = [];
    const p = makeProgress(2, { write: (s: string) => out.push(s) }, false);
    p.caseDone(r('pass'));
    p.caseDone(r('error'));
    p.end();
    assert.deepEqual(out, [
      '[1/2] ✔ prompts/a.suite.yaml › case pass (gpt-4o, 12 ms)\n',
      '[2/2] ! prompts/a.suite.yaml › case error (gpt-4o, 12 ms) — server error (500)\n',
    ]);
  });

  it('redraws one bar in place on a terminal and clears it at the end', () => {
    const out: string[] = [];
    const p = makeProgress(2, { write: (s: string) => out.push(s) }, true);
    p.caseDone(r('pass'));
    p.caseDone(r('fail'));
    p.end();
    assert.ok(out.every((s) => s.startsWith('\r\x1b[2K') && !s.includes('\n')));
    assert.match(out.at(-2)!, /\[█{30}\] 2\/2 · 1 not passed {2}prompts\/a\.suite\.yaml › case fail/);
    assert.equal(out.at(-1), '\r\x1b[2K');
  });
});
