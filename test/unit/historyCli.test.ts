import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { publishVersionArgs } from '../../src/cli/publishArgs';
import { cli } from './helpers/cli';
import { GitRepo, promptText } from './helpers/gitRepo';
import { tmpDir } from './helpers/tmp';

const p = (n: number) =>
  promptText({ model: 'gpt-4o', inputs: { name: { type: 'string' } } }, `Hello {{name}}, number ${n}.`);

/** A registry in app/ below the git top, with "greet" renamed once and three versions. */
function repository(): { repo: GitRepo; root: string; shas: string[] } {
  const repo = new GitRepo();
  const shas = [
    repo.commitFiles('Create greet', {
      'app/prompt-registry.yaml': 'prompts: ["prompts/**/*.md"]\n',
      'app/prompts/hello.md': p(1).replace('---\n', '---\nid: greet\n'),
    }),
  ];
  repo.remove('app/prompts/hello.md').write({ 'app/prompts/greet.md': p(1).replace('---\n', '---\nid: greet\n') });
  shas.push(repo.commit('Rename hello to greet'));
  shas.push(repo.commitFiles('Warmer', { 'app/prompts/greet.md': p(3).replace('---\n', '---\nid: greet\n') }));
  return { repo, root: path.join(repo.dir, 'app'), shas };
}

