// `prompt-registry diff` between two refs 500 commits apart that change 200 of 2,000 prompts
// (170 edited in place, 10 renamed, 10 removed, 10 added). Goal: under 2 s.
// The repository is written with `git fast-import` and cached under the OS temp folder.
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { reviewMarkdown } from '../src/core/review/markdown';
import { buildReview } from '../src/core/review/report';
import { fastImportData, fastImportRepo, median, min } from './fixtures';
import { onMedian, type BenchResult, type QuickResult } from './goals';

const PROMPTS = 2_000;
const COMMITS = 500;
const CHANGED = 200;
const RUNS = 7;
const GOAL_MS = 2_000;
const CACHE = path.join(os.tmpdir(), 'prompt-registry-bench-diff-v1');
const MODELS = [
  ['gpt-4o', 2.5, 10],
  ['gpt-4o-mini', 0.15, 0.6],
  ['gpt-4.1', 2, 8],
  ['gpt-5', 0.625, 5],
] as const;

function catalog(): string {
  const at = '2026-01-01';
  return JSON.stringify({
    version: 1,
    providers: {},
    models: MODELS.map(([id, input, output]) => ({
      id,
      provider: 'openai',
      active: true,
      contextWindow: 128_000,
      inputPricePer1M: input,
      outputPricePer1M: output,
      firstSeen: at,
      lastSeen: at,
      updatedAt: at,
    })),
  });
}

/** Prompt `i` after `rev` edits; which field an edit touches depends on i (model, params, inputs, body, max_tokens). */
function prompt(i: number, rev: number): string {
  const kind = i % 5;
  const model = MODELS[(i + (kind === 0 ? rev : 0)) % MODELS.length]![0];
  const extra =
    kind === 2 ? Array.from({ length: rev }, (_, k) => `  extra_${k}: { type: string, default: x }\n`).join('') : '';
  const lines =
    kind === 3 || kind === 2
      ? Array.from(
          { length: rev },
          (_, k) => `Extra rule ${k} for prompt ${i}${kind === 2 ? `: {{extra_${k}}}` : '.'}`,
        ).join('\n')
      : '';
  return `---
name: Prompt ${i}
description: Generated prompt number ${i} for the diff benchmark.
model: ${model}
temperature: ${kind === 1 ? ((i + rev) % 10) / 10 : 0.3}
max_tokens: ${kind === 4 ? 300 + rev * 100 : 400}
inputs:
  customer: { type: string, required: true }
  question: { type: string, description: What the customer asked. }
  tone: { type: string, enum: [friendly, formal], default: friendly }
${extra}tags: [bench, team-${i % 20}]
---
You are a helpful assistant for team ${i % 20}. Answer in a {{tone}} tone.
Keep answers short and concrete. Never invent facts.
${lines}
user:
Customer {{customer}} asks:
{{question}}
`;
}

/** A prompt unlike the generated ones, so git does not take its addition for a rename of a removed one. */
function freshPrompt(i: number, rev: number): string {
  const rules = Array.from(
    { length: 12 },
    (_, k) => `${k + 1}. Rule ${k} of the new checklist ${i}, revision ${rev}: cite the source document and page.`,
  );
  return `---\nmodel: gpt-5\ninputs:\n  document: {}\n---\nYou audit documents against a checklist.\n${rules.join('\n')}\n\nuser:\n{{document}}\n`;
}

const pathOf = (i: number) => `prompts/team-${i % 20}/prompt-${i}.md`;
const movedPath = (i: number) => `prompts/moved/prompt-${i}.md`;
const newPath = (i: number) => `prompts/new/prompt-${i}.md`;

/**
 * Commit 1 (tag base) holds every prompt; commits 2…501 (tag head) each touch
 * one of the 200 targets in turn: targets 0–9 are renamed on their first touch,
 * 10–19 removed, 20–29 added, the rest edited; later touches edit again.
 */
