// Shared by the two integration launchers (code-server.mjs, electron.mjs): build the
// extension if needed, bundle the suites, make a throwaway workspace, follow the runner's
// event file while it runs, and print the summary. The runner side is
// test/runner-extension/run-suites.js; the two talk only through the files named in env().
// The code-server host (install, start/stop, headless Chromium) is also used by the UI
// check in test/browser/ui-check.mjs.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { copyFixtureWorkspace } from '../../../scripts/fixtureWorkspace.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const EXTENSION_ID = 'prompt-registry.prompt-registry';
export const SUITES_SRC = path.join(ROOT, 'test/integration/suite');
export const SUITES_OUT = path.join(ROOT, 'out/integration');
export const RESULTS_DIR = path.join(ROOT, 'test/results/integration'); // git-ignored
export const RUNNER_DIR = path.join(ROOT, 'test/runner-extension');

export const log = (msg) => console.log(`[integration] ${msg}`);

// `--grep <re>` on the command line or PR_TEST_GREP in the environment.
export function parseArgs(argv = process.argv.slice(2)) {
  const args = { grep: process.env.PR_TEST_GREP || '' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--grep' || argv[i] === '-g') args.grep = argv[++i] ?? '';
    else if (argv[i].startsWith('--grep=')) args.grep = argv[i].slice('--grep='.length);
    else throw new Error(`unknown argument ${argv[i]} (supported: --grep <regexp>)`);
  }
  return args;
}

// `npm test` builds first; a bare `npm run test:integration` on a fresh clone would not.
export function ensureBuilt() {
  if (fs.existsSync(path.join(ROOT, 'dist/extension.js'))) return;
  log('dist/extension.js missing: npm run build');
  const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm run build failed');
}

// One CJS bundle per suite file, `vscode` left to the extension host, with .js.map files
// that the runner uses to point failures at .ts lines. Mocha globals (describe/it) come from the runner.
export async function bundleSuites() {
  const entries = fs
    .readdirSync(SUITES_SRC, { recursive: true })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => path.join(SUITES_SRC, f));
  if (entries.length === 0) throw new Error(`no *.test.ts under ${path.relative(ROOT, SUITES_SRC)}`);
  fs.rmSync(SUITES_OUT, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: entries,
    outbase: SUITES_SRC,
    outdir: SUITES_OUT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    sourcemap: true,
    logLevel: 'warning',
  });
  return entries.length;
}

// A fresh temp dir per run; the fixture is copied so tests may edit files freely.
// resultsDir (emptied here) holds the run's logs.
// keepResults: a later window of the same run adds to the results folder instead of starting it over.
export function makeTempRun(prefix, resultsDir = RESULTS_DIR, keepResults = false) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const workspace = path.join(tmp, 'workspace');
  // The extension host runs on the real clock: the copy keeps the retiring model retiring, never shut down.
  copyFixtureWorkspace(workspace);
  if (!keepResults) fs.rmSync(resultsDir, { recursive: true, force: true });
  fs.mkdirSync(resultsDir, { recursive: true });
  return { tmp, workspace };
}

// The env vars the runner (run-suites.js) reads, and the suites see (PR_TEST_WORKSPACE).
export function runnerEnv({ workspace, suitesDir, grep, untrusted = false }) {
  const suffix = untrusted ? '-untrusted' : '';
  return {
    PR_TEST_WORKSPACE: workspace,
    PR_TEST_RESULTS: path.join(RESULTS_DIR, `results${suffix}.json`),
    PR_TEST_EVENTS: path.join(RESULTS_DIR, `events${suffix}.jsonl`),
    ...(untrusted ? { PR_TEST_UNTRUSTED: '1' } : {}),
    PR_TEST_MOCHA: path.join(ROOT, 'node_modules/mocha'),
    PR_TEST_SUITES: suitesDir,
    PR_TEST_EXTENSION_ID: EXTENSION_ID,
    ...(grep ? { PR_TEST_GREP: grep } : {}),
  };
}

const indent = (text, pad) =>
  String(text)
    .split('\n')
    .map((l) => pad + l)
    .join('\n');

