import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { REPO_ROOT } from './tmp';

let built = false;

/** Builds dist/ (bundles and runtime declarations) once per mocha process, for tests of what ships. */
export function buildDist(): void {
  if (built) return;
  const node = (args: string[]) => spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8' });
  const bundles = node(['esbuild.mjs']);
  assert.equal(bundles.status, 0, bundles.stderr);
  const types = node([path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.runtime.json']);
  assert.equal(types.status, 0, types.stdout + types.stderr);
  built = true;
}
