import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { GitError } from '../../src/core/git/git';
import { labelNameProblem } from '../../src/core/history/labelName';
import { parseLabelMessage, publishedStack } from '../../src/core/history/labelMessage';
import { currentIdent, readLabelStates, writeLabelTag } from '../../src/core/history/labelTags';
import { labelErrorText } from '../../src/cli/format/labelError';
import {
  labelHistory,
  LabelError,
  listLabels,
  publish,
  readLabel,
  rollback,
  rollbackTarget,
  type LabelRefusal,
} from '../../src/core/history/labels';
import { UnknownPromptError } from '../../src/core/history/versions';
import { catalogOf, model } from './helpers/catalog';
import { holdRefUpdates } from '../support/gitBarrier';
import { GitRepo, promptText } from './helpers/gitRepo';
import { tmpDir } from './helpers/tmp';

const p = (n: number, extra: Record<string, unknown> = {}) =>
  promptText({ model: 'gpt-4o', inputs: { name: { type: 'string' } }, ...extra }, `Hello {{name}}, number ${n}.`);

/** A repository whose prompt "greet" has three versions. */
function threeVersions(): { repo: GitRepo; shas: string[] } {
  const repo = new GitRepo();
  const shas = [1, 2, 3].map((n) => repo.commitFiles(`greet v${n}`, { 'prompts/greet.md': p(n) }));
  return { repo, shas };
}

/** Label moves get their date from GIT_COMMITTER_DATE, as git's own tags do. */
async function at<T>(date: string, fn: () => Promise<T>): Promise<T> {
  process.env.GIT_COMMITTER_DATE = date;
  try {
    return await fn();
  } finally {
    delete process.env.GIT_COMMITTER_DATE;
  }
}

const isLabelError = (kind: 'usage' | 'refused', re: RegExp, refusal?: LabelRefusal) => (e: Error) =>
  e instanceof LabelError && e.kind === kind && e.refusal === refusal && re.test(e.message);

