// Indexing and validating 10,000 prompt files, against just reading them.
// Goal: under 1.5 s, and no more than 3× the time of reading the same files.
// The main repo has 5% of files with a problem; the worst case (every file) is reported too.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { globSync } from 'tinyglobby';
import { PromptWorkspace } from '../src/core/workspace/promptWorkspace';
import { generatePromptRepo, mb, median } from './fixtures';

const COUNT = 10_000;
const RUNS = 5;

function readOnly(root: string): number {
  const t = performance.now();
  let bytes = 0;
  for (const f of globSync(['prompts/**/*.md'], { cwd: root, absolute: true })) bytes += fs.readFileSync(f, 'utf8').length;
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

export function run(): Record<string, string | number> {
  const root = generatePromptRepo(COUNT);
  const worst = generatePromptRepo(COUNT, 1);
  try {
    readOnly(root); // warm the page cache so both sides read from memory
    const read = median(Array.from({ length: RUNS }, () => readOnly(root)));
    const results = Array.from({ length: RUNS }, () => indexAndValidate(root));
    const index = median(results.map((r) => r.ms));
    if (results[0]!.files !== COUNT) throw new Error(`indexed ${results[0]!.files} files, expected ${COUNT}`);
    // Peak memory of a fresh process doing one index + validate.
    const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', `
      const { PromptWorkspace } = require(${JSON.stringify(require.resolve('../src/core/workspace/promptWorkspace'))});
      const ws = new PromptWorkspace(${JSON.stringify(root)}); ws.scan(); ws.validate();
      process.stdout.write(String(process.resourceUsage().maxRSS * 1024));
    `], { encoding: 'utf8' });
    const peak = Number(child.stdout.trim());
    readOnly(worst);
    const worstMs = median(Array.from({ length: 3 }, () => indexAndValidate(worst).ms));
    return {
      'files': COUNT,
      'read only (median ms)': Math.round(read),
      'index + validate (median ms)': Math.round(index),
      'ratio': Number((index / read).toFixed(2)),
      'goal': 'index < 1500 ms and ratio <= 3',
      'met': index < 1500 && index / read <= 3 ? 'yes' : 'NO',
      'peak RSS (fresh process)': Number.isFinite(peak) && peak > 0 ? mb(peak) : `unknown (${child.stderr.trim().slice(0, 200)})`,
      'diagnostics found': results[0]!.problems,
      'worst case: every file has a problem (median ms)': Math.round(worstMs),
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(worst, { recursive: true, force: true });
  }
}
