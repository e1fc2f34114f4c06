import * as path from 'node:path';
import { git, GitError, resolveCommit } from './git';
import { errorMessage } from '../text/errorMessage';

export { GitError };

/**
 * Absolute paths of files that differ from `ref` in the working tree: committed
 * since, staged, unstaged, and untracked (not ignored) files. Throws GitError
 * without git, outside a repository, or for an unknown ref.
 */
export async function changedSince(root: string, ref: string): Promise<Set<string>> {
  if (ref.startsWith('-')) throw new GitError(`"${ref}" is not a git ref`);
  let top: string;
  try {
    top = (await git(root, ['rev-parse', '--show-toplevel'])).trim();
  } catch (e) {
    throw new GitError(`not a git repository (or git is not installed): ${errorMessage(e)}`);
  }
  await resolveCommit(top, ref);
  const [diff, untracked] = await Promise.all([
    git(top, ['diff', '--name-only', '-z', '--no-renames', ref, '--']),
    git(top, ['ls-files', '--others', '--exclude-standard', '-z']),
  ]);
  const out = new Set<string>();
  for (const rel of `${diff}\0${untracked}`.split('\0')) if (rel) out.add(path.resolve(top, rel));
  return out;
}