describe('publish labels', () => {
  it('publishes the latest version as production: an annotated tag that records who, when and what', async () => {
    const { repo, shas } = threeVersions();
    const r = await at('2026-02-01T10:00:00Z', () => publish(repo.dir, 'greet'));
    assert.equal(r.changed, true);
    assert.equal(r.previous, undefined);
    const expected = {
      id: 'greet',
      label: 'production',
      tag: 'prompt-registry/greet/production',
      commit: shas[2],
      version: 3,
      gitPath: 'prompts/greet.md',
      blobSha: repo.git('rev-parse', `${shas[2]}:prompts/greet.md`),
      by: 'Test Author <author@example.com>',
      date: '2026-02-01T10:00:00Z',
    };
    assert.deepEqual(r.target, expected);
    assert.deepEqual(await readLabel(repo.dir, 'greet', 'production'), expected);
    assert.equal(repo.git('cat-file', '-t', 'refs/tags/prompt-registry/greet/production'), 'tag');
    assert.equal(repo.git('rev-parse', 'prompt-registry/greet/production^{commit}'), shas[2]);
    assert.match(
      repo.git(
        'for-each-ref',
        '--format=%(taggername) %(taggeremail) %(taggerdate:iso-strict)',
        'refs/tags/prompt-registry',
      ),
      /^Test Author <author@example.com> 2026-02-01T10:00:00\+00:00$/,
    );
    assert.match(
      repo.git('tag', '-l', '--format=%(contents)', 'prompt-registry/greet/production'),
      /^Publish greet v3 as production\n\nPrompt-Registry-Id: greet\n/,
    );
    // git itself finds the tag object well formed.
    repo.git('fsck', '--strict', '--no-progress');
    assert.equal(await readLabel(repo.dir, 'greet', 'staging'), undefined);
    assert.equal(await readLabel(repo.dir, 'greet', 'bad/label'), undefined);
  });

  it('round trip: publish, publish, rollback, rollback, publish, with the whole move log readable', async () => {
    const { repo, shas } = threeVersions();
    await at('2026-02-01T00:00:00Z', () => publish(repo.dir, 'greet', { version: 1 }));
    await at('2026-02-02T00:00:00Z', () => publish(repo.dir, 'greet', { version: 2 }));
    const third = await at('2026-02-03T00:00:00Z', () => publish(repo.dir, 'greet'));
    assert.deepEqual([third.previous?.version, third.target.version], [2, 3]);
    const back1 = await at('2026-02-04T00:00:00Z', () => rollback(repo.dir, 'greet'));
    assert.deepEqual([back1.previous?.version, back1.target.version, back1.target.commit], [3, 2, shas[1]]);
    const back2 = await at('2026-02-05T00:00:00Z', () => rollback(repo.dir, 'greet'));
    assert.deepEqual([back2.target.version, back2.target.commit], [1, shas[0]]);
    await assert.rejects(
      rollback(repo.dir, 'greet'),
      isLabelError('refused', /no earlier published version to roll back to: production of "greet" is at v1/),
    );
    await at('2026-02-06T00:00:00Z', () => publish(repo.dir, 'greet', { version: 3 }));
    const [state] = await labelHistory(repo.dir, 'greet');
    assert.deepEqual(
      state!.moves.map((m) => `${m.date} ${m.action} v${m.version} ${m.commit === shas[m.version! - 1]}`),
      [
        '2026-02-01T00:00:00Z publish v1 true',
        '2026-02-02T00:00:00Z publish v2 true',
        '2026-02-03T00:00:00Z publish v3 true',
        '2026-02-04T00:00:00Z rollback v2 true',
        '2026-02-05T00:00:00Z rollback v1 true',
        '2026-02-06T00:00:00Z publish v3 true',
      ],
    );
    assert.equal(state!.date, '2026-02-06T00:00:00Z');
    // After v1 → v3, a rollback returns to v1 (v2 was rolled back past, so it is no longer on the stack).
    const ahead = rollbackTarget(state!);
    assert.deepEqual([ahead?.version, ahead?.commit], [1, shas[0]]);
    const back3 = await rollback(repo.dir, 'greet');
    assert.equal(back3.target.version, 1);
    const [after] = await labelHistory(repo.dir, 'greet');
    assert.equal(rollbackTarget(after!), undefined, 'nothing earlier than v1 is left');
  });

  it('publishing the version a label already has changes nothing', async () => {
    const { repo } = threeVersions();
    await publish(repo.dir, 'greet');
    const before = repo.git('rev-parse', 'refs/tags/prompt-registry/greet/production');
    const again = await publish(repo.dir, 'greet', { version: 3 });
    assert.equal(again.changed, false);
    assert.equal(repo.git('rev-parse', 'refs/tags/prompt-registry/greet/production'), before);
    assert.equal((await labelHistory(repo.dir, 'greet'))[0]!.moves.length, 1);
  });

  it('keeps labels per prompt: several labels, and ids that contain "/" do not mix', async () => {
    const repo = new GitRepo();
    repo.commitFiles('two prompts', { 'prompts/greet.md': p(1), 'prompts/greet/formal.md': p(2) });
    await publish(repo.dir, 'greet', { label: 'staging' });
    await publish(repo.dir, 'greet');
    await publish(repo.dir, 'greet/formal', { label: 'canary' });
    assert.deepEqual(
      (await listLabels(repo.dir, 'greet')).map((l) => l.label),
      ['production', 'staging'],
    );
    assert.deepEqual(
      (await listLabels(repo.dir, 'greet/formal')).map((l) => [l.label, l.tag, l.gitPath]),
      [['canary', 'prompt-registry/greet/formal/canary', 'prompts/greet/formal.md']],
    );
    // A tag name cannot be both a tag and a folder of tags: git refuses, and says which.
    await assert.rejects(
      publish(repo.dir, 'greet', { label: 'formal' }),
      isLabelError('refused', /could not move tag prompt-registry\/greet\/formal: .*exists/),
    );
  });

  it('refuses uncommitted and deleted latest versions, but publishes a committed version by number', async () => {
    const { repo, shas } = threeVersions();
    repo.write({ 'prompts/greet.md': p(4) });
    await assert.rejects(
      publish(repo.dir, 'greet'),
      isLabelError('refused', /^prompts\/greet\.md has uncommitted changes$/, 'uncommitted'),
    );
    assert.equal((await publish(repo.dir, 'greet', { version: 2 })).target.commit, shas[1]);
    repo.write({ 'prompts/new.md': p(1) });
    await assert.rejects(
      publish(repo.dir, 'new'),
      isLabelError('refused', /^prompts\/new\.md is not committed yet: commit it, then publish$/),
    );
    repo.remove('prompts/greet.md').commit('remove greet');
    await assert.rejects(publish(repo.dir, 'greet'), isLabelError('refused', /is deleted at HEAD /, 'deleted'));
    assert.equal((await publish(repo.dir, 'greet', { version: 3 })).target.version, 3);
  });

  it('checks arguments: label names, ids that cannot be tag names, version numbers', async () => {
    const { repo } = threeVersions();
    for (const bad of ['a/b', '.hidden', 'x.lock', 'a b', 'a..b', '@', 'v~1', 'x:y', 'star*', 'end.', 'a@{b', '']) {
      assert.ok(labelNameProblem(bad), `"${bad}" should be refused`);
      await assert.rejects(publish(repo.dir, 'greet', { label: bad }), isLabelError('usage', /is not a valid label/));
    }
    for (const good of ['production', 'staging-2', 'v1.2', 'blue_green', 'café'])
      assert.equal(labelNameProblem(good), undefined);
    await assert.rejects(
      publish(repo.dir, 'greet', { version: 4 }),
      isLabelError('usage', /"greet" has versions 1 to 3; there is no v4/),
    );
    await assert.rejects(
      publish(repo.dir, 'greet', { version: 0 }),
      isLabelError('usage', /a version is a number from 1/),
    );
    await assert.rejects(publish(repo.dir, 'greet', { version: 1, ref: 'HEAD' }), isLabelError('usage', /not both/));
    await assert.rejects(
      publish(repo.dir, 'greet', { ref: 'no-such-ref' }),
      (e: GitError) => e instanceof GitError && e.kind === 'bad-ref',
    );
    repo.commitFiles('spaced', { 'prompts/has space.md': p(1) });
    await assert.rejects(
      publish(repo.dir, 'has space'),
      isLabelError('usage', /prompt id "has space" cannot be part of a git tag name/),
    );
  });

  it('refuses a version with errors unless forced, and reports warnings', async () => {
    const repo = new GitRepo();
    repo.write({
      '.prompt-registry/catalog.json': JSON.stringify(catalogOf(model('gpt-4o'), model('gpt-3', { active: false }))),
    });
    repo.commitFiles('unknown model', { 'prompts/greet.md': p(1, { model: 'gpt-9' }) });
    await assert.rejects(
      publish(repo.dir, 'greet'),
      isLabelError(
        'refused',
        /^"greet" v1 \([0-9a-f]{7}\) has an error, so it was not published: .*gpt-9.* \(prompts\/greet\.md:2 at [0-9a-f]{7}\)$/,
        'has-errors',
      ),
    );
    // The core says what is wrong; the CLI adds its own way out.
    await assert.rejects(publish(repo.dir, 'greet'), (e: LabelError) =>
      /\. Publish another version, or pass --force$/.test(labelErrorText(e)),
    );
    const forced = await publish(repo.dir, 'greet', { force: true });
    assert.equal(forced.target.version, 1);
    assert.match(forced.warnings.join('\n'), /gpt-9/);
    repo.commitFiles('retired model', { 'prompts/greet.md': p(2, { model: 'gpt-3' }) });
    const warned = await publish(repo.dir, 'greet');
    assert.equal(warned.target.version, 2);
    assert.match(warned.warnings.join('\n'), /no longer available/);
    repo.commitFiles('broken yaml', { 'prompts/greet.md': '---\nmodel: [unclosed\n---\nHi\n' });
    await assert.rejects(
      publish(repo.dir, 'greet'),
      isLabelError('refused', /^"greet" v3 .* so it was not published/, 'has-errors'),
    );
  });

  it('--ref publishes the version current at that ref, following renames', async () => {
    const repo = new GitRepo();
    const v1 = repo.commitFiles('create', { 'prompts/old.md': p(1, { id: 'greet' }) });
    repo.commitFiles('unrelated', { 'README.md': 'x' });
    const later = repo.head();
    repo.remove('prompts/old.md').write({ 'prompts/new.md': p(1, { id: 'greet' }) });
    const moved = repo.commit('rename');
    repo.commitFiles('edit', { 'prompts/new.md': p(2, { id: 'greet' }) });
    const r = await publish(repo.dir, 'greet', { ref: later });
    assert.deepEqual([r.target.commit, r.target.version, r.target.gitPath], [v1, 1, 'prompts/old.md']);
    const r2 = await publish(repo.dir, 'greet', { ref: moved });
    assert.deepEqual([r2.target.commit, r2.target.version, r2.target.gitPath], [moved, 2, 'prompts/new.md']);
    const r3 = await publish(repo.dir, 'greet', { ref: 'HEAD' });
    assert.equal(r3.target.version, 3);
    await assert.rejects(publish(repo.dir, 'other'), (e: Error) => e instanceof UnknownPromptError);
  });

  it('adopts a tag made by hand: resolved at its commit, counted as the first publish, so rollback returns to it', async () => {
    const { repo, shas } = threeVersions();
    repo.git('tag', 'prompt-registry/greet/production', shas[0]!);
    const hand = await readLabel(repo.dir, 'greet', 'production');
    assert.deepEqual(
      [hand?.commit, hand?.version, hand?.gitPath, hand?.by],
      [shas[0], undefined, 'prompts/greet.md', 'Test Author <author@example.com>'],
    );
    await publish(repo.dir, 'greet');
    assert.equal(repo.git('cat-file', '-t', 'refs/tags/prompt-registry/greet/production'), 'tag');
    const back = await rollback(repo.dir, 'greet');
    assert.equal(back.target.commit, shas[0]);
    assert.equal(back.target.version, 1, 'the version is known again once resolved through the history');
  });

  it('never overwrites a label that moved meanwhile (compare-and-swap on the tag)', async () => {
    const { repo, shas } = threeVersions();
    await publish(repo.dir, 'greet', { version: 1 });
    const [stale] = await readLabelStates(repo.dir, 'greet', 'production');
    await publish(repo.dir, 'greet', { version: 2 });
    const who = await currentIdent(repo.dir);
    await assert.rejects(
      writeLabelTag(repo.dir, stale!.tag, shas[2]!, who.ident, 'Publish\n', stale!.object),
      isLabelError('refused', /could not move tag .*: .*but expected.*someone else moved it at the same time/),
    );
    assert.equal((await readLabel(repo.dir, 'greet', 'production'))?.version, 2);
  });

  describe('two publish() calls at once: exactly one wins, the other gets a clear conflict', () => {
    // Both calls read the label before either writes it (holdRefUpdates), so the compare-and-swap is what decides.
    const race = async (repo: GitRepo, versions: [number, number]) => {
      const gate = holdRefUpdates(2);
      try {
        const settled = await Promise.allSettled(versions.map((version) => publish(repo.dir, 'greet', { version })));
        assert.equal(gate.arrived(), 2, 'both moves reached the write');
        return settled;
      } finally {
        gate.release();
      }
    };
    const check = async (
      repo: GitRepo,
      settled: PromiseSettledResult<Awaited<ReturnType<typeof publish>>>[],
      conflict: RegExp,
    ) => {
      const won = settled.filter((s) => s.status === 'fulfilled');
      const lost = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
      assert.equal(won.length, 1, `exactly one wins: ${settled.map((s) => s.status).join(', ')}`);
      assert.equal(lost.length, 1);
      assert.ok(isLabelError('refused', conflict)(lost[0]!.reason), String(lost[0]!.reason));
      assert.match(
        lost[0]!.reason.message,
        /someone else moved it at the same time: look with "prompt-registry labels", then try again/,
      );
      const winner = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof publish>>>).value.target;
      assert.deepEqual(
        await readLabel(repo.dir, 'greet', 'production'),
        winner,
        'the label is where the winner put it',
      );
      return winner;
    };

    it('a new label: both saw none', async () => {
      const { repo } = threeVersions();
      const settled = await race(repo, [1, 2]);
      await check(repo, settled, /could not move tag prompt-registry\/greet\/production: .*already exists/);
      const [state] = await labelHistory(repo.dir, 'greet');
      assert.equal(state!.moves.length, 1, "one move in the log, the loser's is not half-written");
    });

    it("an existing label: both saw v1, the loser does not overwrite the winner's move log", async () => {
      const { repo } = threeVersions();
      await publish(repo.dir, 'greet', { version: 1 });
      const settled = await race(repo, [2, 3]);
      const winner = await check(
        repo,
        settled,
        /could not move tag prompt-registry\/greet\/production: .*but expected/,
      );
      const [state] = await labelHistory(repo.dir, 'greet');
      assert.deepEqual(
        state!.moves.map((m) => m.version),
        [1, winner.version],
      );
    });
  });

  it('in a shallow clone: publishes by commit with no version number, refuses version numbers', async () => {
    const { repo } = threeVersions();
    const clone = path.join(tmpDir('pr-shallow-'), 'clone');
    execFileSync('git', ['clone', '-q', '--depth', '2', `file://${repo.dir}`, clone]);
    for (const [k, v] of [
      ['user.name', 'Cloner'],
      ['user.email', 'c@example.com'],
    ])
      execFileSync('git', ['config', k!, v!], { cwd: clone });
    await assert.rejects(
      publish(clone, 'greet', { version: 2 }),
      isLabelError('refused', /truncated \(shallow clone\)/, 'shallow-history'),
    );
    const r = await publish(clone, 'greet');
    assert.equal(r.target.version, undefined);
    assert.equal((await readLabel(clone, 'greet', 'production'))?.version, undefined);
    assert.equal((await readLabel(clone, 'greet', 'production'))?.by, 'Cloner <c@example.com>');
  });

  it('works for a registry below the git top; without git, a GitError', async () => {
    const repo = new GitRepo();
    repo.commitFiles('create', {
      'app/prompt-registry.yaml': 'prompts: ["prompts/**/*.md"]\n',
      'app/prompts/greet.md': p(1),
    });
    const root = path.join(repo.dir, 'app');
    assert.equal((await publish(root, 'greet')).target.gitPath, 'app/prompts/greet.md');
    const saved = process.env.PATH;
    process.env.PATH = tmpDir();
    try {
      await assert.rejects(
        readLabel(root, 'greet', 'production'),
        (e: GitError) => e instanceof GitError && e.kind === 'no-git',
      );
      await assert.rejects(publish(root, 'greet'), (e: GitError) => e instanceof GitError && e.kind === 'no-git');
    } finally {
      process.env.PATH = saved;
    }
  });

  it('the move log survives as trailers and replays as a stack', () => {
    const sha = (c: string) => c.repeat(40);
    const text = [
      'Roll back greet production to v1',
      '',
      'Prompt-Registry-Id: greet',
      'Prompt-Registry-Label: production',
      'Prompt-Registry-Version: 1',
      'Prompt-Registry-Blob: ' + sha('b'),
      'Prompt-Registry-Path: prompts/with space.md',
      `Prompt-Registry-Move: publish v1 ${sha('1')} 2026-01-01T00:00:00Z Ann Lee <ann@example.com>`,
      `Prompt-Registry-Move: publish - ${sha('2')} 2026-01-02T00:00:00Z Bob <bob@example.com>`,
      `Prompt-Registry-Move: rollback v1 ${sha('1')} 2026-01-03T00:00:00Z Ann Lee <ann@example.com>`,
      'Some line a person added',
    ].join('\n');
    const m = parseLabelMessage(text);
    assert.deepEqual([m.id, m.label, m.version, m.gitPath], ['greet', 'production', 1, 'prompts/with space.md']);
    assert.deepEqual(
      m.moves.map((x) => [x.action, x.version, x.by]),
      [
        ['publish', 1, 'Ann Lee <ann@example.com>'],
        ['publish', undefined, 'Bob <bob@example.com>'],
        ['rollback', 1, 'Ann Lee <ann@example.com>'],
      ],
    );
    assert.deepEqual(
      publishedStack(m.moves).map((x) => x.commit),
      [sha('1')],
    );
  });
});
