// Runs Stryker's own CLI (`stryker run`). Stryker 10 needs Node 22 or later; the repo's toolchain is Node 20
// (engines: >=20), so on an older Node this re-runs under the Node 24 that scripts/vscode-host/install.sh
// puts in .cache/ for the VS Code host, rather than getting around Stryker's check.
// Arguments go to `stryker run` (e.g. `--mutate src/core/text/redact.ts`); MUTATION_SPEC (comma-separated
// globs) narrows the unit files and MUTATION_NAME names the reports folder; see docs/testing.md.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// PR_VSCODE_HOST_DIR: the same knob as the integration launcher's, for a host installed elsewhere.
const hostDir = process.env.PR_VSCODE_HOST_DIR ?? path.join(root, '.cache/vscode-host');
const hostNode = path.join(hostDir, 'node/node_modules/node/bin/node');
const major = Number(process.versions.node.split('.')[0]);
let node = process.execPath;
if (major < 22) {
  if (!fs.existsSync(hostNode)) {
    console.error(
      `test:mutation: Stryker needs Node >= 22 (this is ${process.version}); run bash scripts/vscode-host/install.sh once`,
    );
    process.exit(2);
  }
  node = hostNode;
}
const require = createRequire(import.meta.url);
const stryker = path.join(path.dirname(require.resolve('@stryker-mutator/core/package.json')), 'bin/stryker.js');
// Stryker's test-runner children inherit NODE_OPTIONS, so they get the same resolver bridge as Stryker.
const bridge = path.join(root, 'scripts/mutation-cjs.cjs');
const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${bridge}`.trim() };
const r = spawnSync(node, [stryker, 'run', ...process.argv.slice(2)], { cwd: root, env, stdio: 'inherit' });
process.exit(r.status ?? 1);
