import * as path from 'node:path';
import type { ParsedSuite } from '../suite/types';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** Parses `i/n` (1 ≤ i ≤ n); undefined when malformed. */
export function parseShard(s: string): Shard | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(s.trim());
  if (!m) return undefined;
  const index = Number(m[1]);
  const count = Number(m[2]);
  return count >= 1 && index >= 1 && index <= count ? { index, count } : undefined;
}

export interface SuiteSelection {
  /** Absolute files or folders: a suite is kept when it, or the prompt it tests, is one of them or inside one. */
  paths?: string[];
  /** Only suites of this prompt id. */
  promptId?: string;
  /** Only suites whose file or prompt file is in this set (from `changedSince`). */
  changed?: ReadonlySet<string>;
  /** Only suites whose prompt has this tag. */
  tag?: string;
  shard?: Shard;
}

/**
 * Picks suites and orders them by repo-relative path. Sharding comes last and
 * deals the sorted list round-robin, so every CI machine computes the same
 * split and the shards differ by at most one suite.
 */
export function selectSuites<
  T extends { suite: ParsedSuite; rel: string; promptId?: string; promptFile?: string; tags?: readonly string[] },
>(all: T[], sel: SuiteSelection): T[] {
  const inside = (file: string | undefined, p: string) =>
    !!file && (file === p || file.startsWith(p.endsWith(path.sep) ? p : p + path.sep));
  let out = [...all].sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  if (sel.paths?.length)
    out = out.filter((s) => sel.paths!.some((p) => inside(s.suite.file, p) || inside(s.promptFile, p)));
  if (sel.promptId !== undefined) out = out.filter((s) => s.promptId === sel.promptId);
  if (sel.changed)
    out = out.filter(
      (s) => (s.suite.file && sel.changed!.has(s.suite.file)) || (s.promptFile && sel.changed!.has(s.promptFile)),
    );
  if (sel.tag !== undefined) out = out.filter((s) => s.tags?.includes(sel.tag!));
  if (sel.shard) out = out.filter((_, i) => i % sel.shard!.count === sel.shard!.index - 1);
  return out;
}
