// Runs the bundled mocha integration suites inside a VS Code extension host and records
// the outcome as files the launcher reads (the extension host's stdout is not ours to read):
//   PR_TEST_EVENTS   JSON lines, appended as things happen (the launcher streams them),
//   PR_TEST_RESULTS  one JSON document written (atomically) when the run is over.
// Shared by both launchers: code-server (via ./extension.js) and @vscode/test-electron
// (which require()s this file as extensionTestsPath and awaits run()).
// Other inputs: PR_TEST_MOCHA (mocha package dir), PR_TEST_SUITES (dir of *.test.js),
// PR_TEST_GREP, PR_TEST_UNTRUSTED, PR_TEST_EXTENSION_ID, PR_TEST_ACTIVATION_TIMEOUT_MS, PR_TEST_TIMEOUT_MS.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const util = require('node:util');
const vscode = require('vscode');
const { routeForeignErrors } = require('./foreign-errors');

const env = process.env;
const RESULTS = env.PR_TEST_RESULTS;
const EVENTS = env.PR_TEST_EVENTS || `${RESULTS}.events.jsonl`;
const EXTENSION_ID = env.PR_TEST_EXTENSION_ID || 'prompt-registry.prompt-registry';

function emit(event) {
  fs.appendFileSync(EVENTS, JSON.stringify({ time: Date.now(), ...event }) + '\n');
}
function writeResults(results) {
  fs.writeFileSync(`${RESULTS}.tmp`, JSON.stringify(results, null, 2));
  fs.renameSync(`${RESULTS}.tmp`, RESULTS); // the launcher never sees half a file
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const errorText = (e) => (e && e.stack) || String(e);
function withTimeout(promise, ms, what) {
  return Promise.race([
    promise,
    sleep(ms).then(() => {
      throw new Error(`${what} did not settle in ${ms} ms`);
    }),
  ]);
}

// Wait for the extension under test to be activated by its own activationEvents (the
// workspace has prompt-registry.yaml), so tests see it the way a user would. Careful:
// isActive also turns true when activate() THREW; only ext.activate() (a no-op once
// activation happened) surfaces that error, so it is awaited in both cases.
async function waitForActivation() {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) {
    const ids = vscode.extensions.all.filter((e) => !e.id.startsWith('vscode.')).map((e) => e.id);
    throw new Error(
      `Extension ${EXTENSION_ID} is not installed in this VS Code (non-builtin extensions: ${ids.join(', ') || 'none'})`,
    );
  }
  const limit = Number(env.PR_TEST_ACTIVATION_TIMEOUT_MS || 30000);
  const t0 = Date.now();
  while (!ext.isActive && Date.now() - t0 < limit) await sleep(100);
  const byEvents = ext.isActive;
  try {
    await withTimeout(Promise.resolve(ext.activate()), 15000, 'activate()');
  } catch (err) {
    throw new Error(`Extension ${EXTENSION_ID} failed to activate: ${errorText(err)}`);
  }
  if (!byEvents) {
    throw new Error(
      `Extension ${EXTENSION_ID} was not activated by its activationEvents within ${limit} ms ` +
        '(activating it explicitly worked, so check "activationEvents" against the test workspace)',
    );
  }
  return Date.now() - t0;
}

// VS Code's recursive watcher on the workspace starts with the window, not with our extension:
// on a loaded machine the suites can begin before it is up, and a file written before then is
// never reported (the extension reconciles on later signals, but a test must not start in that
// window). So a probe file is written, and re-written, until the watcher reports it.
async function waitForFileWatcher() {
  const folder = (vscode.workspace.workspaceFolders || [])[0];
  if (!folder) return 0;
  const name = `.integration-watcher-probe-${process.pid}`;
  const probe = path.join(folder.uri.fsPath, name);
  const limit = Number(env.PR_TEST_WATCHER_TIMEOUT_MS || 30000);
  const t0 = Date.now();
  // A pattern with ** is served by the workspace's recursive watcher, the one suites depend on.
  const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, `**/${name}`));
  try {
    const reported = new Promise((resolve) => {
      watcher.onDidCreate(resolve);
      watcher.onDidChange(resolve);
    });
    for (let i = 0; ; i++) {
      fs.writeFileSync(probe, String(i));
      if (await Promise.race([reported.then(() => true), sleep(250).then(() => false)])) break;
      if (Date.now() - t0 > limit)
        throw new Error(`VS Code's file watcher did not report a file written into the workspace within ${limit} ms`);
    }
  } finally {
    watcher.dispose();
    fs.rmSync(probe, { force: true });
  }
  return Date.now() - t0;
}

function listSuites(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listSuites(p));
    else if (entry.name.endsWith('.test.js')) out.push(p);
  }
  return out.sort();
}

// VS Code installs its own Error.prepareStackTrace in the extension host, so Node's
// --enable-source-maps does not apply: map suite frames (bundle.js:L:C) back to the .ts
// sources ourselves, with the .js.map files esbuild writes next to each bundle.
const sourceMaps = new Map(); // suite path relative to PR_TEST_SUITES -> module.SourceMap
function loadSourceMaps(files) {
  const { SourceMap } = require('node:module');
  for (const f of files) {
    try {
      sourceMaps.set(
        path.relative(env.PR_TEST_SUITES, f),
        new SourceMap(JSON.parse(fs.readFileSync(`${f}.map`, 'utf8'))),
      );
    } catch {} // no map: frames stay as they are
  }
}
function mapStack(stack) {
  if (!stack || sourceMaps.size === 0) return stack;
  return stack.replace(/([^\s()]+\.js):(\d+):(\d+)/g, (frame, file, line, col) => {
    const norm = file.split(path.sep).join('/');
    for (const [rel, map] of sourceMaps) {
      if (!norm.endsWith(rel.split(path.sep).join('/'))) continue;
      const e = map.findEntry(Number(line) - 1, Number(col) - 1);
      if (!e || !e.originalSource) return frame;
      // sources are relative to out/integration/...: keep the repo-relative part.
      const src = e.originalSource.replace(/^(?:file:\/\/)?(?:\.\.\/)+/, '');
      return `${src}:${e.originalLine + 1}:${e.originalColumn + 1}`;
    }
    return frame;
  });
}

