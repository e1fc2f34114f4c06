import { git } from '../git/git';
import type { PromptAtRef } from '../workspace/promptsAtRef';

export type PairStatus = 'added' | 'removed' | 'renamed' | 'changed';

export interface PromptPair {
  status: PairStatus;
  before?: PromptAtRef;
  after?: PromptAtRef;
}

/**
 * Matches the prompts of two refs, and returns those that differ. A prompt is
 * the same one when, in this order: its path is the same; its id is the same
 * (an explicit id survives a move); its bytes are the same (a pure move); or
 * `git diff -M` pairs the two paths as a rename (git's similarity index, 50 %
 * by default). Pairs with a different path are `renamed`, whatever else changed.
 */
export async function pairPrompts(
  top: string,
  baseCommit: string,
  headCommit: string,
  before: PromptAtRef[],
  after: PromptAtRef[],
): Promise<PromptPair[]> {
  const pairs: PromptPair[] = [];
  const left = new Set(before);
  const right = new Set(after);
  const take = (b: PromptAtRef, a: PromptAtRef) => {
    left.delete(b);
    right.delete(a);
    if (b.path !== a.path) pairs.push({ status: 'renamed', before: b, after: a });
    else if (b.blobSha !== a.blobSha) pairs.push({ status: 'changed', before: b, after: a });
  };
  const byPath = new Map(after.map((p) => [p.gitPath, p]));
  for (const b of before) {
    const a = byPath.get(b.gitPath);
    if (a) take(b, a);
  }
  matchUnique(left, right, (p) => p.id, take);
  matchUnique(left, right, (p) => p.blobSha, take);
  if (left.size && right.size) {
    const renames = await gitRenames(top, baseCommit, headCommit);
    const afterByPath = new Map([...right].map((p) => [p.gitPath, p]));
    for (const b of [...left]) {
      const a = afterByPath.get(renames.get(b.gitPath) ?? '');
      if (a && right.has(a)) take(b, a);
    }
  }
  for (const b of left) pairs.push({ status: 'removed', before: b });
  for (const a of right) pairs.push({ status: 'added', after: a });
  return pairs;
}

/** Pairs items whose key occurs exactly once on each side: a duplicated id or blob is no evidence. */
function matchUnique(
  left: Set<PromptAtRef>,
  right: Set<PromptAtRef>,
  key: (p: PromptAtRef) => string,
  take: (b: PromptAtRef, a: PromptAtRef) => void,
): void {
  const index = (items: Set<PromptAtRef>) => {
    const m = new Map<string, PromptAtRef | null>();
    for (const p of items) m.set(key(p), m.has(key(p)) ? null : p);
    return m;
  };
  const r = index(right);
  for (const [k, b] of index(left)) {
    const a = r.get(k);
    if (b && a) take(b, a);
  }
}

/** Old path → new path for each rename git detects between two commits. */
async function gitRenames(top: string, base: string, head: string): Promise<Map<string, string>> {
  const out = await git(top, ['diff', '-M', '--name-status', '-z', '--diff-filter=R', base, head, '--']);
  const fields = out.split('\0');
  const renames = new Map<string, string>();
  // Records are "R<score>", old path, new path.
  for (let i = 0; i + 2 < fields.length; i += 3) {
    if (fields[i]!.startsWith('R')) renames.set(fields[i + 1]!, fields[i + 2]!);
  }
  return renames;
}
