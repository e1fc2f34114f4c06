import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GitError } from '../../src/core/git/git';
import { LabelError } from '../../src/core/history/labelName';
import { currentIdent, readLabelStates, writeLabelTag } from '../../src/core/history/labelTags';
import { listLabels, publish } from '../../src/core/history/labels';
import { GitRepo, promptText } from './helpers/gitRepo';
import { tmpDir } from './helpers/tmp';

// How label tags are read and written, beyond labels.test.ts's publish and rollback flows.
const prompt = (n: number) => promptText({ model: 'gpt-4o' }, `Hello, number ${n}.`);

function repoWithGreet(): { repo: GitRepo; before: string; shas: string[] } {
  const repo = new GitRepo();
  const before = repo.commitFiles('other prompt first', { 'prompts/aaa.md': prompt(0) });
  const shas = [1, 2].map((n) => repo.commitFiles(`greet v${n}`, { 'prompts/greet.md': prompt(n) }));
  return { repo, before, shas };
}

/** Runs `fn` with PATH replaced, restoring it after. */
async function withPath<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const old = process.env.PATH;
  process.env.PATH = dir;
  try {
    return await fn();
  } finally {
    process.env.PATH = old;
  }
}

/** A folder with a `git` that fails `command` as git would, and runs the real git otherwise. */
function gitFailing(command: string, stderr: string): string {
  const bin = tmpDir('pr-fake-git-');
  const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  fs.writeFileSync(
    path.join(bin, 'git'),
    `#!/bin/sh\nif [ "$1" = "${command}" ]; then echo "${stderr}" >&2; exit 128; fi\nexec '${realGit}' "$@"\n`,
    { mode: 0o755 },
  );
  return `${bin}${path.delimiter}${process.env.PATH ?? ''}`;
}

