import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { git } from '../git/git';

/**
 * Checks out each commit in its own temporary `git worktree`, calls `fn` with
 * their folders, and always removes them afterwards: on success, on a throw,
 * and on cancellation (the caller's abort makes `fn` return early).
 */
export async function withWorktrees<T>(top: string, commits: string[], fn: (dirs: string[]) => Promise<T>): Promise<T> {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'prompt-registry-review-'));
  // An empty hooks folder: a throwaway checkout must not run the repository's post-checkout hooks (installs, codegen).
  const noHooks = path.join(parent, 'no-hooks');
  fs.mkdirSync(noHooks);
  const dirs: string[] = [];
  let tidy = true;
  try {
    for (const [i, commit] of commits.entries()) {
      const dir = path.join(parent, String(i));
      tidy = false;
      await git(top, ['-c', `core.hooksPath=${noHooks}`, 'worktree', 'add', '--detach', '--quiet', dir, commit], {
        timeoutMs: 300_000,
      });
      tidy = true;
      dirs.push(dir);
    }
    return await fn(dirs);
  } finally {
    for (const dir of dirs) {
      await git(top, ['worktree', 'remove', '--force', dir]).catch(() => (tidy = false));
    }
    fs.rmSync(parent, { recursive: true, force: true });
    // A worktree whose add was interrupted or whose removal failed is still registered; its folder is gone now, so prune forgets it.
    if (!tidy) await git(top, ['worktree', 'prune']).catch(() => undefined);
  }
}
