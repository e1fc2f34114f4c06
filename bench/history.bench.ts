// Listing the versions of one prompt in a repository of 10,000 commits, 1,000 of which
// touch the prompt (renamed once halfway). Goal: under 300 ms.
// The repository is written with `git fast-import` (seconds, not minutes) and cached.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { historyForId, promptHistory } from '../src/core/history/versions';
import { fastImportData as data, fastImportRepo, median, min, promptText } from './fixtures';
import { onMedian, type BenchResult, type QuickResult } from './goals';

const COMMITS = 10_000;
const TOUCHES = 1_000;
const OTHERS = 200;
const RUNS = 21;
const GOAL_MS = 300;
export const CACHE = path.resolve(__dirname, '../.cache/bench/history-10k-v1');
const OLD = 'prompts/answer.md';
export const TARGET = 'prompts/support/answer.md';

/** The fast-import stream: every 10th commit edits the target, the others edit one of 200 other prompts. */
function stream(): string {
  const parts: string[] = [];
  const every = COMMITS / TOUCHES;
  for (let i = 1; i <= COMMITS; i++) {
    const when = 1_767_225_600 + i * 60;
    const touches = i % every === 1;
    const file = touches ? (i <= COMMITS / 2 ? OLD : TARGET) : `prompts/team-${i % 20}/prompt-${i % OTHERS}.md`;
    parts.push(
      `commit refs/heads/main\nmark :${i}\nauthor Bench <bench@example.com> ${when} +0000\ncommitter Bench <bench@example.com> ${when} +0000\n`,
    );
    parts.push(data(`${touches ? 'Edit answer' : 'Edit other'} prompt (${i})`));
    if (i > 1) parts.push(`from :${i - 1}\n`);
    // The rename: the first touch after halfway moves the file (content changed a little, still a rename).
    if (file === TARGET && i - every <= COMMITS / 2) parts.push(`D ${OLD}\n`);
    parts.push(`M 100644 inline ${file}\n${data(`${promptText(i % OTHERS)}\nRevision ${i}.\n`)}`);
  }
  return parts.join('');
}

/** The two bare `git log` walks the listing is built on (one per name), for the floor. */
function gitFloor(dir: string, renamedAt: string): number {
  const t = performance.now();
  for (const [rev, name] of [
    ['HEAD', TARGET],
    [`${renamedAt}^`, OLD],
  ]) {
    spawnSync('git', ['log', '-c', '--raw', '-z', '--no-abbrev', '--no-renames', '--format=%H', rev!, '--', name!], {
      cwd: dir,
      maxBuffer: 1 << 30,
    });
  }
  return performance.now() - t;
}

/** The cached 10,000-commit repository (written on first use). */
export function historyRepo(): { dir: string; generatedMs?: number } {
  return fastImportRepo(CACHE, TARGET, stream);
}

export async function run(): Promise<BenchResult> {
  const { dir, generatedMs } = historyRepo();
  const file = path.join(dir, TARGET);
  const first = performance.now();
  const h = await promptHistory(file);
  const cold = performance.now() - first;
  if (h.versions.length !== TOUCHES) throw new Error(`listed ${h.versions.length} versions, expected ${TOUCHES}`);
  if (h.versions.at(-1)!.gitPath !== OLD) throw new Error('the rename was not followed');
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await promptHistory(file);
    times.push(performance.now() - t);
  }
  const byId: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await historyForId(dir, 'support/answer');
    byId.push(performance.now() - t);
  }
  const renamedAt = h.versions.filter((v) => v.gitPath === TARGET).at(-1)!.sha;
  const floor = median(Array.from({ length: 5 }, () => gitFloor(dir, renamedAt)));
  const listing = median(times);
  return {
    numbers: {
      commits: COMMITS,
      'versions listed': h.versions.length,
      ...(generatedMs
        ? { 'repository generated (ms)': Math.round(generatedMs) }
        : { repository: `cached in ${path.relative(process.cwd(), CACHE)}` }),
      'first listing (ms)': Math.round(cold),
      'listing (median / max ms)': `${Math.round(listing)} / ${Math.round(Math.max(...times))}`,
      'bare git log, both names (median ms)': Math.round(floor),
      'by id, with workspace scan (median ms)': Math.round(median(byId)),
    },
    goals: [
      onMedian('history.listing', `listing 1,000 versions in 10,000 commits < ${GOAL_MS} ms`, times, GOAL_MS, 'ms'),
    ],
  };
}

/** The same repository: the listing against the two bare `git log` walks it is built on, alternately (fastest of 5). */
export async function quick(): Promise<QuickResult> {
  const { dir } = historyRepo();
  const file = path.join(dir, TARGET);
  const h = await promptHistory(file);
  const renamedAt = h.versions.filter((v) => v.gitPath === TARGET).at(-1)!.sha;
  const times: number[] = [];
  const floors: number[] = [];
  for (let i = 0; i < 5; i++) {
    floors.push(gitFloor(dir, renamedAt));
    const t = performance.now();
    await promptHistory(file);
    times.push(performance.now() - t);
  }
  return { 'history: listing ÷ bare git log walks, 10,000 commits': min(times) / min(floors) };
}