// Follows PR_TEST_EVENTS, printing each test as it finishes. poll() returns the
// events seen so far; the launcher calls it until results.json appears.
export function followEvents(eventsFile) {
  let offset = 0;
  let partial = '';
  const seen = { start: null, activated: null, fatal: null, end: false, tests: 0 };
  return function poll() {
    let chunk = '';
    try {
      const fd = fs.openSync(eventsFile, 'r');
      const buf = Buffer.alloc(fs.fstatSync(fd).size - offset);
      offset += fs.readSync(fd, buf, 0, buf.length, offset);
      fs.closeSync(fd);
      chunk = buf.toString('utf8');
    } catch {
      return seen; // not created yet
    }
    const lines = (partial + chunk).split('\n');
    partial = lines.pop();
    for (const line of lines.filter(Boolean)) {
      const ev = JSON.parse(line);
      if (ev.type === 'start') {
        seen.start = ev;
        log(`extension host up: ${ev.appName} ${ev.vscodeVersion}; waiting for ${EXTENSION_ID} to activate`);
      } else if (ev.type === 'activated') {
        seen.activated = ev;
        log(`${EXTENSION_ID} active after ${ev.ms} ms`);
      } else if (ev.type === 'watcher') {
        log(`the workspace file watcher reported a probe file after ${ev.ms} ms; running suites`);
      } else if (ev.type === 'test') {
        seen.tests++;
        const t = ev.test;
        const mark = { passed: '✓', failed: '✗', pending: '-' }[t.state];
        console.log(`  ${mark} ${t.fullTitle}${t.state === 'pending' ? ' (skipped)' : ` (${t.durationMs} ms)`}`);
      } else if (ev.type === 'fatal') {
        seen.fatal = ev.message;
      } else if (ev.type === 'end') {
        seen.end = true;
      }
    }
    return seen;
  };
}

export function readResults(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

// Prints failures in full and the closing line. The last line is exactly
// "integration: N passed, N failed[, N skipped]": CI reads that plain form, so the
// VS Code version goes on the line before it. Returns the process exit code.
export function printSummary(results, { host }) {
  const failed = results.tests.filter((t) => t.state === 'failed');
  failed.forEach((t, i) => {
    console.log(`\n  ${i + 1}) ${t.fullTitle}${t.file ? `  [${t.file}]` : ''}`);
    const message = t.error?.message ?? 'failed';
    console.log(indent(message, '      '));
    // assert's messages already hold a diff when they span lines
    if (t.error?.expected !== undefined && !message.includes('\n')) {
      console.log(`      expected: ${t.error.expected}\n      actual:   ${t.error.actual}`);
    }
    const frames = (t.error?.stack ?? '')
      .split('\n')
      .filter((l) => /^\s+at /.test(l) && !/node_modules[\\/]mocha/.test(l));
    const stack = frames.slice(0, 8).map((l) => l.trim());
    if (stack.length) console.log(indent(stack.join('\n'), '      '));
  });
  const foreign = results.foreignErrors ?? [];
  if (foreign.length) {
    console.log(
      `\n[integration] ${foreign.length} uncaught error(s) from other extensions in the host (recorded, not ours to fail on):`,
    );
    for (const e of foreign) {
      const frames = e.stack
        .split('\n')
        .filter((l) => /[\\/]extensions[\\/][a-z0-9-]+[\\/]/.test(l))
        .slice(0, 5);
      console.log(`  - ${e.message}${e.during ? ` (during "${e.during}")` : ''}`);
      if (frames.length) console.log(indent(frames.map((l) => l.trim()).join('\n'), '      '));
    }
  }
  let reason = '';
  if (results.fatal) reason = `the run stopped before the suites finished:\n${indent(results.fatal, '    ')}`;
  else if (results.passed + results.failed === 0)
    reason = `no test ran${results.grep ? ` (grep: ${results.grep})` : ''}`;
  if (reason) console.log(`\n[integration] FAILED: ${reason}`);
  console.log(
    `\nintegration: ran on VS Code ${results.vscodeVersion} via ${host} in ${(results.durationMs / 1000).toFixed(1)} s`,
  );
  const skipped = results.pending ? `, ${results.pending} skipped` : '';
  console.log(`integration: ${results.passed} passed, ${results.failed} failed${skipped}`);
  return reason || results.failed > 0 ? 1 : 0;
}

// Last lines of a log file, for failure reports.
export function tail(file, lines = 40) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// ---------------------------------------------------------------------------------------------
// The code-server host: Node 24 + code-server from scripts/vscode-host/install.sh, and
// headless Chromium as the window (code-server starts an extension host only for a
// connected window).

export const HOST_DIR = process.env.PR_VSCODE_HOST_DIR || path.join(ROOT, '.cache/vscode-host');
const NODE24 = path.join(HOST_DIR, 'node/node_modules/node/bin/node');
const CODE_SERVER = path.join(HOST_DIR, 'code-server/node_modules/code-server');
const CHROMIUM = process.env.PR_TEST_CHROMIUM || '/usr/bin/chromium';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function installHost() {
  const r = spawnSync('bash', [path.join(ROOT, 'scripts/vscode-host/install.sh')], { stdio: 'inherit' });
  if (r.status !== 0) {
    throw new Error(
      'scripts/vscode-host/install.sh failed (it needs the npm registry, and apt-get as root or via sudo); see its output above',
    );
  }
}

export function codeServerVersion() {
  return JSON.parse(fs.readFileSync(path.join(CODE_SERVER, 'package.json'), 'utf8')).version;
}

// Installed as a plain folder named publisher.name-version: code-server scans the dir.
export function installBuiltExtension(extensionsDir) {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const ours = path.join(extensionsDir, `${EXTENSION_ID}-${pkg.version}`);
  fs.mkdirSync(ours, { recursive: true });
  // What the .vsix would hold; dist/ is bundled, so no node_modules.
  for (const entry of ['package.json', 'dist', 'syntaxes', 'schemas', 'media', 'README.md', 'LICENSE']) {
    const src = path.join(ROOT, entry);
    if (fs.existsSync(src)) fs.cpSync(src, path.join(ours, entry), { recursive: true });
  }
  return ours;
}

// User settings that keep the window quiet and offline-friendly, plus `extra`.
export function writeSettings(userDataDir, extra = {}) {
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'security.workspace.trust.enabled': false,
    'update.mode': 'none',
    ...extra,
  };
  for (const dir of ['User', 'Machine']) {
    fs.mkdirSync(path.join(userDataDir, dir), { recursive: true });
    fs.writeFileSync(path.join(userDataDir, dir, 'settings.json'), JSON.stringify(settings, null, 2));
  }
}

