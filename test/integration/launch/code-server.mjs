// `npm run test:integration`: runs the mocha suites inside a real VS Code extension host,
// offline, using code-server (an npm package that bundles VS Code) instead of downloading
// VS Code. Steps:
//   1. scripts/vscode-host/install.sh (Node 24 + code-server + chromium; ~1 s when done),
//   2. build the extension if dist/ is missing, bundle the suites to out/integration/,
//   3. in a temp dir: copy the fixture workspace, and put the built extension plus the
//      test runner extension (test/runner-extension/) into a fresh extensions dir,
//   4. start code-server there, open the workspace in headless Chromium (the extension host
//      only starts when a window connects), follow the runner's events until results.json,
//   5. print results, stop everything, exit 1 on any failure, fatal error or timeout.
// Logs (code-server, extension host, browser) end up in test/results/integration/.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ROOT,
  EXTENSION_ID,
  RESULTS_DIR,
  RUNNER_DIR,
  SUITES_OUT,
  bundleSuites,
  codeServerVersion,
  collectLogs,
  ensureBuilt,
  followEvents,
  installBuiltExtension,
  installHost,
  launchBrowser,
  log,
  makeTempRun,
  parseArgs,
  printSummary,
  readResults,
  runnerEnv,
  startServer,
  stopServer,
  tail,
  writeSettings,
} from './common.mjs';

// Whole run (server start to results) and "window opened but the runner never said hello".
const TOTAL_TIMEOUT_MS = Number(process.env.PR_TEST_TOTAL_TIMEOUT_MS || 6 * 60_000);
const HOST_START_TIMEOUT_MS = Number(process.env.PR_TEST_HOST_START_TIMEOUT_MS || 120_000);

const SERVER_LOG = path.join(RESULTS_DIR, 'code-server.log');
const BROWSER_LOG = path.join(RESULTS_DIR, 'browser.log');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Ours (as the .vsix would hold it) and the test runner, as plain folders: code-server scans the dir.
function installExtensions(extensionsDir) {
  installBuiltExtension(extensionsDir);
  const runnerPkg = JSON.parse(fs.readFileSync(path.join(RUNNER_DIR, 'package.json'), 'utf8'));
  const runner = path.join(extensionsDir, `${runnerPkg.publisher}.${runnerPkg.name}-${runnerPkg.version}`);
  fs.cpSync(RUNNER_DIR, runner, { recursive: true });
  // Suites live inside the runner's folder so their require('vscode') resolves to the
  // runner's API object (outside any extension VS Code falls back to a default and warns).
  const suites = path.join(runner, 'suites');
  fs.cpSync(SUITES_OUT, suites, { recursive: true });
  return suites;
}

// all: the run broke down (server, browser, host); otherwise only the extension host's
// log and our extension's own output channels, which is where an activation error shows.
function printLogTails(hostLogs, all) {
  const files = all ? [SERVER_LOG, ...hostLogs, BROWSER_LOG] : hostLogs.filter((f) => !f.endsWith('remoteagent.log'));
  for (const file of files) {
    console.log(`\n----- last lines of ${path.relative(ROOT, file)} -----\n${tail(file, 30)}`);
  }
}

