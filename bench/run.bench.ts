// Suite runner against a loopback OpenAI-compatible server answering in 50 ms, concurrency 8.
// Goals (issue 5): 1,000 cases within 1.15× the ideal (N × latency ÷ concurrency = 6.25 s) and peak
// memory under 150 MB; every 10th request a 429 with retry-after-ms 100: 200 cases all pass within
// 2× the ideal; a cached re-run of the 1,000 cases under 1 s.
import { spawn } from 'node:child_process';
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeOpenAI } from '../test/support/fakeOpenAI';
import { mb } from './fixtures';

const LATENCY_MS = 50;
const CONCURRENCY = 8;

/** `cases` cases spread over 10 prompts, each with a suite next to it. */
function workspace(baseURL: string, cases: number): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pr-bench-run-'));
  const models = ['m1'].map((id) => ({ id, provider: 'fake', active: true, firstSeen: '2026-01-01', lastSeen: '2026-01-01', updatedAt: '2026-01-01', inputPricePer1M: 1, outputPricePer1M: 2 }));
  fs.mkdirSync(path.join(root, '.prompt-registry'), { recursive: true });
  fs.writeFileSync(path.join(root, '.prompt-registry/catalog.json'), JSON.stringify({ version: 1, providers: {}, models }));
  fs.writeFileSync(path.join(root, 'prompt-registry.yaml'), `providers:\n  - name: fake\n    baseURL: ${baseURL}\n`);
  const perSuite = cases / 10;
  for (let p = 0; p < 10; p++) {
    const dir = path.join(root, 'prompts', `team-${p}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'ask.md'), `---\nmodel: m1\ntemperature: 0\ninputs:\n  question: {required: true}\n---\nYou answer questions for team ${p}. Be brief.\n\nuser:\n{{question}}\n`);
    const lines = ['defaults:', '  assert: [{type: max-latency-ms, value: 5000}]', 'cases:'];
    for (let i = 0; i < perSuite; i++) lines.push(`  - name: case ${i}`, `    vars: {question: "question ${p}-${i}"}`, `    assert: [{type: contains, value: "QUESTION ${p}-${i}"}]`);
    fs.writeFileSync(path.join(dir, 'ask.suite.yaml'), `${lines.join('\n')}\n`);
  }
  return root;
}

interface ChildResult {
  /** The run itself: runSuites until every case settled and the logs were written. */
  wallMs: number;
  /** Loading the workspace, parsing and planning the suites, before the run. */
  loadMs: number;
  cpuMs: number;
  maxRssBytes: number;
  totals: { cases: number; passed: number; cached: number };
  firstError?: string;
}

/** The worker bundled as the CLI is (esbuild, plain node): tsx alone would add ~70 MB and its own overhead. */
async function bundle(dir: string, name: string): Promise<string> {
  const outfile = path.join(dir, `${name}.js`);
  await esbuild.build({ entryPoints: [path.join(__dirname, `${name}.ts`)], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', mainFields: ['module', 'main'], logLevel: 'warning', define: { 'import.meta.url': '__importMetaUrl' }, banner: { js: 'const __importMetaUrl = require("url").pathToFileURL(__filename).href;' } });
  return outfile;
}

/** Runs the suites in a fresh process, so its peak RSS is the runner's alone (the server lives here). */
function runChild(worker: string, root: string, cache: boolean): Promise<ChildResult> {
  return spawnJson<ChildResult>(worker, [root, JSON.stringify({ concurrency: CONCURRENCY, cache })]);
}

function spawnJson<T>(script: string, args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as T) : reject(new Error(`runner exited ${code}: ${err.slice(0, 500)}`))));
  });
}

export async function run(): Promise<Record<string, string | number>> {
  const fake = await new FakeOpenAI().start();
  fake.keepBodies = false;
  fake.chatLatencyMs = LATENCY_MS;
  const roots: string[] = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pr-bench-worker-'));
  roots.push(tmp);
  try {
    const worker = await bundle(tmp, 'runWorker');
    const floorScript = await bundle(tmp, 'openaiFloor');
    const big = workspace(fake.baseURL, 1000);
    roots.push(big);
    const ideal1k = (1000 * LATENCY_MS) / CONCURRENCY;
    const floor = await spawnJson<{ wallMs: number; cpuMs: number; maxRssBytes: number }>(floorScript, [fake.baseURL, '1000', String(CONCURRENCY)]);
    const first = await runChild(worker, big, true);
    const inFlight = fake.maxInFlight;

    const before = fake.requests.length;
    const cached = await runChild(worker, big, true);
    const cachedRequests = fake.requests.length - before;

    const small = workspace(fake.baseURL, 200);
    roots.push(small);
    fake.chatFaultFor = (n) => (n % 10 === 0 ? { kind: 'status', status: 429, headers: { 'retry-after-ms': '100' } } : undefined);
    const faultStart = fake.requests.length;
    const storm = await runChild(worker, small, false);
    const stormRequests = fake.requests.length - faultStart;
    const ideal200 = (200 * LATENCY_MS) / CONCURRENCY;

    const ok1 = first.totals.passed === 1000 && first.wallMs <= ideal1k * 1.15 && first.maxRssBytes < 150 * 1048576;
    const ok2 = storm.totals.passed === 200 && storm.wallMs <= ideal200 * 2;
    const ok3 = cached.totals.cached === 1000 && cachedRequests === 0 && cached.wallMs < 1000;
    return {
      '1,000 cases: wall': `${(first.wallMs / 1000).toFixed(2)} s (${(first.wallMs / ideal1k).toFixed(3)}× the ideal ${(ideal1k / 1000).toFixed(2)} s)`,
      '1,000 cases: passed': `${first.totals.passed}${first.firstError ? ` (first error: ${first.firstError})` : ''}`,
      '1,000 cases: load + plan (apart)': `${Math.round(first.loadMs)} ms`,
      '1,000 cases: runner CPU': `${(first.cpuMs / 1000).toFixed(2)} s (${(first.cpuMs / 1000).toFixed(2)} ms per case)`,
      '1,000 cases: peak RSS': mb(first.maxRssBytes),
      'floor: bare openai client, same 1,000 calls': `${(floor.wallMs / 1000).toFixed(2)} s (${(floor.wallMs / ideal1k).toFixed(3)}×), CPU ${(floor.cpuMs / 1000).toFixed(2)} s, peak RSS ${mb(floor.maxRssBytes)}`,
      '1,000 cases: most requests at once': inFlight,
      '200 cases, every 10th a 429: wall': `${(storm.wallMs / 1000).toFixed(2)} s (${(storm.wallMs / ideal200).toFixed(2)}× the ideal ${(ideal200 / 1000).toFixed(2)} s)`,
      '200 cases, every 10th a 429: passed': `${storm.totals.passed} (${stormRequests} requests)`,
      'cached re-run of 1,000: wall': `${Math.round(cached.wallMs)} ms (${cachedRequests} requests, ${cached.totals.cached} cached; load + plan ${Math.round(cached.loadMs)} ms apart)`,
      'goal': '≤ 1.15× and < 150 MB; all pass ≤ 2×; cached < 1 s',
      'met': ok1 && ok2 && ok3 ? 'yes' : 'NO',
    };
  } finally {
    await fake.stop();
    for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
  }
}