describe('label tags', () => {
  it('a tag annotated by hand (no move log) is by its tagger, at its tagger date, and at the prompt it names', async () => {
    const { repo, shas } = repoWithGreet();
    execFileSync('git', ['tag', '-a', '-m', 'by hand', 'prompt-registry/greet/production', shas[0]!], {
      cwd: repo.dir,
      env: {
        ...process.env,
        GIT_COMMITTER_NAME: 'Hand Tagger',
        GIT_COMMITTER_EMAIL: 'hand@example.com',
        GIT_COMMITTER_DATE: '1780000000 +0000',
      },
    });
    const [state] = await readLabelStates(repo.dir, 'greet', 'production');
    assert.deepEqual(
      [state?.commit, state?.gitPath, state?.blobSha, state?.by, state?.date],
      [
        shas[0],
        'prompts/greet.md',
        repo.git('rev-parse', `${shas[0]}:prompts/greet.md`),
        'Hand Tagger <hand@example.com>',
        new Date(1780000000 * 1000).toISOString().replace('.000Z', '+00:00'),
      ],
    );
    assert.equal(state?.moves.length, 1);
  });

  it('a tag made by hand where the prompt does not exist is a clear error', async () => {
    const { repo, before, shas } = repoWithGreet();
    repo.git('tag', 'prompt-registry/greet/production', before);
    await assert.rejects(
      listLabels(repo.dir, 'greet'),
      (e: Error) =>
        e instanceof LabelError &&
        e.message ===
          `tag prompt-registry/greet/production points at ${before.slice(0, 7)}, where there is no prompt "greet"`,
    );
    repo.git('tag', '-f', 'prompt-registry/greet/production', repo.git('rev-parse', `${shas[0]}:prompts/greet.md`));
    await assert.rejects(
      listLabels(repo.dir, 'greet'),
      (e: Error) => e instanceof LabelError && /no prompt "greet"/.test(e.message),
    );
  });

  it('a git failure while resolving a tag made by hand is that failure, not "no prompt"', async () => {
    const { repo, shas } = repoWithGreet();
    repo.git('tag', 'prompt-registry/greet/production', shas[0]!);
    await withPath(gitFailing('ls-tree', 'fatal: disk on fire'), () =>
      assert.rejects(
        listLabels(repo.dir, 'greet'),
        (e: Error) => e instanceof GitError && !(e instanceof LabelError) && e.message === 'disk on fire',
      ),
    );
  });

  it('glob characters in an id or a label are data: they never match other labels', async () => {
    const { repo } = repoWithGreet();
    await publish(repo.dir, 'greet');
    assert.deepEqual(await readLabelStates(repo.dir, 'gree?'), []);
    assert.deepEqual(await readLabelStates(repo.dir, 'g*'), []);
    assert.deepEqual(await readLabelStates(repo.dir, 'greet', 'prod*'), []);
    assert.deepEqual(await readLabelStates(repo.dir, '?????', 'production'), [], 'as long as "greet", still not it');
    assert.equal((await readLabelStates(repo.dir, 'greet', 'production')).length, 1);
  });

  it('labels come sorted by name as people read them, not by byte order', async () => {
    const { repo } = repoWithGreet();
    for (const label of ['Staging', 'beta', 'production']) await publish(repo.dir, 'greet', { label });
    assert.deepEqual(
      (await listLabels(repo.dir, 'greet')).map((l) => l.label),
      ['beta', 'production', 'Staging'],
    );
  });

  it('a move git refuses for another reason than a race says so, without blaming someone else', async () => {
    const { repo, shas } = repoWithGreet();
    const who = await currentIdent(repo.dir);
    const lock = path.join(repo.dir, '.git', 'refs', 'tags', 'prompt-registry', 'greet', 'production.lock');
    fs.mkdirSync(path.dirname(lock), { recursive: true });
    fs.writeFileSync(lock, '');
    await assert.rejects(
      writeLabelTag(repo.dir, 'prompt-registry/greet/production', shas[1]!, who.ident, 'Publish\n', undefined),
      (e: Error) =>
        e instanceof LabelError &&
        /^could not move tag prompt-registry\/greet\/production: .*File exists\.?$/.test(e.message),
    );
  });

  it('a git that is not a repository where the move is written is a GitError, not a label conflict', async () => {
    const { repo, shas } = repoWithGreet();
    const who = await currentIdent(repo.dir);
    await withPath(gitFailing('update-ref', 'fatal: not a git repository'), () =>
      assert.rejects(
        writeLabelTag(repo.dir, 'prompt-registry/greet/production', shas[1]!, who.ident, 'Publish\n', undefined),
        (e: Error) => e instanceof GitError && !(e instanceof LabelError) && e.kind === 'not-a-repo',
      ),
    );
  });
});

describe('who moves a label', () => {
  it('git without a name and email configured is a clear LabelError', async () => {
    const { repo } = repoWithGreet();
    repo.git('config', '--unset', 'user.name');
    repo.git('config', '--unset', 'user.email');
    repo.git('config', 'user.useConfigOnly', 'true');
    const env = { ...process.env };
    for (const k of Object.keys(process.env)) if (/^GIT_(COMMITTER|AUTHOR)_|^EMAIL$/.test(k)) delete process.env[k];
    const home = process.env.HOME;
    process.env.HOME = tmpDir('pr-home-');
    try {
      await assert.rejects(
        currentIdent(repo.dir),
        (e: Error) =>
          e instanceof LabelError &&
          e.message === 'git does not know who you are: set git config user.name and user.email, then publish again',
      );
    } finally {
      process.env.HOME = home;
      Object.assign(process.env, env);
    }
  });

  it('no git at all is a GitError, not an identity problem', async () => {
    const { repo } = repoWithGreet();
    await withPath(tmpDir('pr-no-git-'), () =>
      assert.rejects(currentIdent(repo.dir), (e: Error) => e instanceof GitError && e.kind === 'no-git'),
    );
  });
});
