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
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import {
  ROOT, EXTENSION_ID, RESULTS_DIR, RUNNER_DIR, SUITES_OUT, bundleSuites, ensureBuilt, followEvents,
  log, makeTempRun, parseArgs, printSummary, readResults, runnerEnv, tail,
} from './common.mjs';

const HOST_DIR = process.env.PR_VSCODE_HOST_DIR || path.join(ROOT, '.cache/vscode-host');
const NODE24 = path.join(HOST_DIR, 'node/node_modules/node/bin/node');
const CODE_SERVER = path.join(HOST_DIR, 'code-server/node_modules/code-server');
const CHROMIUM = process.env.PR_TEST_CHROMIUM || '/usr/bin/chromium';
// Whole run (server start to results) and "window opened but the runner never said hello".
const TOTAL_TIMEOUT_MS = Number(process.env.PR_TEST_TOTAL_TIMEOUT_MS || 6 * 60_000);
const HOST_START_TIMEOUT_MS = Number(process.env.PR_TEST_HOST_START_TIMEOUT_MS || 120_000);

const SERVER_LOG = path.join(RESULTS_DIR, 'code-server.log');
const BROWSER_LOG = path.join(RESULTS_DIR, 'browser.log');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function installHost() {
  const r = spawnSync('bash', [path.join(ROOT, 'scripts/vscode-host/install.sh')], { stdio: 'inherit' });
  if (r.status !== 0) {
    throw new Error('scripts/vscode-host/install.sh failed (it needs the npm registry, and apt-get as root or via sudo); see its output above');
  }
}

// Installed as plain folders named publisher.name-version: code-server scans the dir.
function installExtensions(extensionsDir) {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const ours = path.join(extensionsDir, `${EXTENSION_ID}-${pkg.version}`);
  fs.mkdirSync(ours, { recursive: true });
  // What the .vsix would hold; dist/ is bundled, so no node_modules.
  for (const entry of ['package.json', 'dist', 'syntaxes', 'schemas', 'media', 'README.md', 'LICENSE']) {
    const src = path.join(ROOT, entry);
    if (fs.existsSync(src)) fs.cpSync(src, path.join(ours, entry), { recursive: true });
  }
  const runnerPkg = JSON.parse(fs.readFileSync(path.join(RUNNER_DIR, 'package.json'), 'utf8'));
  const runner = path.join(extensionsDir, `${runnerPkg.publisher}.${runnerPkg.name}-${runnerPkg.version}`);
  fs.cpSync(RUNNER_DIR, runner, { recursive: true });
  // Suites live inside the runner's folder so their require('vscode') resolves to the
  // runner's API object (outside any extension VS Code falls back to a default and warns).
  const suites = path.join(runner, 'suites');
  fs.cpSync(SUITES_OUT, suites, { recursive: true });
  return suites;
}

// User settings that keep the window quiet and offline-friendly.
function writeSettings(userDataDir) {
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'security.workspace.trust.enabled': false,
    'update.mode': 'none',
  };
  for (const dir of ['User', 'Machine']) {
    fs.mkdirSync(path.join(userDataDir, dir), { recursive: true });
    fs.writeFileSync(path.join(userDataDir, dir, 'settings.json'), JSON.stringify(settings, null, 2));
  }
}

// Port 0: the server picks a free port and prints it, so parallel runs never collide.
function startServer({ tmp, workspace, extensionsDir, userDataDir, env }) {
  const home = path.join(tmp, 'home');
  for (const d of ['', '.config', '.local/share', '.cache']) fs.mkdirSync(path.join(home, d), { recursive: true });
  const out = fs.openSync(SERVER_LOG, 'a');
  const child = spawn(NODE24, [
    path.join(CODE_SERVER, 'out/node/entry.js'),
    '--auth', 'none', '--bind-addr', '127.0.0.1:0',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir,
    // info shows extension activation and its errors; trace (PR_TEST_LOG_LEVEL) is ~1 MB a run.
    '--log', process.env.PR_TEST_LOG_LEVEL || 'info',
    workspace,
  ], {
    cwd: tmp,
    detached: true, // own process group: we kill the server and its extension host together
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...env,
      // Nothing may touch the real home config.
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, '.config'),
      XDG_DATA_HOME: path.join(home, '.local/share'),
      XDG_CACHE_HOME: path.join(home, '.cache'),
      PATH: `${path.dirname(NODE24)}:${process.env.PATH}`,
    },
  });
  const url = new Promise((resolve, reject) => {
    let text = '';
    const onData = (buf) => {
      fs.writeSync(out, buf);
      text += buf.toString();
      const m = text.match(/HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) resolve(m[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code, sig) => reject(new Error(`code-server exited (${sig ?? code}) before listening`)));
    setTimeout(() => reject(new Error('code-server did not start listening within 60 s')), 60_000).unref();
  });
  return { child, url };
}

async function stopServer(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  try { process.kill(-child.pid, 'SIGTERM'); } catch {}
  if (await Promise.race([gone.then(() => true), sleep(5000).then(() => false)])) return;
  try { process.kill(-child.pid, 'SIGKILL'); } catch {}
}

