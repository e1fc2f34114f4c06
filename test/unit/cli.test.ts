import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { runCheck } from '../../src/cli/commands/check';
import type { CliDiagnostic } from '../../src/cli/format/diagnostics';
import { FakeOpenAI } from '../support/fakeOpenAI';
import { cli, cliAsync } from './helpers/cli';
import { FIXTURE_WORKSPACE, REPO_ROOT, tmpDir, writeFiles } from './helpers/tmp';
import { buildDist } from './helpers/dist';

// The fixture's retiring model shuts down on 2026-12-01: checked ten days before, never against the real clock.
const NOW = new Date('2026-11-21T00:00:00Z');

function check(paths: string[], format: 'text' | 'json' | 'github', root = FIXTURE_WORKSPACE, now = NOW) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runCheck(
    { root, out: (s) => out.push(s), err: (s) => err.push(s), signal: new AbortController().signal },
    { paths, format, now },
  );
  return { code, out, err };
}

describe('prompt-registry check', () => {
  const items: CliDiagnostic[] = JSON.parse(check([], 'json').out.join('\n'));
  const at = (d: CliDiagnostic) => `${d.file}:${d.line}:${d.column}`;

  // Every code the format defines, shown on a fixture at the right line and column.
  const expected: [string, string, string][] = [
    ['yaml-syntax', 'error', 'prompts/format/yaml-syntax.md:4:1'],
    ['invalid-field', 'error', 'prompts/format/invalid-field.md:3:14'],
    ['unknown-field', 'warning', 'prompts/format/unknown-field.md:3:1'],
    ['missing-model', 'error', 'prompts/format/missing-model.md:1:1'],
    ['unknown-model', 'error', 'prompts/models/unknown-model.md:2:8'],
    ['inactive-model', 'warning', 'prompts/models/inactive-model.md:2:8'],
    ['model-not-enabled', 'warning', 'prompts/models/not-enabled.md:2:8'],
    ['model-retiring', 'warning', 'prompts/models/retiring.md:2:8'],
    ['undeclared-variable', 'warning', 'prompts/format/variables.md:7:18'],
    ['unused-input', 'info', 'prompts/format/variables.md:5:3'],
    ['duplicate-id', 'error', 'prompts/dup-a.md:2:5'],
    ['duplicate-id', 'error', 'prompts/dup-b.md:2:5'],
  ];
  for (const [code, severity, where] of expected) {
    it(`shows ${code} at ${where}`, () => {
      const hit = items.find((d) => d.code === code && at(d) === where);
      assert.ok(
        hit,
        `no ${code} at ${where}; got ${
          items
            .filter((d) => d.code === code)
            .map(at)
            .join(', ') || 'none'
        }`,
      );
      assert.equal(hit.severity, severity);
    });
  }

  it('after its shutdown date the retiring model is no longer available: inactive-model, not model-retiring', () => {
    const after: CliDiagnostic[] = JSON.parse(
      check(
        ['prompts/models/retiring.md'].map((p) => `${FIXTURE_WORKSPACE}/${p}`),
        'json',
        FIXTURE_WORKSPACE,
        new Date('2026-12-02T12:00:00Z'),
      ).out.join('\n'),
    );
    assert.deepEqual(
      after.map((d) => [d.code, d.severity]),
      [['inactive-model', 'warning']],
    );
    assert.match(
      after[0]!.message,
      /^Model is no longer available: "gpt-4o-2024-05-13" was shut down on 2026-12-01 \(1 day ago\)/,
    );
  });

  it('reports nothing on clean prompts and nothing it was not asked for', () => {
    assert.equal(items.length, expected.length);
    assert.ok(!items.some((d) => d.file.endsWith('clean.md') || d.file.endsWith('hello.md')));
  });

  it('json items have the documented shape with 1-based positions and end positions', () => {
    const d = items.find((x) => x.code === 'unknown-model')!;
    assert.deepEqual(d, {
      file: 'prompts/models/unknown-model.md',
      line: 2,
      column: 8,
      endLine: 2,
      endColumn: 15,
      severity: 'error',
      code: 'unknown-model',
      message: 'Unknown model "gpt-4oo": it is not in the model catalog. Did you mean "gpt-4o", "gpt-4.1"?',
    });
  });

  it('text lists file:line:col severity code message and a summary; exit 1 on errors', () => {
    const r = check([], 'text');
    assert.equal(r.code, 1);
    assert.ok(
      r.out.includes(
        'prompts/models/inactive-model.md:2:8 warning inactive-model Model is no longer available: "gpt-3.5-turbo-0301" was missing from openai\'s model list (last seen 2025-06-01)',
      ),
    );
    assert.match(r.out.at(-1)!, /6 errors, 5 warnings, 1 info in 13 prompt files/);
  });

  it('github prints workflow commands with escaped properties', () => {
    const r = check(
      ['prompts/models'].map((p) => `${FIXTURE_WORKSPACE}/${p}`),
      'github',
    );
    assert.ok(
      r.out.includes(
        '::warning file=prompts/models/inactive-model.md,line=2,col=8,endLine=2,endColumn=26,title=inactive-model::Model is no longer available: "gpt-3.5-turbo-0301" was missing from openai\'s model list (last seen 2025-06-01)',
      ),
    );
    assert.ok(r.out.every((l) => l.startsWith('::')));
    assert.equal(r.code, 1);
  });

  it('reports only the named paths but still sees duplicates across the workspace', () => {
    const r = check([`${FIXTURE_WORKSPACE}/prompts/dup-a.md`], 'json');
    const got: CliDiagnostic[] = JSON.parse(r.out.join('\n'));
    assert.deepEqual(
      got.map((d) => `${d.file} ${d.code}`),
      ['prompts/dup-a.md duplicate-id'],
    );
  });

  it('exits 0 when there are only warnings', () => {
    assert.equal(check([`${FIXTURE_WORKSPACE}/prompts/models/inactive-model.md`], 'text').code, 0);
  });

  it('says once that model checks were skipped when there is no catalog', () => {
    const root = tmpDir();
    writeFiles(root, { 'prompts/a.md': '---\nmodel: x\n---\n', 'prompts/b.md': '---\nmodel: y\n---\n' });
    const r = check([], 'text', root);
    assert.equal(r.out.filter((l) => l.startsWith('note:')).length, 1);
    assert.equal(r.code, 0);
    const j = check([], 'json', root);
    assert.deepEqual(JSON.parse(j.out.join('\n')), []);
    assert.equal(j.err.length, 1, 'json keeps stdout parseable and puts the note on stderr');
  });

  it('the real binary: exit codes 0, 1 and 2', function () {
    this.timeout(60_000);
    assert.equal(cli(['check'], REPO_ROOT).code, 0, 'the sample prompts are clean');
    const bad = cli(['--root', FIXTURE_WORKSPACE, 'check', '--format', 'json']);
    assert.equal(bad.code, 1);
    assert.equal(JSON.parse(bad.stdout).length, expected.length);
    const usage = cli(['check', '--format', 'xml']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /Allowed choices are text, json, github/);
    const missing = cli(['check', 'no/such/path.md']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /No such file or folder/);
    assert.equal(cli(['frobnicate']).code, 2);
  });
});