function serializeError(err) {
  if (!err) return undefined;
  const e = { message: String(err.message ?? err), stack: mapStack(err.stack) };
  if (err.showDiff !== false && ('expected' in err || 'actual' in err)) {
    e.expected = util.inspect(err.expected, { depth: 6 });
    e.actual = util.inspect(err.actual, { depth: 6 });
  }
  return e;
}

// Frames past Node's internals show who wrote to a closed pipe (see foreign-errors.js).
Error.stackTraceLimit = Math.max(Error.stackTraceLimit, 60);

// Runs mocha, collecting per-test results through a minimal reporter (mocha wants one).
async function runMocha(tests, foreign) {
  const Mocha = require(path.join(env.PR_TEST_MOCHA, 'lib', 'mocha.cjs')); // mocha 12's CJS entry
  const record = (runnable, state, err) => {
    const t = {
      title: runnable.title,
      fullTitle: runnable.fullTitle(),
      file: runnable.file && path.relative(env.PR_TEST_SUITES, runnable.file).replace(/\.js$/, '.ts'),
      state,
      durationMs: runnable.duration ?? 0,
      error: serializeError(err),
    };
    tests.push(t);
    emit({ type: 'test', test: t });
  };
  function Reporter(runner) {
    runner.on('pass', (t) => record(t, 'passed'));
    runner.on('pending', (t) => record(t, 'pending'));
    runner.on('fail', (t, err) => record(t, 'failed', err)); // tests and hooks ("before all" ...)
  }
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: Number(env.PR_TEST_TIMEOUT_MS || 30000),
    color: false,
    reporter: Reporter,
    ...(env.PR_TEST_GREP ? { grep: env.PR_TEST_GREP } : {}),
  });
  // untrusted.test.js needs a window in restricted mode: it runs alone there (PR_TEST_UNTRUSTED=1), never in the trusted one.
  const untrustedPhase = env.PR_TEST_UNTRUSTED === '1';
  const files = listSuites(env.PR_TEST_SUITES).filter(
    (f) => (path.basename(f) === 'untrusted.test.js') === untrustedPhase,
  );
  if (files.length === 0) throw new Error(`no *.test.js files in ${env.PR_TEST_SUITES}`);
  loadSourceMaps(files);
  files.forEach((f) => mocha.addFile(f));
  await mocha.loadFilesAsync(); // a suite that throws on load rejects here
  let running;
  const ours = [vscode.extensions.getExtension(EXTENSION_ID)?.extensionPath, env.PR_TEST_SUITES, __dirname];
  const route = routeForeignErrors(ours, (e) => {
    const error = { ...e, during: running };
    foreign.push(error);
    emit({ type: 'foreign-error', error });
  });
  await new Promise((resolve) => {
    const runner = mocha.run(resolve);
    runner.on('test', (t) => (running = t.fullTitle()));
    runner.on('hook', (h) => (running = h.fullTitle()));
    route.attach();
  });
  route.detach();
}

async function runSuites() {
  if (!RESULTS) throw new Error('PR_TEST_RESULTS is not set');
  const started = Date.now();
  const results = {
    vscodeVersion: vscode.version,
    appName: vscode.env.appName,
    appHost: vscode.env.appHost,
    remoteName: vscode.env.remoteName ?? null,
    extensionId: EXTENSION_ID,
    workspace: (vscode.workspace.workspaceFolders || []).map((f) => f.uri.fsPath),
    grep: env.PR_TEST_GREP || null,
    activationMs: null,
    fatal: null,
    tests: [],
    /** Uncaught errors raised by built-in extensions in this host; see foreign-errors.js. */
    foreignErrors: [],
  };
  emit({ type: 'start', vscodeVersion: results.vscodeVersion, appName: results.appName });
  try {
    results.activationMs = await waitForActivation();
    emit({ type: 'activated', ms: results.activationMs });
    results.watcherMs = await waitForFileWatcher();
    emit({ type: 'watcher', ms: results.watcherMs });
    await runMocha(results.tests, results.foreignErrors);
  } catch (err) {
    results.fatal = mapStack(errorText(err));
    emit({ type: 'fatal', message: results.fatal });
  }
  const count = (s) => results.tests.filter((t) => t.state === s).length;
  Object.assign(results, {
    passed: count('passed'),
    failed: count('failed'),
    pending: count('pending'),
    durationMs: Date.now() - started,
  });
  writeResults(results);
  emit({ type: 'end' });
  return results;
}

// For @vscode/test-electron: reject so that VS Code exits with a non-zero code.
async function run() {
  const r = await runSuites();
  if (r.fatal || r.failed > 0 || r.passed === 0) throw new Error(r.fatal || `${r.failed} failed, ${r.passed} passed`);
}

module.exports = { runSuites, run };
