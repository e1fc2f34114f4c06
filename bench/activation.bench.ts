// Activation in the real host: code-server started as the integration launcher does (its helpers in
// test/integration/launch/common.mjs), our built extension alone in a fresh extensions folder, the
// workspace opened in headless Chromium. The delta is read from two logs with millisecond timestamps:
// the host's `ExtensionService#_doActivateExtension prompt-registry.prompt-registry` line in
// remoteexthost.log (activation starts: the bundle is about to be required) and our own output
// channel's "... activated" line (activate() has built everything). The window runs beside it, as it
// does for a user. The host is scripts/vscode-host/install.sh's (PR_VSCODE_HOST_DIR, or .cache/vscode-host).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuilt } from './e2e.bench';
import { median } from './fixtures';
import type { BenchResult } from './goals';

const ROOT = path.resolve(__dirname, '..');
const RUNS = 3;
const WAIT_MS = 120_000;
const EXTENSION_ID = 'prompt-registry.prompt-registry';
const HOST_LINE = `_doActivateExtension ${EXTENSION_ID}`;
const OUR_LINE = /\] Prompt Registry \S+ activated/;

interface Launcher {
  HOST_DIR: string;
  installBuiltExtension(extensionsDir: string): string;
  makeTempRun(prefix: string, resultsDir: string): { tmp: string; workspace: string };
  writeSettings(userDataDir: string, extra?: Record<string, unknown>): void;
  startServer(o: {
    tmp: string;
    workspace: string;
    extensionsDir: string;
    userDataDir: string;
    logFile: string;
    trusted?: boolean;
  }): { child: { pid?: number }; url: Promise<string> };
  stopServer(child: unknown): Promise<void>;
  launchBrowser(o: { profileDir: string; logFile: string }): Promise<{
    context: { close(): Promise<void> };
    page: { goto(url: string, o: { timeout: number }): Promise<unknown> };
  }>;
}

/** "2026-12-02 05:50:00.123 [info] ..." → ms since the epoch (both logs are written in the same zone). */
function stamp(line: string): number | undefined {
  const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3})/.exec(line);
  return m ? Date.parse(`${m[1]}T${m[2]}`) : undefined;
}

function findLine(
  dir: string,
  fileTest: (file: string) => boolean,
  lineTest: (line: string) => boolean,
): { file: string; line: string } | undefined {
  if (!fs.existsSync(dir)) return undefined;
  for (const f of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const file = path.join(dir, f);
    if (!fileTest(file) || !fs.statSync(file).isFile()) continue;
    const line = fs.readFileSync(file, 'utf8').split('\n').find(lineTest);
    if (line) return { file, line };
  }
  return undefined;
}

interface Sample {
  deltaMs?: number;
  hostLine?: string;
  ourLine?: string;
  windowToHostMs?: number;
}

async function once(L: Launcher, scratch: string, i: number): Promise<Sample> {
  const results = path.join(scratch, `results-${i}`);
  const { tmp, workspace } = L.makeTempRun('pr-bench-activation-', results);
  const extensionsDir = path.join(tmp, 'extensions');
  const userDataDir = path.join(tmp, 'user-data');
  L.installBuiltExtension(extensionsDir);
  L.writeSettings(userDataDir);
  const server = L.startServer({
    tmp,
    workspace,
    extensionsDir,
    userDataDir,
    logFile: path.join(results, 'code-server.log'),
  });
  let context: { close(): Promise<void> } | undefined;
  const logs = path.join(userDataDir, 'logs');
  try {
    const base = await server.url;
    const b = await L.launchBrowser({
      profileDir: path.join(tmp, 'chromium-profile'),
      logFile: path.join(results, 'browser.log'),
    });
    context = b.context;
    const opened = Date.now();
    await b.page.goto(`${base}/?folder=${encodeURIComponent(workspace)}`, { timeout: 60_000 });
    for (;;) {
      const host = findLine(
        logs,
        (f) => path.basename(f) === 'remoteexthost.log' || path.basename(f) === 'exthost.log',
        (l) => l.includes(HOST_LINE),
      );
      const ours = findLine(
        logs,
        (f) => f.includes(EXTENSION_ID) && f.endsWith('.log'),
        (l) => OUR_LINE.test(l),
      );
      if (host && ours) {
        const h = stamp(host.line);
        const o = stamp(ours.line);
        return {
          deltaMs: h !== undefined && o !== undefined ? o - h : undefined,
          hostLine: host.line.trim(),
          ourLine: ours.line.trim(),
          windowToHostMs: h !== undefined ? h - opened : undefined,
        };
      }
      if (Date.now() - opened > WAIT_MS) return { hostLine: host?.line.trim(), ourLine: ours?.line.trim() };
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await Promise.race([context?.close().catch(() => undefined), new Promise((r) => setTimeout(r, 10_000))]);
    await L.stopServer(server.child);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchResult> {
  const hostDir = process.env.PR_VSCODE_HOST_DIR || path.join(ROOT, '.cache/vscode-host');
  if (!fs.existsSync(path.join(hostDir, 'code-server/node_modules/code-server'))) {
    return {
      numbers: {
        skipped: `no code-server under ${hostDir} (run scripts/vscode-host/install.sh, or set PR_VSCODE_HOST_DIR)`,
      },
      goals: [],
    };
  }
  process.env.PR_VSCODE_HOST_DIR = hostDir; // read by common.mjs when it loads
  ensureBuilt();
  const L = (await import(pathToFileURL(path.join(ROOT, 'test/integration/launch/common.mjs')).href)) as Launcher;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pr-bench-activation-'));
  try {
    const samples: Sample[] = [];
    for (let i = 0; i < RUNS; i++) samples.push(await once(L, scratch, i));
    const deltas = samples.map((s) => s.deltaMs).filter((d): d is number => d !== undefined);
    const numbers: Record<string, string | number> = {
      runs: RUNS,
      'host: activation starts (first run)': samples[0]?.hostLine ?? 'not found in remoteexthost.log',
      'ours: activated (first run)': samples[0]?.ourLine ?? 'not found in our output channel log',
      'window opened → host starts activating us (ms)': samples.map((s) => s.windowToHostMs ?? '?').join(', '),
      'host line → our "activated" line (ms, each run)': samples.map((s) => s.deltaMs ?? '?').join(', '),
      'load average (1 min)': os.loadavg()[0]!.toFixed(2),
    };
    if (deltas.length === 0) return { numbers, goals: [] };
    const m = median(deltas);
    return {
      numbers,
      goals: [
        {
          id: 'activation.window',
          what: 'activation in the real host, window beside it ≤ 150 ms',
          on: 'median',
          value: m,
          limit: 150,
          unit: 'ms',
          median: m,
          max: Math.max(...deltas),
        },
      ],
    };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
