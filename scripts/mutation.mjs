// Runs Stryker through its API. Stryker 10's CLI (also loaded by the package's main entry) refuses Node < 22 at
// start-up; the repo's toolchain is Node 20 (engines: >=20), so this loads the Stryker class from its own file,
// which has no such gate. Drop this script for `stryker run` once the toolchain is on Node 22.
// Arguments: `--mutate <glob>[,<glob>]` narrows the mutated files; MUTATION_SPEC (comma-separated globs)
// narrows the unit files; see docs/testing.md.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

// Stryker's test-runner children inherit NODE_OPTIONS, so they get the same resolver bridge as this process.
const bridge = path.join(path.dirname(new URL(import.meta.url).pathname), 'mutation-cjs.cjs');
createRequire(import.meta.url)(bridge);
process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --require ${bridge}`.trim();

const core = path.dirname(createRequire(import.meta.url).resolve('@stryker-mutator/core/package.json'));
const { Stryker } = await import(pathToFileURL(path.join(core, 'dist/src/stryker.js')).href);

const args = process.argv.slice(2);
const options = {};
const at = args.indexOf('--mutate');
if (at >= 0 && args[at + 1]) options.mutate = args[at + 1].split(',');
const results = await new Stryker(options).runMutationTest();
process.exitCode = results.length > 0 ? 0 : 1;
