// Indexing and validating 10,000 prompt files, against just reading them.
// Goal: under 1.5 s, and no more than 3× the time of reading the same files.
// The main repo has 5% of files with a problem; the worst case (every file) is reported too.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { globSync } from 'tinyglobby';
import { PromptWorkspace } from '../src/core/workspace/promptWorkspace';
import { bundleEntry, generatePromptRepo, mb, median, min } from './fixtures';
import { onMedian, type BenchResult, type QuickResult } from './goals';

const COUNT = 10_000;
const RUNS = 5;

function readOnly(root: string): number {
  const t = performance.now();
  let bytes = 0;
  for (const f of globSync(['prompts/**/*.md'], { cwd: root, absolute: true }))
    bytes += fs.readFileSync(f, 'utf8').length;
  if (bytes === 0) throw new Error('read nothing');
  return performance.now() - t;
}

function indexAndValidate(root: string): { ms: number; files: number; problems: number } {
  const t = performance.now();
  const ws = new PromptWorkspace(root);
  ws.scan();
  const diags = ws.validate();
  const ms = performance.now() - t;
  let problems = 0;
  for (const d of diags.values()) problems += d.length;
  return { ms, files: ws.fileCount, problems };
}

export async function run(): Promise<BenchResult> {
  const root = generatePromptRepo(COUNT);
  const worst = generatePromptRepo(COUNT, 1);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pr-bench-index-worker-'));
  try {
    readOnly(root); // warm the page cache so both sides read from memory
    const reads = Array.from({ length: RUNS }, () => readOnly(root));
    const read = median(reads);
    const results = Array.from({ length: RUNS }, () => indexAndValidate(root));
    const times = results.map((r) => r.ms);
    const index = median(times);
    if (results[0]!.files !== COUNT) throw new Error(`indexed ${results[0]!.files} files, expected ${COUNT}`);
    // Peak memory of a fresh process doing one index + validate: the worker bundled, run by plain node (no tsx).
    const worker = await bundleEntry(tmp, 'indexWorker');
    const child = spawnSync(process.execPath, [worker, root], { encoding: 'utf8' });
    const peak = Number(child.stdout.trim());
    if (!(peak > 0)) throw new Error(`index worker failed: ${child.stderr.slice(0, 300)}`);
    readOnly(worst);
    const worstMs = median(Array.from({ length: 3 }, () => indexAndValidate(worst).ms));
    return {
      numbers: {
        files: COUNT,
        'read only (median / max ms)': `${Math.round(read)} / ${Math.round(Math.max(...reads))}`,
        'index + validate (median / max ms)': `${Math.round(index)} / ${Math.round(Math.max(...times))}`,
        'ratio (medians)': Number((index / read).toFixed(2)),
        'peak RSS (fresh process, plain node)': mb(peak),
        'diagnostics found': results[0]!.problems,
        'worst case: every file has a problem (median ms)': Math.round(worstMs),
      },
      goals: [
        onMedian('index.absolute', 'index + validate 10,000 prompts < 1500 ms', times, 1500, 'ms'),
        // Each run's own ratio to the median read, so the maximum is a ratio too.
        onMedian(
          'index.ratio',
          'index + validate ≤ 3× reading the same files',
          times.map((t) => t / read),
          3,
          '×',
        ),
      ],
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(worst, { recursive: true, force: true });
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** 1,000 prompts: index + validate against reading them, alternately, fastest of 7 each, in the same process. */
export function quick(): QuickResult {
  const root = generatePromptRepo(1_000);
  try {
    readOnly(root);
    indexAndValidate(root);
    const reads: number[] = [];
    const index: number[] = [];
    for (let i = 0; i < 7; i++) {
      reads.push(readOnly(root));
      index.push(indexAndValidate(root).ms);
    }
    return { 'index: index + validate ÷ plain read, 1,000 prompts': min(index) / min(reads) };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
