import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { openProject } from '../../src/core/app/project';
import { describeScope, idsForScopes, scopeChoices } from '../../src/core/app/suiteScope';
import { changedSince } from '../../src/core/git/changedFiles';
import { refChoices } from '../../src/core/git/refs';
import { GitRepo, promptText } from './helpers/gitRepo';
import { tmpDir, writeFiles } from './helpers/tmp';

const suite = 'cases:\n  - name: one\n    vars: {name: Ada}\n';
const FILES = {
  'prompt-registry.yaml': 'providers:\n  - {name: local, type: echo}\n',
  'prompts/support/billing.md': promptText({ id: 'billing', model: 'echo', tags: ['support', 'money'] }),
  'prompts/support/billing.suite.yaml': suite,
  'prompts/marketing/tagline.md': promptText({ id: 'tagline', model: 'echo', tags: ['marketing'] }),
  'prompts/marketing/tagline.suite.yaml': suite,
  'prompts/untested.md': promptText({ id: 'untested', model: 'echo', tags: ['lonely'] }),
};

describe('Run Tests… scopes', () => {
  let root: string;
  const abs = (rel: string) => path.join(root, rel);
  before(() => {
    root = tmpDir('pr-scope-');
    writeFiles(root, FILES);
  });

  it('all suites, in path order', () => {
    const p = openProject(root);
    assert.deepEqual(idsForScopes(p, [{ kind: 'all' }]), [
      abs('prompts/marketing/tagline.suite.yaml'),
      abs('prompts/support/billing.suite.yaml'),
    ]);
  });

  it('a prompt file gives its suites; a suite file gives itself; a prompt without suites gives nothing', () => {
    const p = openProject(root);
    assert.deepEqual(idsForScopes(p, [{ kind: 'file', file: abs('prompts/support/billing.md') }]), [
      abs('prompts/support/billing.suite.yaml'),
    ]);
    assert.deepEqual(idsForScopes(p, [{ kind: 'file', file: abs('prompts/marketing/tagline.suite.yaml') }]), [
      abs('prompts/marketing/tagline.suite.yaml'),
    ]);
    assert.deepEqual(idsForScopes(p, [{ kind: 'file', file: abs('prompts/untested.md') }]), []);
  });

  it('by tag and by folder, and their union without repeats', () => {
    const p = openProject(root);
    assert.deepEqual(idsForScopes(p, [{ kind: 'tag', tag: 'money' }]), [abs('prompts/support/billing.suite.yaml')]);
    assert.deepEqual(idsForScopes(p, [{ kind: 'folder', folder: 'prompts/marketing' }]), [
      abs('prompts/marketing/tagline.suite.yaml'),
    ]);
    // "prompts/market" is a prefix of the name, not a folder: it must not match.
    assert.deepEqual(idsForScopes(p, [{ kind: 'folder', folder: 'prompts/market' }]), []);
    assert.deepEqual(
      idsForScopes(p, [
        { kind: 'tag', tag: 'support' },
        { kind: 'folder', folder: 'prompts' },
      ]),
      [abs('prompts/marketing/tagline.suite.yaml'), abs('prompts/support/billing.suite.yaml')],
    );
  });

  it('failed last time adds single cases, but not inside a suite already chosen whole', () => {
    const p = openProject(root);
    const billingCase = `${abs('prompts/support/billing.suite.yaml')}#one`;
    const taglineCase = `${abs('prompts/marketing/tagline.suite.yaml')}#one`;
    const failed = [billingCase, taglineCase];
    assert.deepEqual(idsForScopes(p, [{ kind: 'failed' }], { failed }), failed);
    assert.deepEqual(idsForScopes(p, [{ kind: 'tag', tag: 'money' }, { kind: 'failed' }], { failed }), [
      abs('prompts/support/billing.suite.yaml'),
      taglineCase,
    ]);
    assert.deepEqual(idsForScopes(p, [{ kind: 'failed' }]), [], 'no record of a failure: nothing');
  });

  it('offers only tags of tested prompts, and every folder up to the registry root', () => {
    assert.deepEqual(scopeChoices(openProject(root)), {
      tags: ['marketing', 'money', 'support'],
      folders: ['prompts', 'prompts/marketing', 'prompts/support'],
    });
  });

  it('describes each scope in words', () => {
    const rel = (f: string) => path.relative(root, f);
    assert.deepEqual(
      [
        { kind: 'all' as const },
        { kind: 'file' as const, file: abs('prompts/untested.md') },
        { kind: 'changed' as const, ref: 'main' },
        { kind: 'tag' as const, tag: 'x' },
        { kind: 'folder' as const, folder: '' },
        { kind: 'failed' as const },
      ].map((s) => describeScope(s, rel)),
      ['all suites', 'prompts/untested.md', 'changed since main', 'tag x', 'folder .', 'failed last time'],
    );
  });

  describe('changed since a ref, in a real repository', () => {
    let repo: GitRepo;
    before(() => {
      repo = new GitRepo();
      repo.commitFiles('registry', FILES);
      repo.git('tag', 'v1');
      repo.git('checkout', '-q', '-b', 'feature');
      repo.write({ 'prompts/marketing/tagline.md': promptText({ id: 'tagline', model: 'echo' }, 'Shorter.') });
    });

    it('runs the suites whose prompt or suite file changed, including uncommitted edits', async () => {
      const p = openProject(repo.dir);
      const changed = new Map([['main', await changedSince(repo.dir, 'main')]]);
      assert.deepEqual(idsForScopes(p, [{ kind: 'changed', ref: 'main' }], { changed }), [
        path.join(repo.dir, 'prompts/marketing/tagline.suite.yaml'),
      ]);
      assert.deepEqual(
        idsForScopes(p, [{ kind: 'changed', ref: 'other' }], { changed }),
        [],
        'an unresolved ref runs nothing',
      );
    });

    it('offers branches and tags, newest first, defaulting to main without an upstream', async () => {
      const refs = await refChoices(repo.dir);
      assert.deepEqual(refs.branches.sort(), ['feature', 'main']);
      assert.deepEqual(refs.tags, ['v1']);
      assert.equal(refs.upstream, undefined);
      assert.equal(refs.defaultRef, 'main');
    });

    it('defaults to the upstream when the branch tracks one', async () => {
      repo.git('branch', '-q', '--set-upstream-to=main');
      const refs = await refChoices(repo.dir);
      assert.equal(refs.upstream, 'main');
      assert.equal(refs.defaultRef, 'main');
      repo.git('branch', '-q', '--unset-upstream');
    });

    it('outside a repository: a GitError, not an empty list', async () => {
      await assert.rejects(refChoices(tmpDir('pr-nogit-')), /not a git repository/);
    });
  });
});