describe('prompt-registry list and render', () => {
  it('lists prompts with model, price and status as JSON', () => {
    const r = cli(['--root', FIXTURE_WORKSPACE, 'list', '--json']);
    const rows = JSON.parse(r.stdout) as { id: string; status: string; label?: string; inputPricePer1M?: number }[];
    const byId = Object.fromEntries(rows.map((x) => [x.id, x]));
    assert.equal(byId.clean!.status, 'ok');
    assert.equal(byId.clean!.label, 'GPT-4o (general)');
    assert.equal(byId.clean!.inputPricePer1M, 2.5);
    assert.equal(byId['models/inactive-model']!.status, 'inactive');
    assert.equal(byId['models/unknown-model']!.status, 'unknown');
    assert.equal(byId['format/missing-model']!.status, 'missing');
  });

  it('renders a sample prompt with typed --var values and defaults', () => {
    const r = cli(['render', 'writing/summarize', '--var', 'text=Long text', '--var', 'max_words=20', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.model, 'gpt-4o-mini');
    assert.deepEqual(out.messages[0], {
      role: 'system',
      content: "Summarize the user's text in at most 20 words. Keep names and numbers exact.",
    });
    assert.deepEqual(out.messages[1], { role: 'user', content: 'Long text' });
  });

  it('fails clearly on a missing required input or an unknown id', () => {
    const r = cli(['render', 'writing/summarize']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /missing required input "text"/);
    const u = cli(['render', 'nope']);
    assert.equal(u.code, 2);
    assert.match(u.stderr, /No prompt with id "nope"/);
  });
});

describe('the bundled CLI', () => {
  it('builds with esbuild and runs check on the samples (catches bundling mistakes)', function () {
    this.timeout(120_000);
    buildDist();
    const run = spawnSync(process.execPath, ['dist/cli.js', 'check', '--format', 'json'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), []);
    const init = spawnSync(process.execPath, [`${REPO_ROOT}/dist/cli.js`, 'init'], { cwd: tmpDir(), encoding: 'utf8' });
    assert.equal(init.status, 0, init.stderr);
    assert.match(init.stdout, /created {2}prompts\/support\/triage\.md/);
  });
});

describe('prompt-registry models', () => {
  it('list --json shows policy marks, prices and usage; inactive only with --all', () => {
    const r = cli(['--root', FIXTURE_WORKSPACE, 'models', 'list', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse(r.stdout) as {
      ref: string;
      isDefault: boolean;
      isFallback: boolean;
      enabled: boolean;
      promptCount: number;
      label: string;
      active: boolean;
    }[];
    assert.ok(!rows.some((x) => !x.active));
    const gpt4o = rows.find((x) => x.ref === 'gpt-4o')!;
    assert.deepEqual(
      [gpt4o.isDefault, gpt4o.enabled, gpt4o.label, gpt4o.promptCount],
      [true, true, 'GPT-4o (general)', 7],
    );
    assert.equal(rows.find((x) => x.ref === 'gpt-4o-mini')!.isFallback, true);
    assert.equal(rows.find((x) => x.ref === 'gpt-4.1')!.enabled, false);
    const all = JSON.parse(cli(['--root', FIXTURE_WORKSPACE, 'models', 'list', '--json', '--all']).stdout) as {
      ref: string;
      active: boolean;
    }[];
    assert.equal(all.find((x) => x.ref === 'gpt-3.5-turbo-0301')!.active, false);
  });

  it('refresh against a loopback server: exit 0 and a summary; exit 1 with one line on failure, catalog kept', async function () {
    this.timeout(60_000);
    const server = await new FakeOpenAI().start();
    try {
      const root = tmpDir();
      writeFiles(root, {
        'prompt-registry.yaml': `providers:\n  - name: local\n    baseURL: ${server.baseURL}\n    apiKeyEnv: LOCAL_KEY\n`,
        'prompts/a.md': '---\nmodel: gone-soon\n---\n',
      });
      server.apiKey = 'sk-local-key-0123456789';
      server.setModels(['gpt-4o', 'gone-soon', 'x', 'y']);
      const ok = await cliAsync(['models', 'refresh'], root, {
        LOCAL_KEY: 'sk-local-key-0123456789',
        PROMPT_REGISTRY_ALLOW_HOSTS: '127.0.0.1',
      });
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout, /local: 4 models listed; 4 added \(gpt-4o, gone-soon, x, y\)/);
      server.setModels(['gpt-4o', 'x', 'y']);
      const second = await cliAsync(['models', 'refresh'], root, {
        LOCAL_KEY: 'sk-local-key-0123456789',
        PROMPT_REGISTRY_ALLOW_HOSTS: '127.0.0.1',
      });
      assert.match(second.stdout, /1 no longer available \(gone-soon\)/);
      assert.match(
        second.stdout,
        /1 prompt uses models that are no longer available:\n {2}prompts\/a\.md {2}\(gone-soon\)/,
      );
      const before = fs.readFileSync(`${root}/.prompt-registry/catalog.json`);
      const bad = await cliAsync(['models', 'refresh'], root, {
        LOCAL_KEY: 'sk-wrong-key-999999999',
        PROMPT_REGISTRY_ALLOW_HOSTS: '127.0.0.1',
      });
      assert.equal(bad.code, 1);
      assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
      assert.match(bad.stderr, /local: the API key was rejected/);
      assert.ok(!bad.stderr.includes('sk-wrong-key-999999999'));
      assert.ok(fs.readFileSync(`${root}/.prompt-registry/catalog.json`).equals(before));
      server.setModels(['gpt-4o']);
      const refused = await cliAsync(['models', 'refresh'], root, {
        LOCAL_KEY: 'sk-local-key-0123456789',
        PROMPT_REGISTRY_ALLOW_HOSTS: '127.0.0.1',
      });
      assert.equal(refused.code, 1);
      assert.match(
        refused.stderr,
        /local: the refresh would deactivate 2 of 3 active models; kept the old list \(use --force to apply it anyway\)/,
      );
      assert.equal(cli(['models', 'refresh', '--provider', 'nope'], root).code, 2);
    } finally {
      await server.stop();
    }
  });
});
