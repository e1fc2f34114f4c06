// `npm run test:integration:electron`: the same suites through @vscode/test-electron, for
// machines that can download VS Code (or have one: VSCODE_EXECUTABLE=/path/to/code).
// Prompt Registry is loaded from the repo as the extension under development, with every
// other extension disabled; test-electron require()s test/runner-extension/run-suites.js
// (extensionTestsPath) and awaits its run(), which writes the same results files the
// code-server launcher reads, so the output and exit code are the same.
// On Linux without a display, run it under xvfb-run.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import {
  ROOT,
  RESULTS_DIR,
  RUNNER_DIR,
  SUITES_OUT,
  bundleSuites,
  ensureBuilt,
  followEvents,
  log,
  makeTempRun,
  parseArgs,
  printSummary,
  readResults,
  runnerEnv,
} from './common.mjs';

// The VS Code code-server bundles, so both launchers test the same version by default.
const VSCODE_VERSION = process.env.PR_VSCODE_VERSION || '1.139.1';
const TOTAL_TIMEOUT_MS = Number(process.env.PR_TEST_TOTAL_TIMEOUT_MS || 6 * 60_000);

async function main() {
  const args = parseArgs();
  ensureBuilt();
  const count = await bundleSuites();
  const { tmp, workspace } = makeTempRun('pr-integration-electron-');
  const env = runnerEnv({ workspace, suitesDir: SUITES_OUT, grep: args.grep });
  const executable = process.env.VSCODE_EXECUTABLE;
  log(`${count} suite file(s); VS Code ${executable ?? VSCODE_VERSION} (test-electron); workspace ${workspace}`);

  const poll = followEvents(env.PR_TEST_EVENTS);
  const ticker = setInterval(poll, 250);
  let failure = null;
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => {
      failure = `timed out after ${TOTAL_TIMEOUT_MS / 1000} s`;
      // runTests keeps the child to itself; its SIGINT handler closes VS Code (a second
      // SIGINT kills the process tree), so raise that on ourselves.
      process.emit('SIGINT');
      setTimeout(() => process.emit('SIGINT'), 10_000).unref();
      resolve();
    }, TOTAL_TIMEOUT_MS);
  });
  const started = Date.now();
  try {
    await Promise.race([
      runTests({
        ...(executable ? { vscodeExecutablePath: executable } : { version: VSCODE_VERSION }),
        extensionDevelopmentPath: ROOT,
        // run-suites.js exports run(); it requires the suites from out/integration, which is
        // inside the extension development path, so their `vscode` is our extension's API.
        extensionTestsPath: path.join(RUNNER_DIR, 'run-suites.js'),
        extensionTestsEnv: env,
        launchArgs: [
          workspace,
          '--disable-extensions', // every extension but the one under development
          '--user-data-dir',
          path.join(tmp, 'user-data'),
          '--extensions-dir',
          path.join(tmp, 'extensions'),
          '--disable-gpu',
        ],
      }),
      timeout,
    ]);
  } catch (err) {
    // A failing suite also lands here (VS Code exits 1): results.json tells which.
    failure = err?.message ?? String(err);
  } finally {
    clearTimeout(timer);
    clearInterval(ticker);
    poll();
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  log(`wall time ${((Date.now() - started) / 1000).toFixed(1)} s; results in ${path.relative(ROOT, RESULTS_DIR)}/`);

  const results = readResults(env.PR_TEST_RESULTS);
  if (!results) {
    const hint = /getaddrinfo|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|download/i.test(failure ?? '')
      ? '\n  VS Code could not be downloaded (no access to the VS Code update server?). Set VSCODE_EXECUTABLE to a local' +
        '\n  VS Code, or use `npm run test:integration`, which runs the same suites offline in code-server.'
      : process.platform === 'linux' && !process.env.DISPLAY
        ? '\n  No DISPLAY: on a headless Linux run it under xvfb-run.'
        : '';
    console.log(
      `\n[integration] FAILED: the run produced no results: ${failure ?? 'VS Code exited without running the suites'}${hint}`,
    );
    console.log('integration: 0 passed, 1 failed');
    return 1;
  }
  return printSummary(results, { host: `@vscode/test-electron${executable ? ` (${executable})` : ''}` });
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[integration] FAILED: ${err.stack ?? err}`);
    process.exit(1);
  },
);
