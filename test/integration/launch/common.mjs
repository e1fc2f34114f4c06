// Shared by the two integration launchers (code-server.mjs, electron.mjs): build the
// extension if needed, bundle the suites, make a throwaway workspace, follow the runner's
// event file while it runs, and print the summary. The runner side is
// test/runner-extension/run-suites.js; the two talk only through the files named in env().
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

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
export function makeTempRun(prefix) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const workspace = path.join(tmp, 'workspace');
  fs.cpSync(path.join(ROOT, 'test/fixtures/workspace'), workspace, { recursive: true });
  fs.rmSync(RESULTS_DIR, { recursive: true, force: true });
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  return { tmp, workspace };
}

// The env vars the runner (run-suites.js) reads, and the suites see (PR_TEST_WORKSPACE).
export function runnerEnv({ workspace, suitesDir, grep }) {
  return {
    PR_TEST_WORKSPACE: workspace,
    PR_TEST_RESULTS: path.join(RESULTS_DIR, 'results.json'),
    PR_TEST_EVENTS: path.join(RESULTS_DIR, 'events.jsonl'),
    PR_TEST_MOCHA: path.join(ROOT, 'node_modules/mocha'),
    PR_TEST_SUITES: suitesDir,
    PR_TEST_EXTENSION_ID: EXTENSION_ID,
    ...(grep ? { PR_TEST_GREP: grep } : {}),
  };
}

const indent = (text, pad) => String(text).split('\n').map((l) => pad + l).join('\n');

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
        log(`${EXTENSION_ID} active after ${ev.ms} ms; running suites`);
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
    const frames = (t.error?.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l) && !/node_modules[\\/]mocha/.test(l));
    const stack = frames.slice(0, 8).map((l) => l.trim());
    if (stack.length) console.log(indent(stack.join('\n'), '      '));
  });
  let reason = '';
  if (results.fatal) reason = `the run stopped before the suites finished:\n${indent(results.fatal, '    ')}`;
  else if (results.passed + results.failed === 0) reason = `no test ran${results.grep ? ` (grep: ${results.grep})` : ''}`;
  if (reason) console.log(`\n[integration] FAILED: ${reason}`);
  console.log(`\nintegration: ran on VS Code ${results.vscodeVersion} via ${host} in ${(results.durationMs / 1000).toFixed(1)} s`);
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
