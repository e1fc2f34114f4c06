import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GitError } from '../../src/core/git/git';
import { reviewMarkdown } from '../../src/core/review/markdown';
import { buildReview, reviewFailed, type ReviewEntry, type ReviewReport } from '../../src/core/review/report';
import { runAtRefs } from '../../src/core/app/runAtRefs';
import { withWorktrees } from '../../src/core/review/worktree';
import { cli, TSX } from './helpers/cli';
import { GitRepo, promptText } from './helpers/gitRepo';
import { REPO_ROOT, tmpDir } from './helpers/tmp';

const AT = '2026-01-01';
const CATALOG = JSON.stringify({
  version: 1,
  providers: {},
  models: [
    { id: 'gpt-4o', inputPricePer1M: 2.5, outputPricePer1M: 10, contextWindow: 128000 },
    { id: 'gpt-5', inputPricePer1M: 0.625, outputPricePer1M: 5, contextWindow: 400000 },
    { id: 'gpt-4o-mini', inputPricePer1M: 0.15, outputPricePer1M: 0.6, contextWindow: 128000 },
  ].map((m) => ({ ...m, provider: 'openai', active: true, firstSeen: AT, lastSeen: AT, updatedAt: AT })),
});

const LONG_BODY = [
  'You summarise documents for busy readers.',
  'Keep the original meaning.',
  'Use plain words.',
  'Quote numbers exactly.',
  'Be brief.',
  '',
  'user:',
  '{{text}}',
].join('\n');

/**
 * A scripted history with every kind of change between `base` and `head`:
 * model (priced), params, inputs, output schema, body, added (invalid at
 * HEAD), removed, renamed by similarity, moved with an explicit id, and an
 * unchanged prompt. `valid` is a commit between them where HEAD is still valid.
 */
function scriptedHistory(prefix = ''): { repo: GitRepo; root: string; base: string; valid: string; head: string } {
  const repo = new GitRepo();
  const p = (rel: string) => (prefix ? `${prefix}/${rel}` : rel);
  const base = repo.commitFiles('base', {
    [p('prompt-registry.yaml')]: 'defaultModel: gpt-4o\n',
    [p('.prompt-registry/catalog.json')]: CATALOG,
    [p('prompts/support/reply.md')]: promptText({
      name: 'Reply',
      model: 'gpt-4o',
      temperature: 0.2,
      max_tokens: 400,
      inputs: { name: { type: 'string' } },
    }),
    [p('prompts/support/triage.md')]: promptText(
      { model: 'gpt-4o-mini', inputs: { name: { type: 'string' }, ticket: {} } },
      'Triage {{ticket}} for {{name}}.',
    ),
    [p('prompts/extract.md')]: promptText({
      model: 'gpt-4o',
      inputs: { name: {} },
      output: { format: 'json', schema: { type: 'object', properties: { answer: { type: 'string' } } } },
    }),
    [p('prompts/summarize.md')]: promptText({ model: 'gpt-4o-mini', inputs: { text: {} } }, LONG_BODY),
    [p('prompts/summarize.suite.yaml')]:
      'cases:\n  - name: asks for brevity\n    vars: { text: a long report }\n    assert:\n      - {type: contains, value: Be brief}\n',
    [p('prompts/old.md')]: promptText({ model: 'gpt-4o' }),
    [p('prompts/drafts/long.md')]: promptText(
      { model: 'gpt-4o', inputs: { text: {} } },
      LONG_BODY.replace('summarise', 'condense'),
    ),
    [p('prompts/pinned.md')]: promptText({ id: 'pinned', model: 'gpt-4o' }),
    [p('prompts/stable.md')]: promptText({ model: 'gpt-4o' }),
  });
  repo.commitFiles('reply on gpt-5, warmer', {
    [p('prompts/support/reply.md')]: promptText({
      name: 'Reply',
      model: 'gpt-5',
      temperature: 0.7,
      max_tokens: 400,
      inputs: { name: { type: 'string' } },
    }),
  });
  repo.commitFiles('triage: tone input, ticket required', {
    [p('prompts/support/triage.md')]: promptText(
      {
        model: 'gpt-4o-mini',
        inputs: { name: { type: 'string' }, ticket: { required: true }, tone: { default: 'friendly' } },
      },
      'Triage {{ticket}} for {{name}} in a {{tone}} tone.',
    ),
  });
  repo.commitFiles('extract: score in the schema', {
    [p('prompts/extract.md')]: promptText({
      model: 'gpt-4o',
      inputs: { name: {} },
      output: {
        format: 'json',
        schema: {
          type: 'object',
          properties: { answer: { type: 'string' }, score: { type: 'number' } },
          required: ['answer'],
        },
      },
    }),
  });
  repo.commitFiles('summarize: thorough', {
    [p('prompts/summarize.md')]: promptText(
      { model: 'gpt-4o-mini', inputs: { text: {} } },
      LONG_BODY.replace('Be brief.', 'Be thorough.'),
    ),
  });
  repo.remove(p('prompts/old.md'), p('prompts/drafts/long.md'), p('prompts/pinned.md'));
  repo.write({
    [p('prompts/library/long.md')]: promptText(
      { model: 'gpt-4o', inputs: { text: {} } },
      `${LONG_BODY.replace('summarise', 'condense')}\nNo lists.`,
    ),
    [p('prompts/library/pinned.md')]: promptText({ id: 'pinned', model: 'gpt-4o' }),
  });
  const valid = repo.commit('remove old, move long and pinned');
  const head = repo.commitFiles('new prompt on an unknown model', {
    [p('prompts/new.md')]: promptText({ model: 'gpt-9', inputs: { name: {} } }),
  });
  return { repo, root: prefix ? path.join(repo.dir, prefix) : repo.dir, base, valid, head };
}

