import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { initWorkspace } from '../../src/core/init/init';
import { FakeOpenAI, type ChatBody } from '../support/fakeOpenAI';
import { cli, cliAsync } from './helpers/cli';
import { fakeWorkspace, manyCases, promptFile } from './helpers/suites';
import { REPO_ROOT, tmpDir, writeFiles } from './helpers/tmp';

const NOW = new Date('2026-11-21T10:00:00.000Z');

async function samplesWorkspace(): Promise<string> {
  const root = tmpDir('pr-cli-run-');
  await initWorkspace(root, path.join(REPO_ROOT, 'prompts'), NOW);
  return root;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync(
    'git',
    ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args],
    { cwd, encoding: 'utf8' },
  ).trim();
}

describe('prompt-registry run', () => {
  let root: string;
  before(async () => {
    root = await samplesWorkspace();
  });

  it('runs the sample suites on echo: exit 0, plain progress lines in CI, a text report, then calls stats', () => {
    const r = cli(['run', '--provider', 'echo'], root, { CI: 'true' });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stderr, /^\[1\/\d+\] ✔ prompts\//m);
    assert.match(r.stdout, /prompts\/support\/triage\.suite\.yaml {2}\(support\/triage\)/);
    assert.match(r.stdout, /✔ \d+ cases in 4 suites: \d+ passed/);
    const stats = cli(['calls', 'stats', '--by', 'model'], root);
    assert.equal(stats.code, 0, stats.stderr);
    assert.match(stats.stdout, /^MODEL\s+CALLS\s+PASS RATE\s+P50\s+P95\s+TOKENS IN\s+TOKENS OUT\s+COST$/m);
    assert.match(stats.stdout, /^gpt-4o-mini\s+\d+\s+100 %/m);
    const json = JSON.parse(cli(['calls', 'stats', '--json'], root).stdout);
    assert.ok(json.total.calls >= 8);
    assert.match(cli(['calls', 'stats', '--since', '2999-01-01'], root).stdout, /No calls logged since 2999/);
  });

  it('JUnit to a file: valid XML that CI viewers read; the summary still prints', () => {
    const r = cli(['run', '--provider', 'echo', '--reporter', 'junit', '--output', 'out/junit.xml'], root);
    assert.equal(r.code, 0, r.stderr);
    const xml = fs.readFileSync(path.join(root, 'out/junit.xml'), 'utf8');
    assert.equal(XMLValidator.validate(xml), true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
    assert.equal(doc.testsuites.failures, '0');
    assert.equal(doc.testsuites.testsuite.length, 4);
    assert.match(r.stdout, /cases in 4 suites/);
    assert.match(r.stderr, /wrote junit report to out\/junit\.xml/);
  });

  it('json reporter on stdout parses, with per-case results and totals', () => {
    const r = cli(['run', '--provider', 'echo', '--reporter', 'json', 'prompts/support'], root);
    assert.equal(r.code, 0, r.stderr);
    const run = JSON.parse(r.stdout);
    assert.deepEqual(
      run.suites.map((s: { suite: string }) => s.suite),
      ['prompts/support/reply.suite.yaml', 'prompts/support/triage.suite.yaml'],
    );
    assert.equal(run.totals.cases, run.totals.passed);
    assert.equal(run.cases[0].provider, 'echo');
  });

  it('exit 1 when a case fails, with what was expected and what came back', () => {
    const w = tmpDir();
    writeFiles(w, {
      'prompts/a.md': promptFile('gpt-4o'),
      'prompts/a.suite.yaml':
        'cases:\n  - name: wrong\n    vars: {question: hi}\n    assert: [{type: contains, value: bye}]\n',
    });
    const r = cli(['run', '--provider', 'echo'], w);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /✖ wrong/);
    assert.match(r.stdout, /Expected the answer to contain "bye"; got "system: Answer briefly\. user: hi"/);
  });

  it('--prompt and suite paths select suites; --shard splits them deterministically', () => {
    const names = (args: string[]) => {
      const r = cli(['run', '--provider', 'echo', '--reporter', 'json', ...args], root);
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout).suites.map((s: { suite: string }) => s.suite) as string[];
    };
    assert.deepEqual(names(['--prompt', 'support/triage']), ['prompts/support/triage.suite.yaml']);
    assert.deepEqual(
      names(['prompts/writing/summarize.md']),
      ['prompts/writing/summarize.suite.yaml'],
      'a prompt file selects its suites',
    );
    const all = names([]);
    const one = names(['--shard', '1/3']);
    const two = names(['--shard', '2/3']);
    const three = names(['--shard', '3/3']);
    assert.deepEqual([...one, ...two, ...three].sort(), all);
    assert.deepEqual(one, names(['--shard', '1/3']), 'same split every time');
    assert.ok(Math.max(one.length, two.length, three.length) - Math.min(one.length, two.length, three.length) <= 1);
  });

  it('--changed-since runs only suites whose suite or prompt file changed', () => {
    const w = tmpDir();
    fs.cpSync(root, w, { recursive: true });
    fs.rmSync(path.join(w, '.prompt-registry/calls'), { recursive: true, force: true });
    git(w, 'init', '-q');
    git(w, 'add', '.');
    git(w, 'commit', '-q', '-m', 'base');
    const none = cli(['run', '--provider', 'echo', '--changed-since', 'HEAD'], w);
    assert.equal(none.code, 0);
    assert.match(none.stderr, /No suites selected/);
    fs.appendFileSync(path.join(w, 'prompts/writing/summarize.md'), '\nBe exact.\n');
    fs.appendFileSync(path.join(w, 'prompts/code/review.suite.yaml'), '\n');
    const r = cli(['run', '--provider', 'echo', '--changed-since', 'HEAD', '--reporter', 'json'], w);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      JSON.parse(r.stdout).suites.map((s: { suite: string }) => s.suite),
      ['prompts/code/review.suite.yaml', 'prompts/writing/summarize.suite.yaml'],
    );
  });

  describe('usage mistakes exit 2 with one clear line', () => {
    const cases: [string[], RegExp][] = [
      [['--shard', '3/2'], /--shard takes i\/n/],
      [['--shard', 'half'], /--shard takes i\/n/],
      [['--concurrency', '0'], /--concurrency takes a positive whole number/],
      [['--timeout', '-5'], /--timeout takes a positive whole number/],
      [['--provider', 'nope'], /no provider named "nope" \(choose from openai, echo\)/],
      [['--model', 'a', '--compare', 'b,c'], /either --model or --compare/],
      [['--compare', ','], /--compare takes a comma-separated list/],
      [['--prompt', 'nope'], /no prompt with id "nope"/],
      [['prompts/nothing-here'], /No such file or folder/],
      [['--reporter', 'xml'], /argument 'xml' is invalid/],
      [['--changed-since', 'no-such-ref'], /--changed-since: (not a git repository|unknown git ref)/],
    ];
    for (const [args, message] of cases) {
      it(args.join(' '), () => {
        const r = cli(['run', ...args], root);
        assert.equal(r.code, 2, r.stdout + r.stderr);
        assert.match(r.stderr, message);
      });
    }
  });

  describe('against a loopback OpenAI-compatible server', () => {
    let fake: FakeOpenAI;
    beforeEach(async () => {
      fake = await new FakeOpenAI().start();
    });
    afterEach(async () => {
      await fake.stop();
    });
    const chats = () => fake.requests.filter((r) => r.path === '/v1/chat/completions').length;

    it('uses the key from apiKeyEnv, caches answers, and --no-cache bypasses the cache', async () => {
      const w = fakeWorkspace(
        fake.baseURL,
        { 'prompts/q.md': promptFile('primary'), 'prompts/q.suite.yaml': manyCases(3) },
        '',
        'FAKE_KEY',
      );
      fake.apiKey = 'sk-test-0123456789abcdef';
      const first = await cliAsync(['run'], w, {
        FAKE_KEY: 'sk-test-0123456789abcdef',
        PROMPT_REGISTRY_ALLOW_HOSTS: '127.0.0.1',
      });
      assert.equal(first.code, 0, first.stdout + first.stderr);
      assert.equal(chats(), 3);
      const cached = await cliAsync(['run'], w, {
        FAKE_KEY: 'sk-test-0123456789abcdef',
        PROMPT_REGISTRY_ALLOW_HOSTS: '127.0.0.1',
      });
      assert.equal(cached.code, 0);
      assert.equal(chats(), 3);
      assert.match(cached.stdout, /3 cached/);
      const fresh = await cliAsync(['run', '--no-cache'], w, {
        FAKE_KEY: 'sk-test-0123456789abcdef',
        PROMPT_REGISTRY_ALLOW_HOSTS: '127.0.0.1',
      });
      assert.equal(fresh.code, 0);
      assert.equal(chats(), 6);
      const denied = await cliAsync(['run', '--no-cache'], w, {
        FAKE_KEY: 'sk-wrong-0123456789abcdef',
        PROMPT_REGISTRY_ALLOW_HOSTS: '127.0.0.1',
      });
      assert.equal(denied.code, 1);
      assert.match(denied.stdout, /the API key was rejected/);
      assert.doesNotMatch(denied.stdout + denied.stderr, /0123456789abcdef/, 'keys are never shown');
    });

    it('--compare runs each suite on each model and prints the table', async () => {
      const w = fakeWorkspace(fake.baseURL, {
        'prompts/q.md': promptFile('primary'),
        'prompts/q.suite.yaml': manyCases(4),
      });
      fake.reply = (b: ChatBody) =>
        b.model === 'm2' && b.messages.at(-1)!.content === 'q1'
          ? 'wrong'
          : String(b.messages.at(-1)!.content).toUpperCase();
      const r = await cliAsync(['run', '--compare', 'm1,m2', '--concurrency', '2'], w);
      assert.equal(r.code, 1, 'm2 fails a case');
      assert.match(r.stdout, /^MODEL\s+PASS RATE\s+PASSED\s+P50 LATENCY\s+TOKENS\s+COST$/m);
      assert.match(r.stdout, /^m1\s+100 %\s+4\/4\s+\d+ ms\s+\d+\s+\$/m);
      assert.match(r.stdout, /^m2\s+75 %\s+3\/4\s+\d+ ms\s+\d+\s+\$/m);
      const json = await cliAsync(['run', '--compare', 'm1,m2', '--reporter', 'json'], w);
      assert.deepEqual(
        JSON.parse(json.stdout).compare.map((c: { model: string; totals: { passed: number } }) => [
          c.model,
          c.totals.passed,
        ]),
        [
          ['m1', 4],
          ['m2', 3],
        ],
      );
    });

    it('--model runs every case on that model', async () => {
      const w = fakeWorkspace(fake.baseURL, {
        'prompts/q.md': promptFile('primary'),
        'prompts/q.suite.yaml': manyCases(2),
      });
      const r = await cliAsync(['run', '--model', 'm2'], w);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.deepEqual(
        fake.requests.map((x) => (x.body as ChatBody).model),
        ['m2', 'm2'],
      );
    });

    it('a provider fault errors its case, exit 1, and the JUnit report says why', async () => {
      const w = fakeWorkspace(fake.baseURL, {
        'prompts/q.md': promptFile('primary'),
        'prompts/q.suite.yaml': manyCases(2),
      });
      fake.fail('/v1/chat/completions', { kind: 'malformed' });
      const r = await cliAsync(['run', '--concurrency', '1', '--reporter', 'junit'], w);
      assert.equal(r.code, 1);
      const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(r.stdout);
      const [broken, fine] = doc.testsuites.testsuite.testcase;
      assert.equal(broken.error.type, 'malformed');
      assert.match(broken.error.message, /not valid JSON/);
      assert.equal(fine.error, undefined);
    });
  });
});
