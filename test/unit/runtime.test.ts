import FakeTimers from '@sinonjs/fake-timers';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCallRecords } from '../../src/core/calls/callLog';
import { callStats } from '../../src/core/calls/stats';
import { publish, rollback } from '../../src/core/history/labels';
import {
  CallLog,
  callRecord,
  hashVars,
  InputTypeError,
  loadPrompt,
  MissingInputError,
  PromptGitError,
  PromptInvalidError,
  PromptNotFoundError,
  PromptRegistryError,
  type LoadedPrompt,
} from '../../src/runtime';
import { GitRepo, promptText } from './helpers/gitRepo';
import { tmpDir, writeFiles } from './helpers/tmp';

const GREET = { model: 'gpt-4o', temperature: 0.2, inputs: { name: { type: 'string', required: true } } };

/** A repository with prompts/greet.md committed twice (v1 "Hello", v2 "Howdy": same size). */
function greetRepo(): { repo: GitRepo; v1: string; v2: string } {
  const repo = new GitRepo();
  const v1 = repo.commitFiles('greet v1', { 'prompts/greet.md': promptText(GREET, 'Hello {{name}}.') });
  const v2 = repo.commitFiles('greet v2', { 'prompts/greet.md': promptText(GREET, 'Howdy {{name}}.') });
  return { repo, v1, v2 };
}

function text(p: LoadedPrompt, vars: Record<string, unknown> = { name: 'Ann' }): string {
  return p
    .render(vars)
    .map((m) => m.content)
    .join('\n');
}

function blobOf(repo: GitRepo, rel: string): string {
  return repo.git('hash-object', rel);
}

/** Runs `fn` counting the git processes started (the loader's execFile and spawn go through the module object). */
async function gitProcesses<T>(fn: () => Promise<T>): Promise<{ value: T; count: number }> {
  const cp = require('node:child_process') as Record<'execFile' | 'spawn', (...a: unknown[]) => unknown>;
  const saved = { execFile: cp.execFile, spawn: cp.spawn };
  let count = 0;
  for (const k of ['execFile', 'spawn'] as const) {
    cp[k] = (...a: unknown[]) => {
      if (a[0] === 'git') count++;
      return saved[k](...a);
    };
  }
  try {
    return { value: await fn(), count };
  } finally {
    Object.assign(cp, saved);
  }
}

/** Points a label at the version current at `commit`, as `prompt-registry publish --ref` does. */
async function publishAt(repo: GitRepo, id: string, label: string, commit: string): Promise<void> {
  await publish(repo.dir, id, { label, ref: commit });
}