function stream(): string {
  const parts: string[] = [];
  const commit = (n: number, msg: string) => {
    const when = 1_767_225_600 + n * 60;
    parts.push(
      `commit refs/heads/main\nmark :${n}\nauthor Bench <bench@example.com> ${when} +0000\ncommitter Bench <bench@example.com> ${when} +0000\n`,
      fastImportData(msg),
    );
    if (n > 1) parts.push(`from :${n - 1}\n`);
  };
  const put = (p: string, text: string) => parts.push(`M 100644 inline ${p}\n${fastImportData(text)}`);
  commit(1, 'Base');
  put('prompt-registry.yaml', 'defaultModel: gpt-4o\n');
  put('.prompt-registry/catalog.json', catalog());
  for (let i = 0; i < PROMPTS; i++) if (i < 20 || i >= 30) put(pathOf(i), prompt(i, 0));
  parts.push('reset refs/tags/base\nfrom :1\n');
  for (let n = 2; n <= COMMITS + 1; n++) {
    const t = (n - 2) % CHANGED;
    const rev = Math.floor((n - 2) / CHANGED) + 1;
    commit(n, `Edit prompt ${t} (${n})`);
    if (t < 10) {
      if (rev === 1) parts.push(`D ${pathOf(t)}\n`);
      put(movedPath(t), prompt(t, rev));
    } else if (t < 20) {
      if (rev === 1) parts.push(`D ${pathOf(t)}\n`);
      else put('notes/log.txt', `commit ${n}\n`);
    } else if (t < 30) put(newPath(t), freshPrompt(t, rev));
    else put(pathOf(t), prompt(t, rev));
  }
  parts.push(`reset refs/tags/head\nfrom :${COMMITS + 1}\n`);
  return parts.join('');
}

/** What `prompt-registry diff base head` does after parsing its arguments. */
async function review(dir: string): Promise<{ ms: number; entries: number; statuses: Record<string, number> }> {
  const t = performance.now();
  const r = await buildReview(dir, 'base', 'head');
  reviewMarkdown(r);
  JSON.stringify(r);
  return { ms: performance.now() - t, entries: r.entries.length, statuses: r.counts };
}

const diffRepo = () => fastImportRepo(CACHE, '.git/refs/tags/head', stream);

function checkPairing(first: { entries: number; statuses: Record<string, number> }) {
  if (first.entries !== CHANGED)
    throw new Error(`reviewed ${first.entries} prompts, expected ${CHANGED}: ${JSON.stringify(first.statuses)}`);
  if (first.statuses.renamed !== 10 || first.statuses.removed !== 10 || first.statuses.added !== 10)
    throw new Error(`wrong pairing: ${JSON.stringify(first.statuses)}`);
}

export async function run(): Promise<BenchResult> {
  const { dir, generatedMs } = diffRepo();
  const first = await review(dir);
  checkPairing(first);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push((await review(dir)).ms);
  // The whole command in a fresh process (through tsx, which transpiles on the fly; the bundled CLI starts faster).
  const cli: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.resolve(__dirname, '../src/cli/bin.ts'), '--root', dir, 'diff', 'base', 'head'],
      { encoding: 'utf8', maxBuffer: 1 << 28 },
    );
    if (r.status !== 0) throw new Error(`diff exited ${r.status}: ${r.stderr.slice(0, 300)}`);
    cli.push(performance.now() - t);
  }
  const ms = median(times);
  return {
    numbers: {
      prompts: PROMPTS,
      'commits between refs': COMMITS,
      'prompts changed': `${CHANGED} (${Object.entries(first.statuses)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ')})`,
      ...(generatedMs
        ? { 'repository generated (ms)': Math.round(generatedMs) }
        : { repository: `cached in ${CACHE}` }),
      'first review (ms)': Math.round(first.ms),
      'review + Markdown + JSON (median / max ms)': `${Math.round(ms)} / ${Math.round(Math.max(...times))}`,
      'CLI process via tsx (median ms)': Math.round(median(cli)),
    },
    goals: [onMedian('diff.review', `review of 200 changed prompts < ${GOAL_MS} ms`, times, GOAL_MS, 'ms')],
  };
}

/** Git alone reading what the review reads: both trees listed and every prompt blob of both refs read. */
function gitReadFloor(dir: string): number {
  const t = performance.now();
  const shas: string[] = [];
  for (const ref of ['base', 'head']) {
    const ls = spawnSync('git', ['ls-tree', '-r', '-z', ref, '--', 'prompts'], {
      cwd: dir,
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    for (const entry of ls.stdout.split('\0')) if (entry) shas.push(entry.split(/\s/)[2]!);
  }
  const r = spawnSync('git', ['cat-file', '--batch'], { cwd: dir, input: `${shas.join('\n')}\n`, maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error('git cat-file failed');
  return performance.now() - t;
}

/** The same repository: the review against git reading the same blobs, alternately (fastest of 5). */
export async function quick(): Promise<QuickResult> {
  const { dir } = diffRepo();
  checkPairing(await review(dir));
  const times: number[] = [];
  const floors: number[] = [];
  for (let i = 0; i < 5; i++) {
    floors.push(gitReadFloor(dir));
    times.push((await review(dir)).ms);
  }
  return { "diff: review ÷ git reading both refs' prompts": min(times) / min(floors) };
}
