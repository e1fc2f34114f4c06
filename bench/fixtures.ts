import { spawnSync } from 'node:child_process';
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const GOOD_MODELS = ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-5'];
const BAD_MODELS = ['legacy-model', 'gpt-4oo', 'gpt-4.1-mini'];
const MODELS = [...GOOD_MODELS, ...BAD_MODELS];

/**
 * A repository of `count` realistic prompts. `problemRate` of them have a problem
 * (inactive, unknown or not-enabled model, or an undeclared variable).
 */
export function generatePromptRepo(count: number, problemRate = 0.05): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pr-bench-'));
  const at = '2026-01-01T00:00:00.000Z';
  const models = MODELS.filter((m) => m !== 'gpt-4oo').map((id) => ({
    id,
    provider: 'openai',
    active: id !== 'legacy-model',
    inputPricePer1M: 1,
    outputPricePer1M: 2,
    contextWindow: 128000,
    firstSeen: at,
    lastSeen: at,
    updatedAt: at,
  }));
  fs.mkdirSync(path.join(root, '.prompt-registry'));
  fs.writeFileSync(
    path.join(root, '.prompt-registry/catalog.json'),
    JSON.stringify({ version: 1, providers: {}, models }),
  );
  fs.writeFileSync(
    path.join(root, 'prompt-registry.yaml'),
    'defaultModel: gpt-4o\nmodels:\n  enabled: [gpt-4o, gpt-4o-mini, gpt-4.1, gpt-5]\n',
  );
  for (let i = 0; i < count; i++) {
    const dir = path.join(root, 'prompts', `team-${i % 20}`, `area-${i % 7}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `prompt-${i}.md`), promptText(i, (i * 7919) % 1000 < problemRate * 1000));
  }
  return root;
}

export function promptText(i: number, problem = false): string {
  return `---
name: Prompt ${i}
description: Generated prompt number ${i} for the benchmark.
model: ${problem && i % 4 !== 3 ? BAD_MODELS[i % BAD_MODELS.length] : GOOD_MODELS[i % GOOD_MODELS.length]}
temperature: ${(i % 10) / 10}
max_tokens: ${200 + (i % 5) * 100}
inputs:
  customer:
    type: string
    required: true
  question:
    type: string
    description: What the customer asked.
  tone:
    type: string
    enum: [friendly, formal]
    default: friendly
tags: [bench, team-${i % 20}]
---
You are a helpful assistant for team ${i % 20}. Answer in a {{tone}} tone.
Keep answers short and concrete. Never invent facts.

user:
Customer {{customer}} asks:
{{question}}
${problem && i % 4 === 3 ? '{{undeclared}}\n' : ''}`;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** The fastest of several runs: load only ever adds time, so quick ratios compare minimums. */
export function min(xs: number[]): number {
  return Math.min(...xs);
}

export function mb(bytes: number): string {
  return `${(bytes / 1048576).toFixed(0)} MB`;
}

/**
 * A git repository written by `git fast-import` from `stream` into `dir` and
 * checked out, reused while `ready` (a path inside it) exists: generating
 * thousands of commits takes seconds this way, minutes through `git commit`.
 */
export function fastImportRepo(
  dir: string,
  ready: string,
  stream: () => string,
): { dir: string; generatedMs?: number } {
  if (fs.existsSync(path.join(dir, ready))) return { dir };
  const t = performance.now();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const run = (args: string[], input?: string) => {
    const r = spawnSync('git', args, { cwd: dir, input, encoding: 'utf8', maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`git ${args[0]} failed: ${r.stderr}`);
  };
  run(['init', '-q', '-b', 'main']);
  run(['fast-import', '--quiet'], stream());
  run(['checkout', '-q', '-f', 'main']);
  return { dir, generatedMs: performance.now() - t };
}

/** A fast-import `data` command. */
export function fastImportData(s: string): string {
  return `data ${Buffer.byteLength(s)}\n${s}\n`;
}

/**
 * bench/<name>.ts bundled into `dir` as the CLI is (esbuild, CommonJS, run by plain node), so a child
 * process's peak RSS and start-up are our code's alone: tsx in the process adds ~70 MB and its own work.
 */
export async function bundleEntry(dir: string, name: string): Promise<string> {
  const outfile = path.join(dir, `${name}.js`);
  await esbuild.build({
    entryPoints: [path.join(__dirname, `${name}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    mainFields: ['module', 'main'],
    logLevel: 'warning',
    define: { 'import.meta.url': '__importMetaUrl' },
    banner: { js: 'const __importMetaUrl = require("url").pathToFileURL(__filename).href;' },
  });
  return outfile;
}