// Port 0: the server picks a free port and prints it, so parallel runs never collide.
// Returns { child, url } where url resolves to http://127.0.0.1:<port>.
// trusted: false leaves workspace trust on, so the window opens in restricted mode.
export function startServer({ tmp, workspace, extensionsDir, userDataDir, env = {}, logFile, trusted = true }) {
  const home = path.join(tmp, 'home');
  for (const d of ['', '.config', '.local/share', '.cache']) fs.mkdirSync(path.join(home, d), { recursive: true });
  const out = fs.openSync(logFile, 'a');
  const child = spawn(
    NODE24,
    [
      path.join(CODE_SERVER, 'out/node/entry.js'),
      '--auth',
      'none',
      '--bind-addr',
      '127.0.0.1:0',
      '--disable-telemetry',
      '--disable-update-check',
      ...(trusted ? ['--disable-workspace-trust'] : []),
      '--disable-getting-started-override',
      '--extensions-dir',
      extensionsDir,
      '--user-data-dir',
      userDataDir,
      // info shows extension activation and its errors; trace (PR_TEST_LOG_LEVEL) is ~1 MB a run.
      '--log',
      process.env.PR_TEST_LOG_LEVEL || 'info',
      workspace,
    ],
    {
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
    },
  );
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

export async function stopServer(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {}
  if (await Promise.race([gone.then(() => true), sleep(5000).then(() => false)])) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {}
}

// Headless Chromium with a throwaway profile; the page's console goes to logFile.
export async function launchBrowser({ profileDir, logFile, viewport }) {
  const browserLog = fs.createWriteStream(logFile);
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    ...(viewport ? { viewport } : {}),
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => browserLog.write(`[${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (e) => browserLog.write(`[pageerror] ${e.stack ?? e}\n`));
  return { context, page };
}

// The server keeps per-session logs (server, extension host, ...) under user-data-dir/logs;
// copies them to resultsDir/logs and returns the extension host's, the server agent's and
// our extension's output channels.
export function collectLogs(userDataDir, resultsDir = RESULTS_DIR) {
  const src = path.join(userDataDir, 'logs');
  if (fs.existsSync(src)) fs.cpSync(src, path.join(resultsDir, 'logs'), { recursive: true });
  const found = [];
  const walk = (d) => {
    for (const e of fs.existsSync(d) ? fs.readdirSync(d, { withFileTypes: true }) : []) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      // the extension host, the server agent, and the output channels of our extension
      else if (
        /^(remoteexthost|remoteagent)\.log$/.test(e.name) ||
        (d.endsWith(EXTENSION_ID) && e.name.endsWith('.log'))
      ) {
        found.push(path.join(d, e.name));
      }
    }
  };
  walk(path.join(resultsDir, 'logs'));
  return found;
}