const byId = (r: ReviewReport, id: string): ReviewEntry => {
  const e = r.entries.find((x) => x.id === id);
  assert.ok(e, `no entry for ${id}: ${r.entries.map((x) => x.id).join(', ')}`);
  return e;
};

describe('review report', () => {
  let h: ReturnType<typeof scriptedHistory>;
  let report: ReviewReport;
  before(async () => {
    h = scriptedHistory();
    report = await buildReview(h.root, h.base, 'HEAD', { now: new Date('2026-11-21T00:00:00Z') });
  });

  it('lists every prompt added, removed, renamed or changed, sorted by path, and nothing unchanged', () => {
    assert.equal(report.head.commit, h.head);
    assert.equal(report.base.commit, h.base);
    assert.deepEqual(
      report.entries.map((e) => [e.path, e.status]),
      [
        ['prompts/extract.md', 'changed'],
        ['prompts/library/long.md', 'renamed'],
        ['prompts/library/pinned.md', 'renamed'],
        ['prompts/new.md', 'added'],
        ['prompts/old.md', 'removed'],
        ['prompts/summarize.md', 'changed'],
        ['prompts/support/reply.md', 'changed'],
        ['prompts/support/triage.md', 'changed'],
      ],
    );
    assert.deepEqual(report.counts, { added: 1, removed: 1, renamed: 2, changed: 4 });
    assert.deepEqual(report.prompts, { base: 8, head: 8 });
  });

  it('pairs a rename by git similarity (id follows the path) and a move by its explicit id', () => {
    const long = byId(report, 'library/long');
    assert.deepEqual(long.previous, { id: 'drafts/long', path: 'prompts/drafts/long.md' });
    assert.deepEqual(long.diff.id, { before: 'drafts/long', after: 'library/long' });
    assert.equal(long.diff.body?.added, 1);
    const pinned = byId(report, 'pinned');
    assert.deepEqual(pinned.previous, { id: 'pinned', path: 'prompts/pinned.md' });
    assert.equal(pinned.summary, 'moved, no other change');
  });

  it('prices a model change per 1M tokens and per 1,000 calls, and explains the estimate', () => {
    const reply = byId(report, 'support/reply');
    assert.equal(
      reply.summary,
      'model gpt-4o → gpt-5 · input price −75 % · output price −50 % · context 128k → 400k · temperature 0.2 → 0.7',
    );
    assert.equal(reply.diff.model?.inputPrice?.percent, -75);
    // max_tokens 400 at $10 → $5 per 1M output tokens dominates: about half.
    assert.ok(reply.cost?.delta && reply.cost.delta.after < reply.cost.delta.before);
    assert.equal(reply.cost?.tokens.after?.output, 400);
    assert.equal(report.cost.priced, 1);
    assert.equal(report.cost.beforePer1kCalls, reply.cost!.delta!.before);
    assert.match(report.cost.method, /÷ 4 tokens/);
    assert.equal(byId(report, 'extract').cost, undefined, 'no cost line when neither model nor max_tokens changed');
  });

  it('reports inputs, output schema and body changes', () => {
    assert.equal(byId(report, 'support/triage').summary, '+1 input (tone) · ~1 input (ticket) · body +1 −1');
    assert.deepEqual(byId(report, 'extract').diff.output?.schema?.paths, [
      { path: 'properties.score', kind: 'added' },
      { path: 'required', kind: 'added' },
    ]);
    const sum = byId(report, 'summarize');
    assert.deepEqual(
      sum.diff.body?.hunks.flatMap((x) => x.lines.filter((l) => l[0] !== ' ')),
      ['-Be brief.', '+Be thorough.'],
    );
  });

  it('validates HEAD as check would: the new prompt on an unknown model is an error', () => {
    const added = byId(report, 'new');
    assert.equal(added.validation?.errors, 1);
    assert.equal(added.validation?.problems[0]?.code, 'unknown-model');
    assert.equal(added.validation?.problems[0]?.line, 2);
    assert.equal(byId(report, 'old').validation, undefined);
    assert.equal(byId(report, 'support/reply').validation?.errors, 0);
    assert.equal(report.validation.errors, 1);
    assert.ok(reviewFailed(report));
  });

  it('is valid at an earlier HEAD, and HEAD may be any ref', async () => {
    const r = await buildReview(h.root, h.base, h.valid);
    assert.equal(r.validation.errors, 0);
    assert.equal(
      r.entries.some((e) => e.id === 'new'),
      false,
    );
    assert.equal(reviewFailed(r), false);
    const none = await buildReview(h.root, 'HEAD', 'HEAD');
    assert.deepEqual(none.entries, []);
    assert.match(reviewMarkdown(none), /no prompt changed/);
  });

  it('flags errors in prompts the change did not touch', async () => {
    h.repo.commitFiles('break stable', { 'prompts/stable.md': promptText({ model: 'gpt-4o', temperature: 5 }) });
    try {
      const r = await buildReview(h.root, h.head, 'HEAD');
      assert.deepEqual(
        r.entries.map((e) => e.id),
        ['stable'],
      );
      assert.equal(byId(r, 'stable').validation?.problems[0]?.code, 'invalid-field');
      assert.deepEqual(r.validation.untouchedWithErrors, [{ id: 'new', path: 'prompts/new.md', errors: 1 }]);
      assert.equal(r.validation.errors, 2);
      assert.match(reviewMarkdown(r), /Prompts not touched here with errors at HEAD: `new` \(1\)/);
    } finally {
      h.repo.git('reset', '-q', '--hard', h.head);
    }
  });

  it('throws a bad-ref GitError for an unknown ref', async () => {
    await assert.rejects(
      buildReview(h.root, 'no-such-branch', 'HEAD'),
      (e: GitError) => e instanceof GitError && e.kind === 'bad-ref',
    );
  });

  it('works for a registry below the git top', async () => {
    const sub = scriptedHistory('app');
    const r = await buildReview(sub.root, sub.base, 'HEAD');
    assert.deepEqual(
      r.entries.map((e) => e.path),
      report.entries.map((e) => e.path),
    );
    assert.equal(byId(r, 'library/long').status, 'renamed');
  });

  it('survives a missing catalog: model changes say prices are unknown', async () => {
    const repo = new GitRepo();
    const base = repo.commitFiles('one', { 'prompts/a.md': promptText({ model: 'gpt-4o' }) });
    repo.commitFiles('two', { 'prompts/a.md': promptText({ model: 'gpt-5' }) });
    const r = await buildReview(repo.dir, base, 'HEAD');
    assert.equal(r.entries[0]?.summary, 'model gpt-4o → gpt-5 (no catalog)');
    assert.equal(r.cost.priced, 0);
    assert.equal(r.cost.unpriced, 1);
    assert.ok(r.validation.notices.some((n) => /No model catalog/.test(n)));
    assert.doesNotThrow(() => reviewMarkdown(r));
  });

  describe('Markdown', () => {
    it('has a headline, one table row per prompt and a details section each', () => {
      const md = reviewMarkdown(report);
      assert.match(md, /^<!-- prompt-registry-diff -->\n### Prompt changes: `[0-9a-f]{40}` → `HEAD`/);
      assert.match(
        md,
        /\*\*8 prompts\*\*: 4 changed, 1 added, 1 removed, 2 renamed · ❌ 1 error at HEAD · est\. cost of model changes ≈ \$[\d.]+ → \$[\d.]+ per 1,000 calls \(−\d+ %\)/,
      );
      assert.match(
        md,
        /\| `support\/reply` \| changed \| model gpt-4o → gpt-5 · input price −75 % · output price −50 % · context 128k → 400k · temperature 0\.2 → 0\.7 \| ✅ \|/,
      );
      assert.match(md, /\| `new` \| added \| new prompt · model gpt-9 · 1 input · 1 line \| ❌ 1 error \|/);
      assert.match(md, /\| `library\/long` ← `prompts\/drafts\/long\.md` \| renamed \|/);
      assert.match(md, /\| `old` \| removed \| removed · was on gpt-4o \| — \|/);
      assert.equal(md.match(/<details>/g)?.length, 8);
      assert.match(md, /\| input \$ \/ 1M tokens \| \$2\.50 \| \$0\.625 \| −75 % \|/);
      assert.match(md, /❌ line 2 `unknown-model` Unknown model "gpt-9"/);
      assert.match(md, /```diff\n@@ -\d+,\d+ \+\d+,\d+ @@\n Quote numbers exactly\.\n-Be brief\.\n\+Be thorough\.\n/);
      assert.match(md, /<sub>Estimated cost per 1,000 calls/);
    });

    it('stays under the comment limit, saying how many details were left out', () => {
      const limit = reviewMarkdown(report).length - 500;
      const md = reviewMarkdown(report, limit);
      assert.ok(md.length <= limit, `${md.length}`);
      assert.match(md, /_Details of \d+ more prompts are left out to fit one comment/);
      assert.equal((md.match(/^\| `/gm) ?? []).length, 8, 'the table keeps every prompt');
    });

    it("links each prompt's row where the caller says, with a destination that cannot end early", () => {
      const md = reviewMarkdown(report, undefined, {
        promptLink: (e, i) => (e.status === 'removed' ? undefined : `command:open?${i} (x)|<y>`),
      });
      const i = report.entries.findIndex((e) => e.id === 'support/reply');
      assert.match(
        md,
        new RegExp(`\\| \\[\`support/reply\`\\]\\(command:open\\?${i}%20%28x%29%7C%3Cy%3E\\) \\| changed \\|`),
      );
      assert.match(md, /\| \[`library\/long` ← `prompts\/drafts\/long\.md`\]\(command:open/);
      assert.match(md, /\| `old` \| removed \|/, 'no link where the caller gives none');
    });

    it('escapes Markdown in ids, values and messages', () => {
      const md = reviewMarkdown({
        ...report,
        entries: [{ ...byId(report, 'new'), id: 'a|b<i>_x_', summary: 'x | y <b>' }],
      });
      assert.match(md, /\| `a\\\|b<i>_x_` \| added \| x \\\| y \\<b\\> \|/);
      assert.match(md, /<summary><b>a\|b&lt;i&gt;_x_<\/b>/);
    });
  });

  describe('--run at BASE and HEAD', () => {
    it('runs the affected suites on echo in worktrees: passes at BASE, fails at HEAD; worktrees removed', async () => {
      const r = await buildReview(h.root, h.base, 'HEAD');
      r.run = await runAtRefs(h.root, r, { provider: 'echo', env: {} });
      assert.deepEqual(
        r.run.suites.map((s) => [s.suite, s.base?.passed, s.base?.cases, s.head?.passed, s.head?.cases]),
        [['prompts/summarize.suite.yaml', 1, 1, 0, 1]],
      );
      assert.equal(r.run.headPassed, false);
      assert.ok(reviewFailed(r));
      assert.match(
        reviewMarkdown(r),
        /\| `prompts\/summarize\.suite\.yaml` \| 100 % \(1\/1\) \| 0 % \(0\/1\) \| 🔻 \|/,
      );
      assert.equal(h.repo.git('worktree', 'list').split('\n').length, 1);
    });

    it('runs nothing when no suite is affected', async () => {
      const r = await buildReview(h.root, h.valid, 'HEAD');
      const run = await runAtRefs(h.root, r, { provider: 'echo', env: {} });
      assert.deepEqual(run.suites, []);
      assert.equal(run.headPassed, true);
      assert.match(reviewMarkdown({ ...r, run }), /No suite tests a changed prompt/);
    });

    it('removes the worktrees when cancelled and when the work throws', async () => {
      const r = await buildReview(h.root, h.base, 'HEAD');
      const ac = new AbortController();
      ac.abort();
      const run = await runAtRefs(h.root, r, { provider: 'echo', env: {}, signal: ac.signal });
      assert.equal(run.cancelled, true);
      assert.equal(run.headPassed, false);
      let seen: string[] = [];
      await assert.rejects(
        withWorktrees(h.repo.dir, [h.base, h.head], async (dirs) => {
          seen = dirs;
          assert.ok(fs.existsSync(path.join(dirs[0]!, 'prompts/old.md')));
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal(seen.length, 2);
      for (const d of seen) assert.equal(fs.existsSync(d), false);
      assert.equal(h.repo.git('worktree', 'list').split('\n').length, 1);
    });

    it("checks the refs out without running the repository's checkout hooks", async () => {
      const hooks = path.join(h.repo.dir, '.git', 'hooks');
      const marker = path.join(h.repo.dir, '.git', 'hook-ran');
      fs.mkdirSync(hooks, { recursive: true });
      fs.writeFileSync(path.join(hooks, 'post-checkout'), `#!/bin/sh\ntouch "${marker}"\n`, { mode: 0o755 });
      try {
        await withWorktrees(h.repo.dir, [h.base], async (dirs) =>
          assert.ok(fs.existsSync(path.join(dirs[0]!, 'prompts/old.md'))),
        );
        assert.equal(fs.existsSync(marker), false, 'post-checkout ran');
        h.repo.git('hook', 'run', 'post-checkout', '--', h.base, h.base, '1');
        assert.equal(fs.existsSync(marker), true, 'the hook itself works');
      } finally {
        fs.rmSync(path.join(hooks, 'post-checkout'), { force: true });
        fs.rmSync(marker, { force: true });
      }
    });
  });

  describe('prompt-registry diff (CLI)', () => {
    it('prints Markdown and exits 1 when HEAD has validation errors', () => {
      const r = cli(['diff', h.base], h.root);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /### Prompt changes: `[0-9a-f]{40}` → `HEAD`/);
      assert.match(r.stdout, /\| `new` \| added \| .* \| ❌ 1 error \|/);
      assert.match(r.stdout, /<details><summary><b>support\/reply<\/b> · changed<\/summary>/);
    });

    it('prints JSON that parses back, and exits 0 when HEAD is valid', () => {
      const r = cli(['diff', h.base, h.valid, '--format', 'json'], h.root);
      assert.equal(r.code, 0, r.stderr);
      const json = JSON.parse(r.stdout) as ReviewReport;
      assert.equal(json.head.commit, h.valid);
      assert.deepEqual(json.counts, { added: 0, removed: 1, renamed: 2, changed: 4 });
      const reply = json.entries.find((e) => e.id === 'support/reply')!;
      assert.equal(reply.diff.model?.after?.ref, 'gpt-5');
      assert.equal(reply.diff.model?.outputPrice?.percent, -50);
      assert.match(json.cost.method, /max_tokens/);
      assert.equal(json.validation.errors, 0);
    });

    it('exits 2 for a bad ref, outside a repository, and for misused options', () => {
      const bad = cli(['diff', 'no-such-branch'], h.root);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /unknown git ref "no-such-branch"/);
      assert.equal(cli(['diff', h.base, '--not-a-ref'], h.root).code, 2);
      const outside = cli(['diff', 'HEAD'], tmpDir());
      assert.equal(outside.code, 2);
      assert.match(outside.stderr, /not a git repository/);
      assert.match(cli(['diff', h.base, '--provider', 'echo'], h.root).stderr, /only apply with --run/);
      assert.equal(cli(['diff', h.base, '--format', 'html'], h.root).code, 2);
      const provider = cli(['diff', h.base, '--run', '--provider', 'nope'], h.root);
      assert.equal(provider.code, 2);
      assert.match(provider.stderr, /no provider named "nope"/);
    });

    it('--run --provider echo: pass rates side by side, exit 1 as the suite fails at HEAD, no worktree left', () => {
      const r = cli(['diff', h.base, h.valid, '--run', '--provider', 'echo', '--concurrency', '2'], h.root);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /#### Suites at BASE and HEAD \(provider `echo`\)/);
      assert.match(r.stdout, /\| `prompts\/summarize\.suite\.yaml` \| 100 % \(1\/1\) \| 0 % \(0\/1\) \| 🔻 \|/);
      assert.match(r.stdout, /suites 100 % \(1\/1\) → 0 % \(0\/1\)/);
      assert.equal(h.repo.git('worktree', 'list').split('\n').length, 1);
      assert.equal(fs.existsSync(path.join(h.root, '.prompt-registry/calls')), false, 'review runs write no call log');
    });

    it('Ctrl-C during --run cancels the cases and still removes the worktrees', async () => {
      // A provider that accepts calls and never answers: the run is mid-flight when SIGINT arrives.
      let called!: () => void;
      const firstCall = new Promise<void>((resolve) => (called = resolve));
      const held: http.ServerResponse[] = [];
      const server = http.createServer((_req, res) => {
        held.push(res);
        called();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as AddressInfo).port;
      try {
        const repo = new GitRepo();
        const base = repo.commitFiles('base', {
          'prompt-registry.yaml': `providers:\n  - name: slow\n    baseURL: http://127.0.0.1:${port}/v1\n    apiKeyEnv: SLOW_KEY\n`,
          '.prompt-registry/catalog.json': JSON.stringify({
            version: 1,
            providers: {},
            models: [{ id: 'm1', provider: 'slow', active: true, firstSeen: AT, lastSeen: AT, updatedAt: AT }],
          }),
          'prompts/a.md': promptText({ model: 'm1' }, 'Be brief.'),
          'prompts/a.suite.yaml': 'cases:\n  - name: one\n',
        });
        repo.commitFiles('edit', { 'prompts/a.md': promptText({ model: 'm1' }, 'Be thorough.') });
        const child = spawn(
          process.execPath,
          ['--import', TSX, path.join(REPO_ROOT, 'src/cli/bin.ts'), 'diff', base, '--run', '--no-cache'],
          {
            cwd: repo.dir,
            env: { ...process.env, NO_COLOR: '1', SLOW_KEY: 'k', PROMPT_REGISTRY_ALLOW_HOSTS: '127.0.0.1' },
          },
        );
        let stdout = '';
        child.stdout.on('data', (d) => (stdout += d));
        const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
        await firstCall;
        assert.equal(repo.git('worktree', 'list').split('\n').length, 3, 'both worktrees exist while the suites run');
        child.kill('SIGINT');
        assert.equal(await exited, 1);
        assert.match(stdout, /Cancelled/);
        assert.equal(repo.git('worktree', 'list').split('\n').length, 1);
      } finally {
        for (const res of held) res.destroy();
        server.close();
      }
    });
  });
});
