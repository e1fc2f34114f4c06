// Suite runner against a loopback OpenAI-compatible server answering in 50 ms, concurrency 8.
// Goals (issue 5): 1,000 cases within 1.15× the ideal (N × latency ÷ concurrency = 6.25 s) and peak
// memory under 150 MB; every 10th request a 429 with retry-after-ms 100: 200 cases all pass within
// 2× the ideal; a cached re-run of the 1,000 cases under 1 s.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeOpenAI } from '../test/support/fakeOpenAI';
import { bundleEntry, mb } from './fixtures';
import type { BenchResult, QuickResult } from './goals';

export const LATENCY_MS = 50;
export const CONCURRENCY = 8;

/** `cases` cases spread over 10 prompts, each with a suite next to it. */
export function workspace(baseURL: string, cases: number): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pr-bench-run-'));
  const models = ['m1'].map((id) => ({
    id,
    provider: 'fake',
    active: true,
    firstSeen: '2026-01-01',
    lastSeen: '2026-01-01',
    updatedAt: '2026-01-01',
    inputPricePer1M: 1,
    outputPricePer1M: 2,
  }));
  fs.mkdirSync(path.join(root, '.prompt-registry'), { recursive: true });
  fs.writeFileSync(
    path.join(root, '.prompt-registry/catalog.json'),
    JSON.stringify({ version: 1, providers: {}, models }),
  );
  fs.writeFileSync(path.join(root, 'prompt-registry.yaml'), `providers:\n  - name: fake\n    baseURL: ${baseURL}\n`);
  const perSuite = cases / 10;
  for (let p = 0; p < 10; p++) {
    const dir = path.join(root, 'prompts', `team-${p}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'ask.md'),
      `---\nmodel: m1\ntemperature: 0\ninputs:\n  question: {required: true}\n---\nYou answer questions for team ${p}. Be brief.\n\nuser:\n{{question}}\n`,
    );
    const lines = ['defaults:', '  assert: [{type: max-latency-ms, value: 5000}]', 'cases:'];
    for (let i = 0; i < perSuite; i++)
      lines.push(
        `  - name: case ${i}`,
        `    vars: {question: "question ${p}-${i}"}`,
        `    assert: [{type: contains, value: "QUESTION ${p}-${i}"}]`,
      );
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

/** Runs the suites in a fresh process, so its peak RSS is the runner's alone (the server lives here). */
function runChild(worker: string, root: string, cache: boolean): Promise<ChildResult> {
  return spawnJson<ChildResult>(worker, [root, JSON.stringify({ concurrency: CONCURRENCY, cache })]);
}

export function spawnJson<T>(script: string, args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(out) as T) : reject(new Error(`runner exited ${code}: ${err.slice(0, 500)}`)),
    );
  });
}

export async function run(): Promise<BenchResult> {
  const fake = await new FakeOpenAI().start();
  fake.keepBodies = false;
  fake.chatLatencyMs = LATENCY_MS;
  const roots: string[] = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pr-bench-worker-'));
  roots.push(tmp);
  try {
    const worker = await bundleEntry(tmp, 'runWorker');
    const floorScript = await bundleEntry(tmp, 'openaiFloor');
    const big = workspace(fake.baseURL, 1000);
    roots.push(big);
    const ideal1k = (1000 * LATENCY_MS) / CONCURRENCY;
    const floor = await spawnJson<{ wallMs: number; cpuMs: number; maxRssBytes: number }>(floorScript, [
      fake.baseURL,
      '1000',
      String(CONCURRENCY),
    ]);
    const first = await runChild(worker, big, true);
    const inFlight = fake.maxInFlight;

    const before = fake.requests.length;
    const cached = await runChild(worker, big, true);
    const cachedRequests = fake.requests.length - before;

    const small = workspace(fake.baseURL, 200);
    roots.push(small);
    fake.chatFaultFor = (n) =>
      n % 10 === 0 ? { kind: 'status', status: 429, headers: { 'retry-after-ms': '100' } } : undefined;
    const faultStart = fake.requests.length;
    const storm = await runChild(worker, small, false);
    const stormRequests = fake.requests.length - faultStart;
    const ideal200 = (200 * LATENCY_MS) / CONCURRENCY;

    return {
      numbers: {
        '1,000 cases: wall': `${(first.wallMs / 1000).toFixed(2)} s (${(first.wallMs / ideal1k).toFixed(3)}× the ideal ${(ideal1k / 1000).toFixed(2)} s)`,
        '1,000 cases: passed': `${first.totals.passed}${first.firstError ? ` (first error: ${first.firstError})` : ''}`,
        '1,000 cases: load + plan (apart)': `${Math.round(first.loadMs)} ms`,
        '1,000 cases: runner CPU': `${(first.cpuMs / 1000).toFixed(2)} s (${(first.cpuMs / 1000).toFixed(2)} ms per case)`,
        '1,000 cases: peak RSS (plain node)': mb(first.maxRssBytes),
        'floor: bare openai client, same 1,000 calls': `${(floor.wallMs / 1000).toFixed(2)} s (${(floor.wallMs / ideal1k).toFixed(3)}×), CPU ${(floor.cpuMs / 1000).toFixed(2)} s, peak RSS ${mb(floor.maxRssBytes)}`,
        '1,000 cases: most requests at once': inFlight,
        '200 cases, every 10th a 429: wall': `${(storm.wallMs / 1000).toFixed(2)} s (${(storm.wallMs / ideal200).toFixed(2)}× the ideal ${(ideal200 / 1000).toFixed(2)} s)`,
        '200 cases, every 10th a 429: passed': `${storm.totals.passed} (${stormRequests} requests)`,
        'cached re-run of 1,000: wall': `${Math.round(cached.wallMs)} ms (${cachedRequests} requests, ${cached.totals.cached} cached; load + plan ${Math.round(cached.loadMs)} ms apart)`,
      },
      goals: [
        {
          id: 'run.passed',
          what: '1,000 cases all pass',
          on: 'single',
          value: first.totals.passed,
          limit: 1000,
          atLeast: true,
          unit: 'cases',
        },
        {
          id: 'run.wall',
          what: '1,000 cases ≤ 1.15× the ideal',
          on: 'single',
          value: first.wallMs / ideal1k,
          limit: 1.15,
          unit: '×',
        },
        {
          id: 'run.rss',
          what: '1,000 cases: peak RSS < 150 MB',
          on: 'single',
          value: first.maxRssBytes / 1048576,
          limit: 149.99,
          unit: 'MB',
        },
        {
          id: 'run.429',
          what: '200 cases with every 10th a 429: all pass within 2× the ideal',
          on: 'single',
          value: storm.totals.passed === 200 ? storm.wallMs / ideal200 : Infinity,
          limit: 2,
          unit: '×',
        },
        {
          id: 'run.cached',
          what: 'cached re-run of 1,000 < 1000 ms, no request',
          on: 'single',
          value: cached.totals.cached === 1000 && cachedRequests === 0 ? cached.wallMs : Infinity,
          limit: 1000,
          unit: 'ms',
        },
      ],
    };
  } finally {
    await fake.stop();
    for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
  }
}

/** 200 cases (cache off) against the bare client making the same 200 calls, in the same run. */
export async function quick(): Promise<QuickResult> {
  const fake = await new FakeOpenAI().start();
  fake.keepBodies = false;
  fake.chatLatencyMs = LATENCY_MS;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pr-bench-worker-'));
  const root = workspace(fake.baseURL, 200);
  try {
    const worker = await bundleEntry(tmp, 'runWorker');
    const floorScript = await bundleEntry(tmp, 'openaiFloor');
    const floor = await spawnJson<{ wallMs: number; cpuMs: number }>(floorScript, [
      fake.baseURL,
      '200',
      String(CONCURRENCY),
    ]);
    const r = await runChild(worker, root, false);
    if (r.totals.passed !== 200) throw new Error(`suite runner: ${r.totals.passed} of 200 passed (${r.firstError})`);
    // Wall time catches lost concurrency; CPU time (which load hardly moves) catches per-case overhead.
    return {
      'run: 200 cases ÷ bare client, same calls, wall': r.wallMs / floor.wallMs,
      'run: 200 cases ÷ bare client, same calls, CPU': r.cpuMs / floor.cpuMs,
    };
  } finally {
    await fake.stop();
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
