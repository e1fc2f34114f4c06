import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FakeOpenAI } from '../support/fakeOpenAI';
import { cliAsync } from './helpers/cli';
import { GitRepo } from './helpers/gitRepo';
import { manyCases, promptFile, TEST_CATALOG } from './helpers/suites';
import { tmpDir, writeFiles } from './helpers/tmp';

const KEY = 'sk-guarded-0123456789abcdef';
const JUDGE_KEY = 'sk-judge-0123456789abcdef';

/**
 * The CLI against loopback servers that record every Authorization header: no header carries a key
 * until the user allows the host (outside the repository), and then every one does.
 */
describe('keys reach only allowed hosts (CLI)', function () {
  this.timeout(120_000);
  let fake: FakeOpenAI;
  let judge: FakeOpenAI;
  /** An empty user config dir, so the developer's own allowed-hosts file never leaks into the test. */
  let xdg: string;
  const env = (extra: Record<string, string> = {}) => ({
    XDG_CONFIG_HOME: xdg,
    PROMPT_REGISTRY_ALLOW_HOSTS: '',
    FAKE_KEY: KEY,
    JUDGE_KEY,
    ...extra,
  });
  const hostPort = (s: FakeOpenAI) => `127.0.0.1:${s.port}`;

  beforeEach(async () => {
    fake = await new FakeOpenAI().start();
    judge = await new FakeOpenAI().start();
    xdg = tmpDir('pr-xdg-');
  });
  afterEach(async () => {
    await fake.stop();
    await judge.stop();
  });

  function workspace(extraConfig = '', files: Record<string, string> = {}): string {
    const root = tmpDir('pr-keys-');
    writeFiles(root, {
      'prompt-registry.yaml': `providers:\n  - name: fake\n    baseURL: ${fake.baseURL}\n    apiKeyEnv: FAKE_KEY\n${extraConfig}`,
      '.prompt-registry/catalog.json': TEST_CATALOG,
      'prompts/q.md': promptFile('primary'),
      'prompts/q.suite.yaml': manyCases(2),
      ...files,
    });
    return root;
  }

  /** Exit 1, the variable, the origin and the remedy on stderr, and nothing sent. */
  function assertRefused(
    r: { code: number; stdout: string; stderr: string },
    variable: string,
    server: FakeOpenAI,
  ): void {
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, new RegExp(`${variable} is not sent to http://127\\.0\\.0\\.1:${server.port}`));
    assert.match(r.stderr, new RegExp(`--allow-host 127\\.0\\.0\\.1:${server.port}`));
    assert.match(r.stderr, /PROMPT_REGISTRY_ALLOW_HOSTS=/);
    assert.match(r.stderr, new RegExp(path.join(xdg, 'prompt-registry', 'allowed-hosts').replace(/[\\/.]/g, '\\$&')));
    assert.doesNotMatch(r.stdout + r.stderr, /0123456789abcdef/, 'the key itself is never shown');
  }

  it('models refresh: refused without a request; --allow-host, the environment and the user file each let the key through', async () => {
    const root = workspace();
    fake.setModels(['primary', 'backup', 'judge', 'm1', 'm2']);
    const refused = await cliAsync(['models', 'refresh'], root, env());
    assertRefused(refused, 'FAKE_KEY', fake);
    assert.equal(fake.requests.length, 0, 'no request at all');

    const flagged = await cliAsync(['models', 'refresh', '--allow-host', hostPort(fake)], root, env());
    assert.equal(flagged.code, 0, flagged.stderr);
    assert.ok(fake.requests.length > 0);
    assert.deepEqual(
      fake.authorizations(),
      fake.requests.map(() => `Bearer ${KEY}`),
    );

    const n = fake.requests.length;
    const byEnv = await cliAsync(
      ['models', 'refresh'],
      root,
      env({ PROMPT_REGISTRY_ALLOW_HOSTS: 'example.org, 127.0.0.1' }),
    );
    assert.equal(byEnv.code, 0, byEnv.stderr);
    writeFiles(xdg, { 'prompt-registry/allowed-hosts': `# mine\n${hostPort(fake)}\n` });
    const byFile = await cliAsync(['models', 'refresh'], root, env());
    assert.equal(byFile.code, 0, byFile.stderr);
    assert.ok(fake.requests.length > n);
    assert.equal(fake.sawKey(KEY), fake.requests.length);

    const otherPort = await cliAsync(
      ['models', 'refresh', '--allow-host', '127.0.0.1:1'],
      root,
      env({ XDG_CONFIG_HOME: tmpDir('pr-xdg-') }),
    );
    assert.equal(otherPort.code, 1, 'host:port allows that port only');
    assert.equal((await cliAsync(['models', 'refresh', '--allow-host', 'not a host'], root, env())).code, 2);
  });

  it('a provider that names no key gets none at an unallowed host, and is still called', async () => {
    const root = tmpDir('pr-keys-');
    writeFiles(root, { 'prompt-registry.yaml': `providers:\n  - name: local\n    baseURL: ${fake.baseURL}\n` });
    fake.setModels(['llama3']);
    const r = await cliAsync(['models', 'refresh'], root, env({ OPENAI_API_KEY: KEY }));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fake.requests.length, 1);
    assert.equal(fake.sawKey(KEY), 0);
  });

  it('run: refused before any case runs; allowed, every call carries the key', async () => {
    const root = workspace();
    const refused = await cliAsync(['run', '--no-cache'], root, env());
    assertRefused(refused, 'FAKE_KEY', fake);
    assert.equal(fake.requests.length, 0);

    const allowed = await cliAsync(['run', '--no-cache'], root, env({ PROMPT_REGISTRY_ALLOW_HOSTS: hostPort(fake) }));
    assert.equal(allowed.code, 0, allowed.stdout + allowed.stderr);
    assert.equal(fake.count('/v1/chat/completions'), 2);
    assert.equal(fake.sawKey(KEY), 2);
  });

  it('the llm-rubric grader: its host is allowed on its own; until then nothing is sent anywhere', async () => {
    const root = workspace(
      `  - name: judge\n    baseURL: ${judge.baseURL}\n    apiKeyEnv: JUDGE_KEY\ngrader:\n  model: judge-model\n  provider: judge\n`,
      {
        'prompts/q.suite.yaml':
          'cases:\n  - name: graded\n    vars: {question: "hi"}\n    assert: [{type: llm-rubric, value: "says hi"}]\n',
      },
    );
    judge.reply = () => JSON.stringify({ pass: true, reason: 'fine' });
    const refused = await cliAsync(['run', '--no-cache', '--allow-host', hostPort(fake)], root, env());
    assertRefused(refused, 'JUDGE_KEY', judge);
    assert.doesNotMatch(refused.stderr, /FAKE_KEY is not sent/);
    assert.equal(judge.requests.length, 0);
    assert.equal(fake.requests.length, 0, 'the case is not run either: its grade could not be');

    const allowed = await cliAsync(
      ['run', '--no-cache', '--allow-host', hostPort(fake), '--allow-host', hostPort(judge)],
      root,
      env(),
    );
    assert.equal(allowed.code, 0, allowed.stdout + allowed.stderr);
    assert.equal(judge.count('/v1/chat/completions'), 1);
    assert.deepEqual(judge.authorizations(), [`Bearer ${JUDGE_KEY}`]);
    assert.equal(judge.sawKey(KEY), 0, 'each key only where it is allowed');
  });

  describe('diff --run', () => {
    function repoMovingProvider(): { repo: GitRepo; base: string } {
      const repo = new GitRepo();
      const base = repo.commitFiles('base', {
        'prompt-registry.yaml': `providers:\n  - name: fake\n    baseURL: ${fake.baseURL}\n    apiKeyEnv: FAKE_KEY\n`,
        '.prompt-registry/catalog.json': TEST_CATALOG,
        'prompts/q.md': promptFile('primary'),
        'prompts/q.suite.yaml': manyCases(1),
      });
      // The pull request: the same provider name, pointed elsewhere, and an edited prompt so its suite runs.
      repo.commitFiles('move the provider', {
        'prompt-registry.yaml': `providers:\n  - name: fake\n    baseURL: ${judge.baseURL}\n    apiKeyEnv: FAKE_KEY\n`,
        'prompts/q.md': promptFile('primary', 'Answer at length.\n\nuser:\n{{question}}'),
      });
      return { repo, base };
    }

    it('refuses a provider whose origin moved between BASE and HEAD, calling nothing, unless --allow-provider-change', async () => {
      const { repo, base } = repoMovingProvider();
      const moved = await cliAsync(['diff', base, '--run', '--no-cache', '--allow-host', '127.0.0.1'], repo.dir, env());
      assert.equal(moved.code, 1, moved.stdout + moved.stderr);
      assert.match(
        moved.stderr,
        new RegExp(
          `fake: HEAD sends requests to http://127\\.0\\.0\\.1:${judge.port}, BASE to http://127\\.0\\.0\\.1:${fake.port}`,
        ),
      );
      assert.match(moved.stderr, /--allow-provider-change/);
      assert.equal(fake.requests.length + judge.requests.length, 0);
      assert.equal(moved.stdout, '', 'no report when nothing could run');

      const noHost = await cliAsync(['diff', base, '--run', '--no-cache', '--allow-provider-change'], repo.dir, env());
      assert.equal(noHost.code, 1);
      assert.match(noHost.stderr, /FAKE_KEY is not sent to/);
      assert.equal(
        fake.requests.length + judge.requests.length,
        0,
        'the key rule still holds after the change is accepted',
      );

      const ok = await cliAsync(
        [
          'diff',
          base,
          '--run',
          '--no-cache',
          '--allow-provider-change',
          '--allow-host',
          '127.0.0.1',
          '--format',
          'json',
        ],
        repo.dir,
        env(),
      );
      assert.equal(ok.code, 0, ok.stdout + ok.stderr);
      assert.equal(fake.sawKey(KEY), fake.requests.length);
      assert.equal(judge.sawKey(KEY), judge.requests.length);
      assert.equal(fake.requests.length, 1, 'BASE ran on its own endpoint');
      assert.equal(judge.requests.length, 1, 'HEAD ran on the new one');
      const report = JSON.parse(ok.stdout);
      assert.deepEqual(report.providerChanges, [
        { provider: 'fake', field: 'baseURL', before: fake.baseURL, after: judge.baseURL },
      ]);
    });

    it('the review lists provider changes at the top; check --format github warns on those lines', async () => {
      const { repo, base } = repoMovingProvider();
      const md = await cliAsync(['diff', base], repo.dir, env());
      const lines = md.stdout.split('\n');
      const section = lines.indexOf('#### ⚠ Provider changes');
      assert.ok(section > 0 && section < lines.findIndex((l) => l.includes('| Prompt |')), md.stdout);
      assert.ok(
        lines.some((l) => l.includes('`fake`') && l.includes('`baseURL`') && l.includes(judge.baseURL)),
        md.stdout,
      );

      const gh = await cliAsync(['check', '--format', 'github'], repo.dir, env({ GITHUB_BASE_REF: '' }));
      assert.doesNotMatch(gh.stdout, /provider-change/, 'not on a pull request: no base, no warning');
      const pr = await cliAsync(['check', '--format', 'github', '--base', base], repo.dir, env());
      assert.match(
        pr.stdout,
        /^::warning file=prompt-registry\.yaml,line=3,col=\d+,.*title=provider-change::provider "fake": baseURL changed from http/m,
      );
      fs.rmSync(path.join(repo.dir, '.git', 'refs', 'remotes'), { recursive: true, force: true });
      repo.git('update-ref', 'refs/remotes/origin/main', base);
      const actions = await cliAsync(['check', '--format', 'github'], repo.dir, env({ GITHUB_BASE_REF: 'main' }));
      assert.match(actions.stdout, /title=provider-change::/);
    });
  });
});