// One window on a fresh copy of the workspace: the trusted one runs every suite but
// untrusted.test.js, the restricted-mode one runs that file alone.
async function runPhase({ suitesDir, userDataDir, extensionsDir, grep, untrusted }) {
  const { tmp, workspace } = makeTempRun(
    untrusted ? 'pr-integration-untrusted-' : 'pr-integration-',
    RESULTS_DIR,
    untrusted,
  );
  const env = runnerEnv({ workspace, suitesDir, grep, untrusted });
  log(
    `${untrusted ? 'restricted mode (untrusted)' : 'trusted'} window; workspace ${workspace}${grep ? `; grep ${grep}` : ''}`,
  );
  const started = Date.now();
  let server,
    context,
    failure = null,
    results = null;
  const onSignal = () => {
    failure = 'interrupted';
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  try {
    server = startServer({ tmp, workspace, extensionsDir, userDataDir, env, logFile: SERVER_LOG, trusted: !untrusted });
    let serverExit = null;
    server.child.on('exit', (code, sig) => {
      serverExit = sig ?? code;
    });
    const base = await server.url;
    log(`code-server listening on ${base}; opening the workspace in headless Chromium`);

    let page;
    ({ context, page } = await launchBrowser({ profileDir: path.join(tmp, 'chromium-profile'), logFile: BROWSER_LOG }));
    await page.goto(`${base}/?folder=${encodeURIComponent(workspace)}`, { timeout: 60_000 });
    const opened = Date.now();

    const poll = followEvents(env.PR_TEST_EVENTS);
    for (;;) {
      const seen = poll();
      results = readResults(env.PR_TEST_RESULTS);
      if (results) {
        poll();
        break;
      }
      if (failure) break;
      if (serverExit !== null) {
        failure = `code-server exited (${serverExit}) before the tests finished`;
        break;
      }
      if (!seen.start && Date.now() - opened > HOST_START_TIMEOUT_MS) {
        failure =
          `the test runner never started within ${HOST_START_TIMEOUT_MS / 1000} s of opening the window ` +
          '(the extension host did not start, or the runner extension failed to load; see the logs below)';
        break;
      }
      if (Date.now() - started > TOTAL_TIMEOUT_MS) {
        failure =
          `timed out after ${TOTAL_TIMEOUT_MS / 1000} s ` +
          (seen.start
            ? `(${seen.tests} test(s) finished${seen.activated ? '' : `; ${EXTENSION_ID} never activated`})`
            : '(the runner never started)');
        break;
      }
      await sleep(250);
    }
  } catch (err) {
    failure = err.message;
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    await Promise.race([context?.close().catch(() => {}), sleep(10_000)]);
    await stopServer(server?.child);
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  return { results, failure, seconds: (Date.now() - started) / 1000 };
}

// Both windows' results as one: a failure or a missing window fails the run.
function merge(a, b) {
  if (!a || !b) return null;
  const tests = [...a.tests, ...b.tests];
  const count = (s) => tests.filter((t) => t.state === s).length;
  return {
    ...a,
    tests,
    foreignErrors: [...(a.foreignErrors ?? []), ...(b.foreignErrors ?? [])],
    fatal: a.fatal || b.fatal,
    passed: count('passed'),
    failed: count('failed'),
    pending: count('pending'),
    durationMs: a.durationMs + b.durationMs,
  };
}

async function main() {
  const args = parseArgs();
  installHost();
  ensureBuilt();
  const csVersion = codeServerVersion();
  const count = await bundleSuites();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pr-integration-host-'));
  const extensionsDir = path.join(scratch, 'extensions');
  const suitesDir = installExtensions(extensionsDir);
  log(`${count} suite file(s); code-server ${csVersion}`);
  const phases = [];
  for (const untrusted of [false, true]) {
    // A fresh profile per window: trust decisions and state must not carry over.
    const userDataDir = path.join(scratch, untrusted ? 'user-data-untrusted' : 'user-data');
    // Restricted mode: trust on, and no startup prompt that could trust the folder.
    writeSettings(
      userDataDir,
      untrusted ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' } : {},
    );
    const phase = await runPhase({ suitesDir, userDataDir, extensionsDir, grep: args.grep, untrusted });
    phase.hostLogs = collectLogs(userDataDir);
    phases.push(phase);
    if (!phase.results) break;
  }
  fs.rmSync(scratch, { recursive: true, force: true });
  const seconds = phases.reduce((n, p) => n + p.seconds, 0);
  log(`logs: ${path.relative(ROOT, RESULTS_DIR)}/ (wall time ${seconds.toFixed(1)} s)`);

  const broken = phases.find((p) => !p.results);
  if (broken) {
    printLogTails(broken.hostLogs, true);
    console.log(`\n[integration] FAILED: ${broken.failure ?? 'no results'}`);
    console.log('integration: 0 passed, 1 failed'); // the run itself failed: never report green
    return 1;
  }
  const results = merge(phases[0].results, phases[1].results);
  const code = printSummary(results, { host: `code-server ${csVersion}` });
  if (results.fatal) for (const p of phases) printLogTails(p.hostLogs, false);
  return code;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[integration] FAILED: ${err.stack ?? err}`);
    process.exit(1);
  },
);
