import { execFile } from 'node:child_process';
import * as path from 'node:path';

export class GitError extends Error {}

/** Runs git with an argument array (never a shell), so refs and paths are data. */
function git(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, maxBuffer: 64 * 1024 * 1024, timeout: 30_000, windowsHide: true }, (err, stdout, stderr) => {
      if (err) reject(new GitError((stderr || err.message).trim().split('\n')[0] ?? 'git failed'));
      else resolve(stdout);
    });
  });
}

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
    throw new GitError(`not a git repository (or git is not installed): ${(e as Error).message}`);
  }
  try {
    await git(top, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    throw new GitError(`unknown git ref "${ref}"`);
  }
  const [diff, untracked] = await Promise.all([
    git(top, ['diff', '--name-only', '-z', '--no-renames', ref, '--']),
    git(top, ['ls-files', '--others', '--exclude-standard', '-z']),
  ]);
  const out = new Set<string>();
  for (const rel of `${diff}\0${untracked}`.split('\0')) if (rel) out.add(path.resolve(top, rel));
  return out;
}