// The server keeps per-session logs (server, extension host, ...) under user-data-dir/logs.
function collectLogs(userDataDir) {
  const src = path.join(userDataDir, 'logs');
  if (fs.existsSync(src)) fs.cpSync(src, path.join(RESULTS_DIR, 'logs'), { recursive: true });
  const found = [];
  const walk = (d) => {
    for (const e of fs.existsSync(d) ? fs.readdirSync(d, { withFileTypes: true }) : []) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      // the extension host, the server agent, and the output channels of our extension
      else if (/^(remoteexthost|remoteagent)\.log$/.test(e.name) || (d.endsWith(EXTENSION_ID) && e.name.endsWith('.log'))) {
        found.push(path.join(d, e.name));
      }
    }
  };
  walk(path.join(RESULTS_DIR, 'logs'));
  return found;
}

// all: the run broke down (server, browser, host); otherwise only the extension host's
// log and our extension's own output channels, which is where an activation error shows.
function printLogTails(hostLogs, all) {
  const files = all ? [SERVER_LOG, ...hostLogs, BROWSER_LOG] : hostLogs.filter((f) => !f.endsWith('remoteagent.log'));
  for (const file of files) {
    console.log(`\n----- last lines of ${path.relative(ROOT, file)} -----\n${tail(file, 30)}`);
  }
}

async function main() {
  const args = parseArgs();
  installHost();
  ensureBuilt();
  const csVersion = JSON.parse(fs.readFileSync(path.join(CODE_SERVER, 'package.json'), 'utf8')).version;
  const count = await bundleSuites();
  const { tmp, workspace } = makeTempRun('pr-integration-');
  const extensionsDir = path.join(tmp, 'extensions');
  const userDataDir = path.join(tmp, 'user-data');
  const suitesDir = installExtensions(extensionsDir);
  writeSettings(userDataDir);
  const env = runnerEnv({ workspace, suitesDir, grep: args.grep });
  log(`${count} suite file(s); code-server ${csVersion}; workspace ${workspace}${args.grep ? `; grep ${args.grep}` : ''}`);

  const started = Date.now();
  let server, context, failure = null, results = null;
  const onSignal = () => { failure = 'interrupted'; };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  try {
    server = startServer({ tmp, workspace, extensionsDir, userDataDir, env });
    let serverExit = null;
    server.child.on('exit', (code, sig) => { serverExit = sig ?? code; });
    const base = await server.url;
    log(`code-server listening on ${base}; opening the workspace in headless Chromium`);

    const browserLog = fs.createWriteStream(BROWSER_LOG);
    context = await chromium.launchPersistentContext(path.join(tmp, 'chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run'],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => browserLog.write(`[${m.type()}] ${m.text()}\n`));
    page.on('pageerror', (e) => browserLog.write(`[pageerror] ${e.stack ?? e}\n`));
    await page.goto(`${base}/?folder=${encodeURIComponent(workspace)}`, { timeout: 60_000 });
    const opened = Date.now();

    const poll = followEvents(env.PR_TEST_EVENTS);
    for (;;) {
      const seen = poll();
      results = readResults(env.PR_TEST_RESULTS);
      if (results) { poll(); break; }
      if (failure) break;
      if (serverExit !== null) { failure = `code-server exited (${serverExit}) before the tests finished`; break; }
      if (!seen.start && Date.now() - opened > HOST_START_TIMEOUT_MS) {
        failure = `the test runner never started within ${HOST_START_TIMEOUT_MS / 1000} s of opening the window ` +
          '(the extension host did not start, or the runner extension failed to load; see the logs below)';
        break;
      }
      if (Date.now() - started > TOTAL_TIMEOUT_MS) {
        failure = `timed out after ${TOTAL_TIMEOUT_MS / 1000} s ` +
          (seen.start ? `(${seen.tests} test(s) finished${seen.activated ? '' : `; ${EXTENSION_ID} never activated`})` : '(the runner never started)');
        break;
      }
      await sleep(250);
    }
  } catch (err) {
    failure = err.message;
  } finally {
    await Promise.race([context?.close().catch(() => {}), sleep(10_000)]);
    await stopServer(server?.child);
  }
  const hostLogs = collectLogs(userDataDir);
  fs.rmSync(tmp, { recursive: true, force: true });
  log(`logs: ${path.relative(ROOT, RESULTS_DIR)}/ (wall time ${((Date.now() - started) / 1000).toFixed(1)} s)`);

  if (!results) {
    printLogTails(hostLogs, true);
    console.log(`\n[integration] FAILED: ${failure ?? 'no results'}`);
    console.log('integration: 0 passed, 1 failed'); // the run itself failed: never report green
    return 1;
  }
  const code = printSummary(results, { host: `code-server ${csVersion}` });
  if (results.fatal) printLogTails(hostLogs, false);
  return code;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[integration] FAILED: ${err.stack ?? err}`);
    process.exit(1);
  },
);
