import * as assert from 'node:assert/strict';
import { describe as describeTarget, LabelError, publish, rollback } from '../../src/core/history/labels';
import { catalogOf, model } from './helpers/catalog';
import { GitRepo, promptText } from './helpers/gitRepo';

// publish and rollback refusals beyond labels.test.ts: each says what is wrong in words a person can act on.
const p = (n: number, extra: Record<string, unknown> = {}) =>
  promptText({ model: 'gpt-4o', inputs: { name: { type: 'string' } }, ...extra }, `Hello {{name}}, number ${n}.`);

const refused = (re: RegExp, refusal?: string) => (e: Error) =>
  e instanceof LabelError && re.test(e.message) && (refusal === undefined || e.refusal === refusal);

describe('publish and rollback refusals', () => {
  it('a version is named "vN (sha)", or "version (sha)" when its number is unknown', () => {
    assert.equal(describeTarget({ version: 3, commit: 'abcdef0123456789' }), 'v3 (abcdef0)');
    assert.equal(describeTarget({ commit: 'abcdef0123456789' }), 'version (abcdef0)');
  });

  it('rolling back a label that does not exist says so', async () => {
    const repo = new GitRepo();
    repo.commitFiles('greet', { 'prompts/greet.md': p(1) });
    await assert.rejects(
      rollback(repo.dir, 'greet', { label: 'staging' }),
      (e: Error) => e instanceof LabelError && e.message === '"greet" has no staging label to roll back',
    );
  });

  it('a version number of a prompt with no committed version says there is none', async () => {
    const repo = new GitRepo();
    repo.commitFiles('other', { 'prompts/other.md': p(1) });
    repo.write({ 'prompts/greet.md': p(1) });
    await assert.rejects(
      publish(repo.dir, 'greet', { version: 1 }),
      (e: Error) => e instanceof LabelError && e.kind === 'usage' && e.message === '"greet" has no committed versions',
    );
  });

  it('a committed prompt taken out of git (untracked now) is refused as uncommitted', async () => {
    const repo = new GitRepo();
    repo.commitFiles('greet', { 'prompts/greet.md': p(1) });
    repo.git('rm', '-q', '--cached', 'prompts/greet.md');
    repo.git('commit', '-q', '-m', 'untrack greet');
    await assert.rejects(
      publish(repo.dir, 'greet'),
      refused(/^prompts\/greet\.md has uncommitted changes$/, 'uncommitted'),
    );
  });

  it('several errors are counted in the refusal, and the first is quoted', async () => {
    const repo = new GitRepo();
    repo.write({ '.prompt-registry/catalog.json': JSON.stringify(catalogOf(model('gpt-4o'))) });
    repo.commitFiles('two errors', {
      'prompts/greet.md': promptText({ model: 'gpt-9', inputs: { name: { type: 'nope' } } }, 'Hello {{name}}.'),
    });
    await assert.rejects(
      publish(repo.dir, 'greet'),
      refused(/^"greet" v1 \([0-9a-f]{7}\) has [2-9] errors, so it was not published: /, 'has-errors'),
    );
  });

  it('--ref at a commit where the prompt does not exist yet says so', async () => {
    const repo = new GitRepo();
    const before = repo.commitFiles('other', { 'prompts/other.md': p(1) });
    repo.commitFiles('greet', { 'prompts/greet.md': p(1) });
    await assert.rejects(
      publish(repo.dir, 'greet', { ref: before }),
      (e: Error) => e instanceof LabelError && e.message === `there is no prompt "greet" at ${before.slice(0, 7)}`,
    );
  });

  it('hints (an unused input) are not warnings of a publish, forced or not', async () => {
    const repo = new GitRepo();
    repo.write({ '.prompt-registry/catalog.json': JSON.stringify(catalogOf(model('gpt-4o'))) });
    repo.commitFiles('unused input', {
      'prompts/greet.md': promptText({ model: 'gpt-4o', inputs: { unused: { type: 'string' } } }, 'Hello.'),
    });
    assert.deepEqual((await publish(repo.dir, 'greet')).warnings, []);
    assert.deepEqual((await publish(repo.dir, 'greet', { label: 'staging', force: true })).warnings, []);
  });

  it('a rollback always moves the label and has no warnings to report', async () => {
    const repo = new GitRepo();
    const [v1] = [1, 2].map((n) => repo.commitFiles(`greet v${n}`, { 'prompts/greet.md': p(n) }));
    await publish(repo.dir, 'greet', { version: 1 });
    await publish(repo.dir, 'greet', { version: 2 });
    const back = await rollback(repo.dir, 'greet');
    assert.deepEqual(
      [back.changed, back.warnings, back.target.commit, back.target.version, back.previous?.version],
      [true, [], v1, 1, 2],
    );
  });
});
