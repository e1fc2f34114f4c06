// What a benchmark hands back, and how a run decides which goals regressed. A goal is judged on one
// statistic (the median of several runs, the maximum, or a single run) and both median and maximum are
// reported; its status is compared with the one recorded in bench/baseline.json.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { median } from './fixtures';

export type Stat = 'median' | 'max' | 'single';

export interface Goal {
  /** Stable key in bench/baseline.json. */
  id: string;
  /** The goal in words, e.g. "index + validate < 1500 ms". */
  what: string;
  on: Stat;
  /** The measured value the goal is judged on (the median, the maximum or the single run). */
  value: number;
  /** Met when value <= limit (or, with atLeast, value >= limit). */
  limit: number;
  atLeast?: boolean;
  unit: string;
  median?: number;
  max?: number;
}

export interface BenchResult {
  numbers: Record<string, string | number>;
  goals: Goal[];
}

/**
 * Ratios to a floor measured in the same run (node -e 0, a plain read, the bare client, git alone), so
 * a loaded machine moves both sides: `--quick` fails when one exceeds 2× its recorded value.
 */
export type QuickResult = Record<string, number>;

/** What a goal was when the baseline was recorded. A known floor is a goal this machine cannot meet (the note says why). */
export type Status = 'met' | 'not met' | 'known floor';

export interface Baseline {
  recorded: string;
  machine: string;
  goals: Record<string, { status: Status; what: string; value: number; note?: string }>;
  quick: Record<string, number>;
}

export const BASELINE_FILE = path.join(__dirname, 'baseline.json');
export const QUICK_FACTOR = 2;

export function readBaseline(): Baseline | undefined {
  try {
    return JSON.parse(fs.readFileSync(BASELINE_FILE, 'utf8')) as Baseline;
  } catch {
    return undefined;
  }
}

export const isMet = (g: Goal): boolean => (g.atLeast ? g.value >= g.limit : g.value <= g.limit);

export type Verdict = 'met' | 'REGRESSED' | 'not met' | 'known floor' | 'not met (no record)';

/** Only a goal recorded as met and now missed is a regression; the others say what they are. */
export function verdict(g: Goal, baseline: Baseline | undefined): Verdict {
  if (isMet(g)) return 'met';
  const was = baseline?.goals[g.id]?.status;
  if (was === 'met') return 'REGRESSED';
  if (was === 'known floor') return 'known floor';
  if (was === 'not met') return 'not met';
  return 'not met (no record)';
}

const num = (v: number | undefined, unit: string) =>
  v === undefined
    ? ''
    : `${Number.isInteger(v) ? v : Number(v.toFixed(v < 10 ? 3 : 1))}${unit === '×' ? '×' : ` ${unit}`}`;

export function describeGoal(g: Goal, v: Verdict): string {
  const both =
    g.median !== undefined || g.max !== undefined
      ? ` (median ${num(g.median, g.unit)}, max ${num(g.max, g.unit)})`
      : '';
  return `${v.padEnd(12)} ${g.what} — on the ${g.on === 'single' ? 'single run' : g.on}: ${num(g.value, g.unit)}${both}`;
}

/**
 * The new baseline after a full run: a met goal is recorded as met; a goal recorded as met is never
 * downgraded here (a regression is fixed, or the file is edited by hand with a note); "known floor"
 * and notes are kept.
 */
export function nextBaseline(
  old: Baseline | undefined,
  goals: Goal[],
  quick: QuickResult,
  machine: string,
  onlySome: boolean,
): Baseline {
  const out: Baseline = {
    recorded: new Date().toISOString(),
    machine,
    goals: onlySome ? { ...(old?.goals ?? {}) } : {},
    quick: onlySome ? { ...(old?.quick ?? {}) } : {},
  };
  for (const g of goals) {
    const prev = old?.goals[g.id];
    const status: Status = isMet(g) ? 'met' : (prev?.status ?? 'not met');
    out.goals[g.id] = {
      status,
      what: g.what,
      value: Number(g.value.toFixed(3)),
      ...(prev?.note ? { note: prev.note } : {}),
    };
  }
  for (const [k, v] of Object.entries(quick)) out.quick[k] = Number(v.toFixed(3));
  return out;
}

/** A goal on the median of `xs` (maximum reported too). */
export function onMedian(id: string, what: string, xs: number[], limit: number, unit: string): Goal {
  const m = median(xs);
  return { id, what, on: 'median', value: m, limit, unit, median: m, max: Math.max(...xs) };
}
