import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GitError, listTree, readObjects, resolveCommit } from '../../src/core/git/git';
import { promptsAtRef, registryLocation, type ParsedBlobs } from '../../src/core/workspace/promptsAtRef';
import { GitRepo, promptText } from './helpers/gitRepo';
import { tmpDir } from './helpers/tmp';

describe('git core', () => {
  it('resolves refs and refuses option-like or unknown ones with a bad-ref error', async () => {
    const repo = new GitRepo();
    const sha = repo.commitFiles('one', { 'a.txt': 'a' });
    assert.equal(await resolveCommit(repo.dir, 'HEAD'), sha);
    await assert.rejects(resolveCommit(repo.dir, '--output=/tmp/x'), (e: GitError) => e.kind === 'bad-ref');
    await assert.rejects(
      resolveCommit(repo.dir, 'no-such-branch'),
      (e: GitError) => e.kind === 'bad-ref' && /no-such-branch/.test(e.message),
    );
  });

  it('says "not a git repository" outside one', async () => {
    await assert.rejects(resolveCommit(tmpDir(), 'HEAD'), (e: GitError) => e instanceof GitError);
  });

  it('lists a tree and reads many blobs in one batch, binary-safe, with missing ones undefined', async () => {
    const repo = new GitRepo();
    const bin = Buffer.from([0, 1, 2, 10, 255, 10]);
    repo.commitFiles('files', { 'x/a.txt': 'line one\nline two\n', 'x/b.bin': bin, 'y/c.txt': 'c' });
    const tree = await listTree(repo.dir, 'HEAD', 'x');
    assert.deepEqual(
      tree.map((t) => t.path),
      ['x/a.txt', 'x/b.bin'],
    );
    const objs = await readObjects(repo.dir, [...tree.map((t) => t.blob), 'HEAD:y/c.txt', 'HEAD:nope.txt']);
    assert.equal(objs.get(tree[0]!.blob)?.toString(), 'line one\nline two\n');
    assert.deepEqual(objs.get(tree[1]!.blob), bin);
    assert.equal(objs.get('HEAD:y/c.txt')?.toString(), 'c');
    assert.equal(objs.get('HEAD:nope.txt'), undefined);
  });

  it('rejects with a GitError, and raises nothing uncaught, when cat-file exits before reading its input', async () => {
    // More input than a pipe buffers, to a git that quits at once: the write fails with EPIPE.
    const specs = Array.from({ length: 20_000 }, (_, i) => `HEAD:prompts/file-${i}.md`);
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    const mochaHandlers = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    process.on('uncaughtException', onUncaught);
    try {
      await assert.rejects(
        readObjects(tmpDir(), specs),
        (e: GitError) => e instanceof GitError && e.kind === 'not-a-repo',
      );
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      process.removeListener('uncaughtException', onUncaught);
      for (const h of mochaHandlers) process.on('uncaughtException', h);
    }
    assert.deepEqual(uncaught, []);
  });

  it('reads every prompt at a ref with the globs configured at that ref, in a registry below the git top', async () => {
    const repo = new GitRepo();
    repo.commitFiles('first', {
      'app/prompt-registry.yaml': 'prompts: ["prompts/**/*.md"]\n',
      'app/prompts/greet.md': promptText({ model: 'gpt-4o' }),
      'app/prompts/sub/named.md': promptText({ id: 'custom', model: 'gpt-4o-mini' }),
      'app/notes.md': 'not a prompt',
    });
    const first = repo.head();
    repo
      .remove('app/prompts/greet.md')
      .commitFiles('second', { 'app/prompts/new.md': promptText({ model: 'gpt-4o' }) });
    const root = path.join(repo.dir, 'app');
    const atFirst = await promptsAtRef(root, first);
    assert.equal(atFirst.prefix, 'app');
    assert.deepEqual(
      atFirst.prompts.map((p) => [p.id, p.path, p.gitPath]),
      [
        ['greet', 'prompts/greet.md', 'app/prompts/greet.md'],
        ['custom', 'prompts/sub/named.md', 'app/prompts/sub/named.md'],
      ],
    );
    assert.equal(atFirst.prompts[0]!.prompt.model, 'gpt-4o');
    const atHead = await promptsAtRef(root, 'HEAD');
    assert.deepEqual(atHead.prompts.map((p) => p.id).sort(), ['custom', 'new']);
  });

  it('parses a prompt unchanged between two refs once when they share a parse cache', async () => {
    const repo = new GitRepo();
    const v1 = repo.commitFiles('first', {
      'prompts/same.md': promptText({ model: 'gpt-4o' }),
      'prompts/edited.md': promptText({ model: 'gpt-4o' }, 'One.'),
    });
    repo.commitFiles('second', {
      'prompts/edited.md': promptText({ model: 'gpt-4o' }, 'Two.'),
      'prompts/moved.md': promptText({ model: 'gpt-4o' }),
    });
    const parsed: ParsedBlobs = new Map();
    const [a, b] = await Promise.all([
      promptsAtRef(repo.dir, v1, process.env, parsed),
      promptsAtRef(repo.dir, 'HEAD', process.env, parsed),
    ]);
    const at = (r: typeof a, id: string) => r.prompts.find((p) => p.id === id)!;
    assert.equal(at(a, 'same').prompt, at(b, 'same').prompt, 'the unchanged prompt is one parse');
    assert.notEqual(at(a, 'edited').prompt, at(b, 'edited').prompt);
    assert.equal(at(b, 'edited').text?.includes('Two.'), true);
    // Same bytes at another path: its own parse, since ids and ranges name the file.
    assert.notEqual(at(b, 'moved').prompt, at(b, 'same').prompt);
    assert.equal(at(b, 'moved').prompt.file, path.join(repo.dir, 'prompts/moved.md'));
    assert.equal(parsed.size, 4);
  });
});

describe('registry location', () => {
  it('is found through a symlinked path too', async () => {
    const repo = new GitRepo();
    repo.commitFiles('one', { 'app/prompt-registry.yaml': '' });
    const link = path.join(tmpDir(), 'link');
    fs.symlinkSync(repo.dir, link);
    const loc = await registryLocation(path.join(link, 'app'));
    assert.equal(loc.prefix, 'app');
    assert.equal(fs.realpathSync(loc.top), fs.realpathSync(repo.dir));
  });
});
