import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './tmp';

/**
 * tsx resolved from the repo, so the CLI can run with any working directory. Resolved the way Node resolves it
 * (walking up to the nearest node_modules) rather than by a fixed path, so it also works from a copy of the repo
 * without its own node_modules (Stryker's mutation sandbox).
 */
export const TSX = pathToFileURL(createRequire(path.join(REPO_ROOT, 'package.json')).resolve('tsx')).href;

/** Runs the real CLI entry point (through tsx) as a user would. */
export function cli(
  args: string[],
  cwd = REPO_ROOT,
  env: Record<string, string> = {},
): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', TSX, path.join(REPO_ROOT, 'src/cli/bin.ts'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Like `cli`, without blocking this process: needed when the test itself serves the CLI's requests. */
export function cliAsync(
  args: string[],
  cwd = REPO_ROOT,
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', TSX, path.join(REPO_ROOT, 'src/cli/bin.ts'), ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