describe('runtime: loadPrompt from the working tree', () => {
  it('loads by id with model, params, inputs and the committed version number', async () => {
    const { repo, v2 } = greetRepo();
    const p = await loadPrompt('greet', { root: repo.dir });
    assert.equal(p.id, 'greet');
    assert.equal(p.model, 'gpt-4o');
    assert.deepEqual(p.params, { temperature: 0.2 });
    assert.deepEqual(p.inputs, { name: { type: 'string', required: true } });
    assert.deepEqual(p.output, { format: 'text' });
    assert.equal(p.path, 'prompts/greet.md');
    assert.deepEqual([p.version, p.status, p.dirty, p.commit], [2, 'committed', false, v2]);
    assert.equal(p.blobSha, blobOf(repo, 'prompts/greet.md'));
    assert.deepEqual(p.render({ name: 'Ann' }), [{ role: 'system', content: 'Howdy Ann.' }]);
  });

  it('says modified or untracked for uncommitted content: version null, blob sha of the bytes', async () => {
    const { repo } = greetRepo();
    repo.write({
      'prompts/greet.md': promptText(GREET, 'Hi there {{name}}.'),
      'prompts/new.md': promptText({ model: 'gpt-4o-mini' }, 'New.'),
    });
    const mod = await loadPrompt('greet', { root: repo.dir });
    assert.deepEqual([mod.version, mod.status, mod.dirty, mod.commit], [null, 'modified', true, undefined]);
    assert.equal(mod.blobSha, blobOf(repo, 'prompts/greet.md'));
    const fresh = await loadPrompt('new', { root: repo.dir });
    assert.deepEqual([fresh.version, fresh.status, fresh.dirty], [null, 'untracked', true]);
  });

  it('works outside git: status no-git, no version', async () => {
    const root = tmpDir();
    writeFiles(root, { 'prompts/a.md': promptText({ model: 'gpt-4o' }, 'A.') });
    const p = await loadPrompt('a', { root });
    assert.deepEqual([p.version, p.status, p.dirty, p.commit], [null, 'no-git', false, undefined]);
    assert.equal(text(p), 'A.');
  });

  it('notices a repository created after the first load (git init, then a commit), within seconds', async () => {
    const root = tmpDir();
    writeFiles(root, { 'prompts/a.md': promptText({ model: 'gpt-4o' }, 'A.') });
    assert.equal((await loadPrompt('a', { root })).status, 'no-git');
    const repo = new GitRepo(root);
    repo.commitFiles('add a', {});
    assert.equal(
      (await loadPrompt('a', { root })).status,
      'no-git',
      'a missing repository is remembered for a while, not asked of git on every load',
    );
    const clock = FakeTimers.install({ now: Date.now() + 10_000, toFake: ['Date'] });
    try {
      const p = await loadPrompt('a', { root });
      assert.deepEqual([p.version, p.status], [1, 'committed']);
    } finally {
      clock.uninstall();
    }
  });

  it('finds an explicit id anywhere under the globs, and follows the file through renames (versions too)', async () => {
    const repo = new GitRepo();
    repo.commitFiles('add', { 'prompts/a.md': promptText({ id: 'support/reply', model: 'gpt-4o' }, 'One.') });
    fs.mkdirSync(path.join(repo.dir, 'prompts/team'));
    repo.git('mv', 'prompts/a.md', 'prompts/team/b.md');
    repo.commit('rename');
    repo.commitFiles('edit', { 'prompts/team/b.md': promptText({ id: 'support/reply', model: 'gpt-4o' }, 'Two.') });
    const p = await loadPrompt('support/reply', { root: repo.dir });
    assert.deepEqual([p.path, p.version, text(p)], ['prompts/team/b.md', 3, 'Two.']);
  });

  it('uses the globs of prompt-registry.yaml, in a registry below the git top', async () => {
    const repo = new GitRepo();
    repo.commitFiles('add', {
      'app/prompt-registry.yaml': 'prompts: ["library/**/*.md"]\nfallbackModel: gpt-4o-mini\n',
      'app/library/support/reply.md': promptText({ model: 'gpt-4o' }, 'Reply.'),
    });
    const p = await loadPrompt('support/reply', { root: path.join(repo.dir, 'app') });
    assert.deepEqual([p.path, p.version, p.fallbackModel], ['library/support/reply.md', 1, 'gpt-4o-mini']);
  });

  it('finds the registry root from the current directory when no root is given', async () => {
    const { repo } = greetRepo();
    writeFiles(repo.dir, { 'prompt-registry.yaml': '{}\n', 'src/deep/x.txt': '' });
    const cwd = process.cwd();
    process.chdir(path.join(repo.dir, 'src', 'deep'));
    try {
      assert.equal(text(await loadPrompt('greet')), 'Howdy Ann.');
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('runtime: cache and invalidation', () => {
  it('returns the same frozen object while nothing changed', async () => {
    const { repo } = greetRepo();
    const a = await loadPrompt('greet', { root: repo.dir });
    const b = await loadPrompt('greet', { root: repo.dir });
    assert.equal(a, b);
    assert.ok(Object.isFrozen(a) && Object.isFrozen(a.params) && Object.isFrozen(a.inputs.name));
    assert.throws(() => {
      (a.params as { temperature?: number }).temperature = 2;
    }, TypeError);
  });

  it('sees a same-size edit made at once, and one whose mtime is put back', async () => {
    const { repo } = greetRepo();
    const file = path.join(repo.dir, 'prompts/greet.md');
    assert.equal(text(await loadPrompt('greet', { root: repo.dir })), 'Howdy Ann.');
    const before = fs.statSync(file);
    fs.writeFileSync(file, promptText(GREET, 'Hello {{name}}.'));
    assert.equal(fs.statSync(file).size, before.size);
    fs.utimesSync(file, before.atime, before.mtime);
    const p = await loadPrompt('greet', { root: repo.dir });
    assert.equal(text(p), 'Hello Ann.');
    // The content equals v1: still "modified" against HEAD, so no version number.
    assert.deepEqual([p.version, p.status], [null, 'modified']);
  });

  it('trusts a stamp older than the racy window without reading, yet sees a later same-size edit with the mtime put back', async () => {
    const { repo } = greetRepo();
    const file = path.join(repo.dir, 'prompts/greet.md');
    const old = fs.statSync(file).mtime;
    // Only Date moves: the stat times written now are seconds in the past when the loader checks them.
    const clock = FakeTimers.install({ now: Date.now() + 10_000, toFake: ['Date'] });
    try {
      const cached = await loadPrompt('greet', { root: repo.dir });
      // The module object itself: the loader's `import * as fs` reads its members through it.
      const nodeFs = require('node:fs') as { readFileSync: typeof fs.readFileSync };
      const read = nodeFs.readFileSync;
      let reads = 0;
      nodeFs.readFileSync = ((...args: Parameters<typeof fs.readFileSync>) => {
        if (args[0] === file) reads++;
        return read(...args);
      }) as typeof fs.readFileSync;
      try {
        const again = await gitProcesses(() => loadPrompt('greet', { root: repo.dir }));
        assert.equal(again.value, cached);
        assert.equal(again.count, 0, 'HEAD unchanged: no git process');
      } finally {
        nodeFs.readFileSync = read;
      }
      assert.equal(reads, 0, 'a trusted stamp costs a stat, not a read');
      fs.writeFileSync(file, promptText(GREET, 'Hello {{name}}.'));
      fs.utimesSync(file, old, old);
      assert.equal(text(await loadPrompt('greet', { root: repo.dir })), 'Hello Ann.', 'ctime moved');
    } finally {
      clock.uninstall();
    }
  });

  it('follows a commit (HEAD moves, the file does not): modified becomes version N', async () => {
    const { repo } = greetRepo();
    repo.write({ 'prompts/greet.md': promptText(GREET, 'Hey {{name}}.') });
    assert.equal((await loadPrompt('greet', { root: repo.dir })).version, null);
    const v3 = repo.commit('greet v3');
    const p = await loadPrompt('greet', { root: repo.dir });
    assert.deepEqual([p.version, p.status, p.commit], [3, 'committed', v3]);
  });

  it('follows checkouts: another branch, a detached HEAD, and back', async () => {
    const { repo, v1, v2 } = greetRepo();
    const version = async () => {
      const p = await loadPrompt('greet', { root: repo.dir });
      return [text(p), p.version, p.commit];
    };
    assert.deepEqual(await version(), ['Howdy Ann.', 2, v2]);
    repo.git('checkout', '-q', '-b', 'old', v1);
    assert.deepEqual(await version(), ['Hello Ann.', 1, v1]);
    repo.git('checkout', '-q', '--detach', v2);
    assert.deepEqual(await version(), ['Howdy Ann.', 2, v2]);
    repo.git('checkout', '-q', 'old');
    assert.deepEqual(await version(), ['Hello Ann.', 1, v1]);
  });

  it('follows deletion, re-creation, an id change and a change of globs', async () => {
    const { repo } = greetRepo();
    const file = path.join(repo.dir, 'prompts/greet.md');
    await loadPrompt('greet', { root: repo.dir });
    fs.rmSync(file);
    await assert.rejects(loadPrompt('greet', { root: repo.dir }), PromptNotFoundError);
    repo.write({ 'prompts/greet.md': promptText(GREET, 'Back {{name}}.') });
    assert.equal(text(await loadPrompt('greet', { root: repo.dir })), 'Back Ann.');
    repo.write({ 'prompts/greet.md': promptText({ ...GREET, id: 'hello' }, 'Back {{name}}.') });
    await assert.rejects(loadPrompt('greet', { root: repo.dir }), PromptNotFoundError);
    assert.equal((await loadPrompt('hello', { root: repo.dir })).path, 'prompts/greet.md');
    repo.write({
      'prompt-registry.yaml': 'prompts: ["other/**/*.md"]\n',
      'other/hello.md': promptText({ model: 'gpt-4o' }, 'Other.'),
    });
    assert.equal(text(await loadPrompt('hello', { root: repo.dir })), 'Other.');
  });

  it('reports a file that became invalid, and recovers when it is fixed', async () => {
    const { repo } = greetRepo();
    await loadPrompt('greet', { root: repo.dir });
    repo.write({ 'prompts/greet.md': '---\nmodel: gpt-4o\ntemperature: hot\n---\nHi.\n' });
    await assert.rejects(loadPrompt('greet', { root: repo.dir }), PromptInvalidError);
    await assert.rejects(loadPrompt('greet', { root: repo.dir }), PromptInvalidError, 'not cached as valid');
    repo.write({ 'prompts/greet.md': promptText(GREET, 'Fixed {{name}}.') });
    assert.equal(text(await loadPrompt('greet', { root: repo.dir })), 'Fixed Ann.');
  });
});

describe('runtime: loadPrompt at a ref or a label', () => {
  it('loads the content and version at a sha, a branch and HEAD~1', async () => {
    const { repo, v1, v2 } = greetRepo();
    repo.write({ 'prompts/greet.md': promptText(GREET, 'Uncommitted {{name}}.') });
    const at1 = await loadPrompt('greet', { root: repo.dir, ref: v1 });
    assert.deepEqual(
      [text(at1), at1.version, at1.status, at1.dirty, at1.commit],
      ['Hello Ann.', 1, 'committed', false, v1],
    );
    assert.equal(at1.blobSha, repo.git('rev-parse', `${v1}:prompts/greet.md`));
    const main = await loadPrompt('greet', { root: repo.dir, ref: 'main' });
    assert.deepEqual([text(main), main.version, main.commit], ['Howdy Ann.', 2, v2]);
    assert.equal((await loadPrompt('greet', { root: repo.dir, ref: 'HEAD~1' })).version, 1);
    const bySha = await gitProcesses(() => loadPrompt('greet', { root: repo.dir, ref: v1 }));
    assert.deepEqual([bySha.value, bySha.count], [at1, 0], 'a full sha is cached by commit');
    const byBranch = await gitProcesses(() => loadPrompt('greet', { root: repo.dir, ref: 'main' }));
    assert.deepEqual([byBranch.value, byBranch.count], [main, 1], 'a branch may move: one rev-parse');
  });

  it('numbers versions at a ref through renames, with the globs configured at that ref', async () => {
    const repo = new GitRepo();
    repo.commitFiles('add', { 'prompts/a.md': promptText({ id: 'x', model: 'gpt-4o' }, 'One.') });
    repo.git('mv', 'prompts', 'library');
    repo.write({ 'prompt-registry.yaml': 'prompts: ["library/**/*.md"]\n' });
    const moved = repo.commit('move the prompts folder');
    repo.commitFiles('edit', { 'library/a.md': promptText({ id: 'x', model: 'gpt-4o' }, 'Two.') });
    const p = await loadPrompt('x', { root: repo.dir, ref: moved });
    assert.deepEqual([p.path, p.version, text(p)], ['library/a.md', 2, 'One.']);
    assert.equal((await loadPrompt('x', { root: repo.dir, ref: 'HEAD' })).version, 3);
  });

  it('rejects unknown refs, ids absent at the ref, and refs outside git with typed errors', async () => {
    const { repo, v1 } = greetRepo();
    repo.commitFiles('later', { 'prompts/later.md': promptText({ model: 'gpt-4o' }, 'Later.') });
    await assert.rejects(
      loadPrompt('greet', { root: repo.dir, ref: 'no-such-branch' }),
      (e: PromptNotFoundError) => e instanceof PromptNotFoundError && /no-such-branch/.test(e.message),
    );
    await assert.rejects(
      loadPrompt('later', { root: repo.dir, ref: v1 }),
      (e: PromptNotFoundError) => e.code === 'not-found' && e.source.ref === v1,
    );
    await assert.rejects(loadPrompt('greet', { root: repo.dir, ref: '--output=/tmp/x' }), PromptNotFoundError);
    const plain = tmpDir();
    writeFiles(plain, { 'prompts/a.md': promptText({ model: 'gpt-4o' }) });
    await assert.rejects(
      loadPrompt('a', { root: plain, ref: 'HEAD' }),
      (e: PromptGitError) => e instanceof PromptGitError && e.kind === 'not-a-repo',
    );
  });

  it('loads at a label and follows it through publish, rollback and pack-refs (a same-size tag file, rewritten at once)', async () => {
    const { repo, v1, v2 } = greetRepo();
    await publishAt(repo, 'greet', 'production', v1);
    const p1 = await loadPrompt('greet', { root: repo.dir, label: 'production' });
    assert.deepEqual(
      [text(p1), p1.version, p1.label, p1.commit, p1.status],
      ['Hello Ann.', 1, 'production', v1, 'committed'],
    );
    assert.equal(await loadPrompt('greet', { root: repo.dir, label: 'production' }), p1);
    await publishAt(repo, 'greet', 'production', v2);
    const p2 = await loadPrompt('greet', { root: repo.dir, label: 'production' });
    assert.deepEqual([text(p2), p2.version, p2.commit], ['Howdy Ann.', 2, v2]);
    const clock = FakeTimers.install({ now: Date.now() + 10_000, toFake: ['Date'] });
    try {
      await loadPrompt('greet', { root: repo.dir, label: 'production' });
      const cached = await gitProcesses(() => loadPrompt('greet', { root: repo.dir, label: 'production' }));
      assert.deepEqual([cached.value, cached.count], [p2, 0], 'an unmoved label costs no git process');
    } finally {
      clock.uninstall();
    }
    repo.git('pack-refs', '--all');
    await rollback(repo.dir, 'greet', { label: 'production' });
    assert.equal(
      (await loadPrompt('greet', { root: repo.dir, label: 'production' })).version,
      1,
      'a rollback after pack-refs',
    );
  });

  it('loads at a tag made by hand, and at a label of a prompt that was renamed since', async () => {
    const repo = new GitRepo();
    const v1 = repo.commitFiles('add', { 'prompts/a.md': promptText({ id: 'x', model: 'gpt-4o' }, 'One.') });
    fs.mkdirSync(path.join(repo.dir, 'prompts/b'));
    repo.git('mv', 'prompts/a.md', 'prompts/b/c.md');
    repo.commit('rename');
    repo.git('tag', '-a', '-m', 'by hand', 'prompt-registry/x/staging', v1);
    const p = await loadPrompt('x', { root: repo.dir, label: 'staging' });
    assert.deepEqual([text(p), p.path, p.version, p.label], ['One.', 'prompts/a.md', 1, 'staging']);
  });

  it('rejects a label that is not published or not a valid name', async () => {
    const { repo } = greetRepo();
    await assert.rejects(
      loadPrompt('greet', { root: repo.dir, label: 'staging' }),
      (e: PromptNotFoundError) =>
        e instanceof PromptNotFoundError && /not published/.test(e.message) && e.source.label === 'staging',
    );
    await assert.rejects(loadPrompt('greet', { root: repo.dir, label: '../heads/main' }), PromptNotFoundError);
  });
});

describe('runtime: typed errors and checked rendering', () => {
  it('PromptInvalidError points at file:line:column of the first error', async () => {
    const repo = new GitRepo();
    repo.write({
      'prompts/bad.md': '---\nmodel: gpt-4o\ntemperature: 7\n---\nHi.\n',
      'prompts/nomodel.md': '---\nname: x\n---\nHi.\n',
    });
    await assert.rejects(loadPrompt('bad', { root: repo.dir }), (e: PromptInvalidError) => {
      assert.ok(e instanceof PromptInvalidError && e instanceof PromptRegistryError && e.code === 'invalid');
      assert.equal(e.name, 'PromptInvalidError');
      assert.deepEqual([e.file, e.line, e.column], ['prompts/bad.md', 3, 14]);
      assert.match(e.message, /^prompts\/bad\.md:3:14: .*temperature.* \(invalid-field\)$/);
      return true;
    });
    await assert.rejects(
      loadPrompt('nomodel', { root: repo.dir }),
      (e: PromptInvalidError) => e.problems[0]!.code === 'missing-model',
    );
  });

  it('PromptNotFoundError names the id and where it looked; a missing id is a TypeError', async () => {
    const { repo } = greetRepo();
    await assert.rejects(loadPrompt(undefined as unknown as string, { root: repo.dir }), TypeError);
    await assert.rejects(
      loadPrompt('nope', { root: repo.dir }),
      (e: PromptNotFoundError) =>
        e instanceof PromptNotFoundError && /"nope" not found in the working tree/.test(e.message),
    );
  });

  it('render checks required inputs, types and enums, fills defaults, and never echoes values', async () => {
    const repo = new GitRepo();
    const inputs = {
      name: { type: 'string', required: true },
      count: { type: 'integer' },
      tone: { enum: ['friendly', 'formal'], default: 'friendly' },
    };
    repo.write({ 'prompts/t.md': promptText({ model: 'gpt-4o', inputs }, 'Hi {{name}} x{{count}}, {{tone}}.') });
    const p = await loadPrompt('t', { root: repo.dir });
    assert.equal(text(p, { name: 'Ann', count: 2 }), 'Hi Ann x2, friendly.');
    assert.throws(
      () => p.render({ count: 1 }),
      (e: MissingInputError) =>
        e instanceof MissingInputError && e.code === 'missing-input' && e.inputs.join() === 'name',
    );
    assert.throws(() => p.render(), MissingInputError);
    assert.throws(
      () => p.render({ name: 'Ann', count: 'SECRET-VALUE', tone: 'rude' }),
      (e: InputTypeError) => {
        assert.ok(e instanceof InputTypeError && e.code === 'invalid-input');
        assert.deepEqual(
          e.problems.map((x) => x.input),
          ['count', 'tone'],
        );
        assert.match(e.problems[0]!.message, /expected integer, got string/);
        assert.ok(!e.message.includes('SECRET-VALUE') && !e.message.includes('rude'));
        return true;
      },
    );
  });
});

describe('runtime: call records', () => {
  const KEYS = [
    'ts',
    'kind',
    'promptId',
    'promptVersion',
    'promptVersionNumber',
    'promptCommit',
    'promptLabel',
    'provider',
    'model',
    'fallback',
    'varsHash',
    'tokensIn',
    'tokensOut',
    'costUsd',
    'latencyMs',
    'status',
    'error',
  ];

  it('has the call log shape, with id and version, and never the prompt text or the values', async () => {
    const { repo, v1 } = greetRepo();
    await publishAt(repo, 'greet', 'production', v1);
    const p = await loadPrompt('greet', { root: repo.dir, label: 'production' });
    const vars = { name: 'Zebulon-Secret-Name' };
    const messages = p.render(vars);
    const r = callRecord(p, {
      latencyMs: 123.4,
      vars,
      usage: { prompt_tokens: 10, completion_tokens: 5 },
      costUsd: 0.001,
      ts: new Date('2026-11-21T10:00:00Z'),
    });
    assert.deepEqual(r, {
      ts: '2026-11-21T10:00:00.000Z',
      kind: 'app',
      promptId: 'greet',
      promptVersion: p.blobSha,
      promptVersionNumber: 1,
      promptCommit: v1,
      promptLabel: 'production',
      provider: 'openai',
      model: 'gpt-4o',
      fallback: false,
      varsHash: hashVars(vars),
      tokensIn: 10,
      tokensOut: 5,
      costUsd: 0.001,
      latencyMs: 123,
      status: 'pass',
    });
    const json = JSON.stringify(r);
    assert.ok(!json.includes('Zebulon') && !json.includes('Hello') && !json.includes(messages[0]!.content));
    assert.ok(Object.keys(r).every((k) => KEYS.includes(k)));
  });

  it('records failures and uncommitted prompts (blob sha only), and round-trips through the call log', async () => {
    const root = tmpDir();
    writeFiles(root, { 'prompts/a.md': promptText({ model: 'gpt-4o' }, 'A {{name}}.') });
    const p = await loadPrompt('a', { root });
    const failed = callRecord(p, {
      latencyMs: 5,
      model: 'gpt-4o-mini',
      fallback: true,
      error: new Error('rate limited'),
      usage: { input_tokens: 3 },
    });
    assert.deepEqual(
      [failed.status, failed.error, failed.model, failed.fallback, failed.tokensIn, failed.tokensOut],
      ['error', 'rate limited', 'gpt-4o-mini', true, 3, 0],
    );
    assert.equal(failed.promptVersion, p.blobSha);
    assert.ok(!('promptVersionNumber' in failed) && !('promptCommit' in failed) && !('promptLabel' in failed));
    const ok = callRecord(p, { latencyMs: 9, vars: { name: 'x' } });
    const log = new CallLog(root);
    log.append(failed);
    log.append(ok);
    await log.flush();
    assert.deepEqual(readCallRecords(root), [failed, ok]);
    const stats = callStats(readCallRecords(root), { by: 'prompt' });
    assert.deepEqual([stats.rows[0]!.key, stats.rows[0]!.calls, stats.rows[0]!.errors], ['a', 2, 1]);
  });
});
