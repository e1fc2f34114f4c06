import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { REPO_ROOT } from './tmp';

/** Runs the real CLI entry point (through tsx) as a user would. */
export function cli(args: string[], cwd = REPO_ROOT, env: Record<string, string> = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src/cli/main.ts'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
