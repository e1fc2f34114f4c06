import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GitError } from '../../src/core/git/git';
import {
  historyForId,
  NOTICE,
  promptHistory,
  UnknownPromptError,
  versionAt,
  type PromptHistory,
} from '../../src/core/history/versions';
import { GitRepo, promptText } from './helpers/gitRepo';
import { tmpDir } from './helpers/tmp';

const p = (n: number, extra: Record<string, unknown> = {}) =>
  promptText({ model: 'gpt-4o', ...extra }, `Answer number ${n}.`);
const subjects = (h: PromptHistory) => h.versions.map((v) => `v${v.version} ${v.subject}`);

/** Runs `fn` with no git on PATH. */
async function withoutGit<T>(fn: () => Promise<T>): Promise<T> {
  const saved = process.env.PATH;
  process.env.PATH = tmpDir('pr-nogit-');
  try {
    return await fn();
  } finally {
    process.env.PATH = saved;
  }
}

describe('history: versions of a prompt from git', () => {
  it('lists the commits that touched the file, newest first, numbered from the oldest, with blob, author, date and message', async () => {
    const repo = new GitRepo();
    const c1 = repo.commitFiles('Add greet', { 'prompts/greet.md': p(1) });
    repo.commitFiles('Unrelated', { 'prompts/other.md': p(9) });
    repo.write({ 'prompts/greet.md': p(2) });
    const c2 = repo.commit('Warmer greeting', {
      author: 'Bea <bea@example.com>',
      body: 'Why: users asked.\n\nSecond paragraph.',
    });
    repo.commitFiles('Unrelated again', { 'README.md': 'x' });
    const h = await promptHistory(path.join(repo.dir, 'prompts/greet.md'));
    assert.deepEqual(subjects(h), ['v2 Warmer greeting', 'v1 Add greet']);
    const [v2, v1] = h.versions;
    assert.equal(v2!.sha, c2);
    assert.equal(v1!.sha, c1);
    assert.equal(v2!.author, 'Bea');
    assert.equal(v2!.authorEmail, 'bea@example.com');
    assert.equal(v1!.author, 'Test Author');
    // The helper's clock: one minute per commit from 2026-01-01.
    assert.equal(v1!.date, '2026-01-01T00:01:00+00:00');
    assert.equal(v2!.date, '2026-01-01T00:03:00+00:00');
    assert.equal(v2!.message, 'Warmer greeting\n\nWhy: users asked.\n\nSecond paragraph.');
    assert.equal(v2!.blobSha, repo.git('rev-parse', `${c2}:prompts/greet.md`));
    assert.equal(v1!.blobSha, repo.git('rev-parse', `${c1}:prompts/greet.md`));
    assert.equal(v1!.gitPath, 'prompts/greet.md');
    assert.equal(h.working, 'clean');
    assert.equal(h.truncated, false);
    assert.deepEqual(h.notices, []);
    assert.equal(h.top, fs.realpathSync(repo.dir));
  });

  it('follows renames: numbering continues across the rename and each version keeps the path it had', async () => {
    const repo = new GitRepo();
    repo.commitFiles('Create', { 'prompts/old-name.md': p(1) });
    repo.commitFiles('Edit', { 'prompts/old-name.md': p(2) });
    repo.remove('prompts/old-name.md').write({ 'prompts/support/new-name.md': p(2).replace('Answer', 'Reply') });
    const moved = repo.commit('Move to support/');
    repo.commitFiles('Edit after move', { 'prompts/support/new-name.md': p(3) });
    const h = await historyForId(repo.dir, 'support/new-name');
    assert.deepEqual(subjects(h), ['v4 Edit after move', 'v3 Move to support/', 'v2 Edit', 'v1 Create']);
    assert.deepEqual(
      h.versions.map((v) => v.gitPath),
      ['prompts/support/new-name.md', 'prompts/support/new-name.md', 'prompts/old-name.md', 'prompts/old-name.md'],
    );
    assert.equal(h.versions[1]!.blobSha, repo.git('rev-parse', `${moved}:prompts/support/new-name.md`));
    assert.equal(h.file, path.join(repo.dir, 'prompts/support/new-name.md'));
  });

  it('does not follow copies: a prompt started as a copy of another has only its own versions', async () => {
    const repo = new GitRepo();
    repo.commitFiles('Create greet', { 'prompts/greet.md': p(1) });
    repo.commitFiles('Edit greet', { 'prompts/greet.md': p(2) });
    repo.commitFiles('Copy greet to welcome', { 'prompts/welcome.md': p(2).replace('number', 'nr') });
    repo.commitFiles('Edit welcome', { 'prompts/welcome.md': p(3) });
    const h = await historyForId(repo.dir, 'welcome');
    assert.deepEqual(subjects(h), ['v2 Edit welcome', 'v1 Copy greet to welcome']);
    assert.deepEqual(subjects(await historyForId(repo.dir, 'greet')), ['v2 Edit greet', 'v1 Create greet']);
  });

  it('counts a merge only when it changes the file against every parent', async () => {
    const repo = new GitRepo();
    repo.commitFiles('Create', { 'prompts/a.md': p(1, { temperature: 0.1 }) + 'Line two.\n' });
    // 1. Only the side branch changed the file: the merge takes its content and is not a version.
    repo.git('checkout', '-q', '-b', 'side');
    repo.commitFiles('Side edit', { 'prompts/a.md': p(2, { temperature: 0.1 }) + 'Line two.\n' });
    repo.git('checkout', '-q', 'main');
    repo.commitFiles('Main touches another file', { 'prompts/b.md': p(5) });
    repo.merge('side', 'Merge side (file changed on side only)');
    // 2. Both branches changed different lines: git merges them, the result is new content, so a version.
    repo.git('checkout', '-q', '-b', 'side2');
    repo.commitFiles('Side2 edits line two', { 'prompts/a.md': p(2, { temperature: 0.1 }) + 'Line two, side2.\n' });
    repo.git('checkout', '-q', 'main');
    repo.commitFiles('Main edits temperature', { 'prompts/a.md': p(2, { temperature: 0.9 }) + 'Line two.\n' });
    const both = repo.merge('side2', 'Merge side2 (both changed)');
    // 3. A conflict resolved by keeping main's content exactly: neither the merge nor the discarded side commit is a version.
    repo.git('checkout', '-q', '-b', 'side3');
    repo.commitFiles('Side3 rewrites', { 'prompts/a.md': p(7, { temperature: 0.9 }) + 'Line two, side2.\n' });
    repo.git('checkout', '-q', 'main');
    const mainText = p(8, { temperature: 0.9 }) + 'Line two, side2.\n';
    repo.commitFiles('Main rewrites', { 'prompts/a.md': mainText });
    repo.merge('side3', 'Merge side3 keeping main', { 'prompts/a.md': mainText });
    const h = await promptHistory(path.join(repo.dir, 'prompts/a.md'));
    assert.deepEqual(subjects(h), [
      'v6 Main rewrites',
      'v5 Merge side2 (both changed)',
      'v4 Main edits temperature',
      'v3 Side2 edits line two',
      'v2 Side edit',
      'v1 Create',
    ]);
    const merged = h.versions.find((v) => v.sha === both)!;
    assert.equal(merged.blobSha, repo.git('rev-parse', `${both}:prompts/a.md`));
    assert.equal(merged.gitPath, 'prompts/a.md');
    assert.ok(!subjects(h).some((s) => /Merge side \(|keeping main|Side3/.test(s)));
  });

  it('says the history is truncated in a shallow clone, and only for files whose history was cut', async () => {
    const origin = new GitRepo();
    origin.commitFiles('Create greet', { 'prompts/greet.md': p(1) });
    origin.commitFiles('Edit greet 2', { 'prompts/greet.md': p(2) });
    origin.commitFiles('Edit greet 3', { 'prompts/greet.md': p(3) });
    origin.commitFiles('Create fresh', { 'prompts/fresh.md': p(4) });
    origin.commitFiles('Edit greet 5', { 'prompts/greet.md': p(5) });
    const clone = path.join(tmpDir('pr-shallow-'), 'clone');
    execFileSync('git', ['clone', '-q', '--depth', '3', `file://${origin.dir}`, clone]);
    const h = await promptHistory(path.join(clone, 'prompts/greet.md'));
    assert.equal(h.truncated, true);
    assert.deepEqual(h.notices, [NOTICE.truncated]);
    assert.match(h.notices[0]!, /history is truncated \(shallow clone\)/);
    // The cut commit shows the whole file as new: it is the oldest version the clone knows.
    assert.deepEqual(subjects(h), ['v2 Edit greet 5', 'v1 Edit greet 3']);
    const fresh = await promptHistory(path.join(clone, 'prompts/fresh.md'));
    assert.equal(fresh.truncated, false);
    assert.deepEqual(subjects(fresh), ['v1 Create fresh']);
  });

  it('shows uncommitted work: untracked, staged-only and modified files', async () => {
    const repo = new GitRepo();
    repo.commitFiles('Create', { 'prompts/greet.md': p(1) });
    repo.write({ 'prompts/new.md': p(2) });
    const untracked = await promptHistory(path.join(repo.dir, 'prompts/new.md'));
    assert.deepEqual(
      [untracked.versions, untracked.working, untracked.notices],
      [[], 'untracked', [NOTICE.notCommitted]],
    );
    repo.git('add', 'prompts/new.md');
    const staged = await promptHistory(path.join(repo.dir, 'prompts/new.md'));
    assert.deepEqual([staged.versions, staged.working, staged.notices], [[], 'untracked', [NOTICE.notCommitted]]);
    repo.write({ 'prompts/greet.md': p(3) });
    const modified = await promptHistory(path.join(repo.dir, 'prompts/greet.md'));
    assert.equal(modified.working, 'modified');
    assert.deepEqual(subjects(modified), ['v1 Create']);
    assert.deepEqual(modified.notices, []);
  });

  it('handles a repository with no commit yet and a file ignored by git', async () => {
    const repo = new GitRepo();
    repo.write({ 'prompts/first.md': p(1), '.gitignore': 'prompts/secret.md\n', 'prompts/secret.md': p(2) });
    const first = await promptHistory(path.join(repo.dir, 'prompts/first.md'));
    assert.deepEqual([first.versions, first.working, first.notices], [[], 'untracked', [NOTICE.notCommitted]]);
    repo.commit('Initial');
    const secret = await promptHistory(path.join(repo.dir, 'prompts/secret.md'));
    assert.deepEqual([secret.versions, secret.working, secret.notices], [[], 'untracked', [NOTICE.ignored]]);
  });

  it('finds a prompt deleted at HEAD by its id, also an explicit id, and says which commit deleted it', async () => {
    const repo = new GitRepo();
    repo.commitFiles('Create', { 'prompts/team/old.md': p(1, { id: 'legacy-greeting' }), 'prompts/keep.md': p(0) });
    repo.commitFiles('Edit', { 'prompts/team/old.md': p(2, { id: 'legacy-greeting' }) });
    repo.remove('prompts/team/old.md');
    fs.rmSync(path.join(repo.dir, 'prompts/team'), { recursive: true });
    const deleted = repo.commit('Remove the legacy greeting');
    const h = await historyForId(repo.dir, 'legacy-greeting');
    assert.deepEqual(subjects(h), ['v2 Edit', 'v1 Create']);
    assert.equal(h.working, 'deleted');
    assert.deepEqual(h.notices, [`${NOTICE.deletedAtHead} (by ${deleted.slice(0, 7)} "Remove the legacy greeting")`]);
    // The folder went with the file: the history is still found from the path.
    assert.equal(fs.existsSync(path.join(repo.dir, 'prompts/team')), false);
    assert.equal(h.file, path.join(repo.dir, 'prompts/team/old.md'));
  });

  it('finds a prompt deleted in the working tree (not committed) through HEAD', async () => {
    const repo = new GitRepo();
    repo.commitFiles('Create', { 'prompts/greet.md': p(1) });
    repo.remove('prompts/greet.md');
    const h = await historyForId(repo.dir, 'greet');
    assert.deepEqual(subjects(h), ['v1 Create']);
    assert.equal(h.working, 'deleted');
    assert.deepEqual(h.notices, [NOTICE.deletedInWorkingTree]);
  });

  it('an unknown id is a clear error; outside a repository and without git, a GitError with its kind', async () => {
    const repo = new GitRepo();
    repo.commitFiles('Create', { 'prompts/greet.md': p(1) });
    await assert.rejects(
      historyForId(repo.dir, 'nope'),
      (e: Error) => e instanceof UnknownPromptError && /No prompt with id "nope"/.test(e.message),
    );
    const plain = tmpDir();
    fs.writeFileSync(path.join(plain, 'x.md'), p(1));
    await assert.rejects(
      promptHistory(path.join(plain, 'x.md')),
      (e: GitError) => e instanceof GitError && e.kind === 'not-a-repo' && e.message === 'not a git repository',
    );
    await withoutGit(() =>
      assert.rejects(
        promptHistory(path.join(repo.dir, 'prompts/greet.md')),
        (e: GitError) => e instanceof GitError && e.kind === 'no-git' && /git is not installed/.test(e.message),
      ),
    );
    await withoutGit(() =>
      assert.rejects(historyForId(repo.dir, 'greet'), (e: GitError) => e instanceof GitError && e.kind === 'no-git'),
    );
  });

  it('works for a registry below the git top and for paths with spaces, accents and glob characters', async () => {
    const repo = new GitRepo();
    const file = 'app/prompts/héllo wörld [draft]*.md';
    repo.commitFiles('Create', {
      'app/prompt-registry.yaml': 'prompts: ["prompts/**/*.md"]\n',
      [file]: p(1),
      'app/prompts/héllo wörld x.md': p(5),
    });
    repo.commitFiles('Edit', { [file]: p(2) });
    repo.git('commit', '-q', '--allow-empty', '--allow-empty-message', '-m', '');
    const h = await historyForId(path.join(repo.dir, 'app'), 'héllo wörld [draft]*');
    assert.deepEqual(subjects(h), ['v2 Edit', 'v1 Create']);
    assert.equal(h.versions[0]!.gitPath, file);
  });

  it('versionAt finds a version by commit or blob sha, full or abbreviated', async () => {
    const repo = new GitRepo();
    const c1 = repo.commitFiles('One', { 'prompts/a.md': p(1) });
    const c2 = repo.commitFiles('Two', { 'prompts/a.md': p(2) });
    const h = await promptHistory(path.join(repo.dir, 'prompts/a.md'));
    assert.equal(versionAt(h, c1)?.version, 1);
    assert.equal(versionAt(h, c2.slice(0, 7))?.version, 2);
    assert.equal(versionAt(h, h.versions[1]!.blobSha)?.sha, c1);
    assert.equal(versionAt(h, c1.slice(0, 4)), undefined, 'too short to be unambiguous');
    assert.equal(versionAt(h, 'HEAD'), undefined);
    assert.equal(versionAt(h, '0'.repeat(40)), undefined);
  });
});
