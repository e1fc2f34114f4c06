import { git, GitError } from './git';

export interface RefChoices {
  /** Local branches, then remote-tracking branches, then tags; each sorted by the newest commit first. */
  branches: string[];
  remotes: string[];
  tags: string[];
  /** The current branch's upstream ("origin/main"), when it has one. */
  upstream?: string;
  /** What "changed since" compares with when the user does not choose: the upstream, else main, else master. */
  defaultRef?: string;
}

/**
 * The refs a person would compare with, for a picker. Throws GitError outside a
 * repository; a repository with no commits has no refs and no default.
 */
export async function refChoices(root: string): Promise<RefChoices> {
  const [listed, upstream] = await Promise.all([
    git(root, [
      'for-each-ref',
      '--sort=-committerdate',
      '--format=%(refname)',
      'refs/heads',
      'refs/remotes',
      'refs/tags',
    ]),
    git(root, ['rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{upstream}']).then(
      (s) => s.trim() || undefined,
      (e: unknown) => {
        // No upstream (or a detached HEAD) is normal; only a missing git or repository is an error.
        if (e instanceof GitError && (e.kind === 'no-git' || e.kind === 'not-a-repo')) throw e;
        return undefined;
      },
    ),
  ]);
  const branches: string[] = [];
  const remotes: string[] = [];
  const tags: string[] = [];
  for (const ref of listed.split('\n')) {
    if (ref.startsWith('refs/heads/')) branches.push(ref.slice('refs/heads/'.length));
    else if (ref.startsWith('refs/remotes/') && !ref.endsWith('/HEAD')) remotes.push(ref.slice('refs/remotes/'.length));
    else if (ref.startsWith('refs/tags/')) tags.push(ref.slice('refs/tags/'.length));
  }
  const defaultRef =
    upstream ??
    ['main', 'master'].find((b) => branches.includes(b)) ??
    ['origin/main', 'origin/master'].find((b) => remotes.includes(b));
  return { branches, remotes, tags, upstream, defaultRef };
}