describe('CLI: history, publish, rollback, labels', () => {
  it('history --json: exactly {version, sha, author, date, subject, blobSha, path}, newest first, paths from the registry root', () => {
    const { repo, root, shas } = repository();
    const r = cli(['--root', root, 'history', 'greet', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const items = JSON.parse(r.stdout) as Record<string, unknown>[];
    assert.deepEqual(
      items.map((i) => Object.keys(i)),
      Array(3).fill(['version', 'sha', 'author', 'date', 'subject', 'blobSha', 'path']),
    );
    assert.deepEqual(items[0], {
      version: 3,
      sha: shas[2],
      author: 'Test Author',
      date: '2026-01-01T00:03:00+00:00',
      subject: 'Warmer',
      blobSha: repo.git('rev-parse', `${shas[2]}:app/prompts/greet.md`),
      path: 'prompts/greet.md',
    });
    assert.deepEqual(
      items.map((i) => [i.version, i.path]),
      [
        [3, 'prompts/greet.md'],
        [2, 'prompts/greet.md'],
        [1, 'prompts/hello.md'],
      ],
    );
  });

  it('history as text: the working copy first when uncommitted, labels as badges, old paths, notices on stderr', () => {
    const { repo, root, shas } = repository();
    assert.equal(cli(['--root', root, 'publish', 'greet', '--version', '2']).code, 0);
    repo.write({ 'app/prompts/greet.md': p(4) });
    const r = cli(['--root', root, 'history', 'greet'], repo.dir);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^VERSION\s+COMMIT\s+DATE\s+AUTHOR\s+SUBJECT$/);
    assert.match(lines[1]!, /^working copy\s+uncommitted changes$/);
    assert.equal(lines[2], `v3       ${shas[2]!.slice(0, 7)}  2026-01-01 00:03  Test Author  Warmer`);
    assert.equal(
      lines[3],
      `v2       ${shas[1]!.slice(0, 7)}  2026-01-01 00:02  Test Author  Rename hello to greet [production]`,
    );
    assert.equal(
      lines[4],
      `v1       ${shas[0]!.slice(0, 7)}  2026-01-01 00:01  Test Author  Create greet (prompts/hello.md)`,
    );
    repo.remove('app/prompts/greet.md').commit('Remove greet');
    const gone = cli(['--root', root, 'history', 'greet']);
    assert.equal(gone.code, 0);
    assert.match(gone.stderr, /^greet: deleted at HEAD \(by [0-9a-f]{7} "Remove greet"\)\n$/);
    assert.match(gone.stdout, /working copy\s+deleted/);
  });

  it('history: unknown id → exit 2; no git or no repository → exit 1 with one line', () => {
    const { root } = repository();
    const unknown = cli(['--root', root, 'history', 'nope']);
    assert.deepEqual(
      [unknown.code, unknown.stderr],
      [
        2,
        'prompt-registry: No prompt with id "nope" in the working tree or in git history. Run "prompt-registry list" to see the ids.\n',
      ],
    );
    const noGit = cli(['--root', root, 'history', 'greet'], root, { PATH: tmpDir() });
    assert.deepEqual([noGit.code, noGit.stderr], [1, 'prompt-registry: git is not installed (or not on PATH)\n']);
    const plain = tmpDir();
    cli(['--root', plain, 'init']);
    const noRepo = cli(['--root', plain, 'history', 'greet']);
    assert.equal(noRepo.code, 1, noRepo.stderr);
    assert.match(noRepo.stderr, /^prompt-registry: not a git repository\n$/);
  });

  it('publish, rollback and labels round trip; --version is the prompt version, not the CLI version', () => {
    const { root, shas } = repository();
    const env = { GIT_COMMITTER_DATE: '2026-03-01T12:00:00Z' };
    const first = cli(['--root', root, 'publish', 'greet', '--version', '1'], root, env);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout.split('\n')[0], `Published greet: production → v1 (${shas[0]!.slice(0, 7)}).`);
    assert.match(first.stdout, /git push --force origin refs\/tags\/prompt-registry\/greet\/production/);
    const second = cli(['--root', root, 'publish', 'greet'], root, { GIT_COMMITTER_DATE: '2026-03-02T12:00:00Z' });
    assert.equal(
      second.stdout.split('\n')[0],
      `Published greet: production → v3 (${shas[2]!.slice(0, 7)}) (was v1 (${shas[0]!.slice(0, 7)})).`,
    );
    const same = cli(['--root', root, 'publish', 'greet', '--label', 'production']);
    assert.equal(
      same.stdout.trim(),
      `production of greet already points at v3 (${shas[2]!.slice(0, 7)}); nothing changed.`,
    );
    const back = cli(['--root', root, 'rollback', 'greet'], root, { GIT_COMMITTER_DATE: '2026-03-03T12:00:00Z' });
    assert.equal(back.code, 0, back.stderr);
    assert.equal(
      back.stdout.split('\n')[0],
      `Rolled back greet: production → v1 (${shas[0]!.slice(0, 7)}) (was v3 (${shas[2]!.slice(0, 7)})).`,
    );
    const text = cli(['--root', root, 'labels', 'greet']);
    assert.equal(text.code, 0, text.stderr);
    assert.deepEqual(text.stdout.trimEnd().split('\n'), [
      `production  v1 (${shas[0]!.slice(0, 7)})  prompts/hello.md  2026-03-03T12:00:00Z by Test Author <author@example.com>`,
      `  2026-03-03T12:00:00Z  rollback  v1 (${shas[0]!.slice(0, 7)})  Test Author <author@example.com>`,
      `  2026-03-02T12:00:00Z  publish   v3 (${shas[2]!.slice(0, 7)})  Test Author <author@example.com>`,
      `  2026-03-01T12:00:00Z  publish   v1 (${shas[0]!.slice(0, 7)})  Test Author <author@example.com>`,
    ]);
    const json = JSON.parse(cli(['--root', root, 'labels', 'greet', '--json']).stdout) as {
      label: string;
      version: number;
      path: string;
      moves: { action: string; version: number }[];
    }[];
    assert.deepEqual(
      json.map((l) => [l.label, l.version, l.path, l.moves.map((m) => `${m.action} v${m.version}`)]),
      [['production', 1, 'prompts/hello.md', ['publish v1', 'publish v3', 'rollback v1']]],
    );
    const nothing = cli(['--root', root, 'rollback', 'greet']);
    assert.deepEqual(
      [nothing.code, nothing.stderr],
      [
        1,
        `prompt-registry: no earlier published version to roll back to: production of "greet" is at v1 (${shas[0]!.slice(0, 7)})\n`,
      ],
    );
    assert.equal(cli(['--version']).stdout.trim(), (require('../../package.json') as { version: string }).version);
  });

  it('publish and labels: usage errors exit 2, refusals exit 1, one line each', () => {
    const { root } = repository();
    const cases: [string[], number, RegExp][] = [
      [['publish', 'greet', '--version', 'two'], 2, /--version takes a version number/],
      [['publish', 'greet', '--version', '9'], 2, /"greet" has versions 1 to 3; there is no v9/],
      [['publish', 'greet', '--version', '1', '--ref', 'HEAD'], 2, /not both/],
      [['publish', 'greet', '--ref', 'nope'], 2, /unknown git ref "nope"/],
      [['publish', 'greet', '--label', 'a/b'], 2, /"a\/b" is not a valid label/],
      [['publish', 'nope'], 2, /No prompt with id "nope"/],
      [['labels', 'nope'], 2, /No prompt with id "nope"/],
      [['rollback', 'greet'], 1, /"greet" has no production label to roll back/],
    ];
    for (const [args, code, message] of cases) {
      const r = cli(['--root', root, ...args]);
      assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.split('\n').length, 2, 'one line');
    }
  });

  it('labels without labels is not an error; publishing uncommitted changes is refused (exit 1)', () => {
    const { repo, root } = repository();
    const none = cli(['--root', root, 'labels', 'greet']);
    assert.deepEqual(
      [none.code, none.stdout],
      [0, 'greet has no labels. Publish one: prompt-registry publish greet [--label production]\n'],
    );
    repo.write({ 'app/prompts/greet.md': p(9) });
    const dirty = cli(['--root', root, 'publish', 'greet']);
    assert.deepEqual(
      [dirty.code, dirty.stderr],
      [
        1,
        'prompt-registry: prompts/greet.md has uncommitted changes: commit them first, or publish a committed version with --version N or --ref REF\n',
      ],
    );
  });

  it('passes --version after publish to the subcommand only', () => {
    assert.deepEqual(publishVersionArgs(['--root', 'x', 'publish', 'a', '--version', '3']), [
      '--root',
      'x',
      'publish',
      'a',
      '--version=3',
    ]);
    assert.deepEqual(publishVersionArgs(['publish', 'a', '--', '--version', '3']), [
      'publish',
      'a',
      '--',
      '--version',
      '3',
    ]);
    assert.deepEqual(publishVersionArgs(['history', 'a', '--version']), ['history', 'a', '--version']);
    assert.deepEqual(publishVersionArgs(['--version']), ['--version']);
  });
});
