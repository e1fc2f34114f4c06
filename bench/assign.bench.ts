// Bulk assign over 1,000 prompt files through the core, with atomic writes.
// Goal: under 1 s, and every file byte-identical except for the model value.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assignModelToFiles } from '../src/core/assign/assign';
import { median, min } from './fixtures';
import { onMedian, type BenchResult, type QuickResult } from './goals';

const COUNT = 1_000;
const RUNS = 5;

/** Varied layouts, so preservation is checked on more than one shape. */
function fileText(i: number, model: string): string {
  const eol = i % 3 === 0 ? '\r\n' : '\n';
  const modelLine = [`model: ${model}`, `model: "${model}"`, `model: '${model}'   # pinned by the team`][i % 3];
  return [
    '---',
    `# prompt ${i}: owned by team ${i % 7}`,
    `name: Prompt ${i}`,
    modelLine,
    'temperature: 0.3',
    'inputs: {customer: {type: string, required: true}, question: {type: string}}',
    'tags: [bench, "quoted tag"]',
    '---',
    'You help customers. Be brief.',
    'user:',
    '{{customer}} asks: {{question}}',
    '',
  ].join(eol);
}

async function measure(count: number, runs: number) {
  const times: number[] = [];
  const floors: number[] = [];
  let mismatches = 0;
  let failed = 0;
  for (let r = 0; r < runs; r++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pr-bench-assign-'));
    const files = Array.from({ length: count }, (_, i) => {
      const f = path.join(dir, `p${i}.md`);
      fs.writeFileSync(f, fileText(i, 'gpt-4o'));
      return f;
    });
    const t = performance.now();
    const out = await assignModelToFiles(files, 'gpt-4o-mini');
    times.push(performance.now() - t);
    failed += out.filter((o) => o.status !== 'updated').length;
    files.forEach((f, i) => {
      if (fs.readFileSync(f, 'utf8') !== fileText(i, 'gpt-4o-mini')) mismatches++;
    });
    // The disk's own floor for the same work: read, then write a temp file and rename it over, no parsing.
    const f0 = performance.now();
    files.forEach((f, i) => {
      fs.readFileSync(f, 'utf8');
      fs.writeFileSync(`${f}.tmp`, fileText(i, 'gpt-4o'));
      fs.renameSync(`${f}.tmp`, f);
    });
    floors.push(performance.now() - f0);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { times, floors, mismatches, failed };
}

export async function run(): Promise<BenchResult> {
  const { times, floors, mismatches, failed } = await measure(COUNT, RUNS);
  const ms = median(times);
  return {
    numbers: {
      files: COUNT,
      'assign (median / max ms)': `${Math.round(ms)} / ${Math.round(Math.max(...times))}`,
      'per file (µs)': Math.round((ms * 1000) / COUNT),
      'disk floor: read + write + rename (median ms)': Math.round(median(floors)),
      'files not byte-identical but the model': mismatches,
      failures: failed,
    },
    goals: [
      onMedian('assign.time', 'assign over 1,000 files < 1000 ms', times, 1000, 'ms'),
      {
        id: 'assign.identical',
        what: 'every file byte-identical except the model, no failure',
        on: 'single',
        value: mismatches + failed,
        limit: 0,
        unit: 'files wrong',
      },
    ],
  };
}

/** 200 files: assign against the disk's own read + write + rename of the same files, right after it (fastest of 5). */
export async function quick(): Promise<QuickResult> {
  const { times, floors, mismatches, failed } = await measure(200, 5);
  if (mismatches || failed) throw new Error(`bulk assign: ${mismatches} files not byte-identical, ${failed} failures`);
  return { 'assign: assign ÷ disk floor (read + write + rename), 200 files': min(times) / min(floors) };
}
