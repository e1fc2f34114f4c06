import * as path from 'node:path';
import { chooseSuites } from './planRun';
import type { Project } from './project';

/** One way of choosing suites in "Run Tests…"; several are combined as a union. */
export type SuiteScope =
  | { kind: 'all' }
  /** The suites of a prompt file, or the suite file itself. */
  | { kind: 'file'; file: string }
  | { kind: 'changed'; ref: string }
  | { kind: 'tag'; tag: string }
  /** Registry-relative folder, forward slashes ("" is the registry root). */
  | { kind: 'folder'; folder: string }
  | { kind: 'failed' };

export interface ScopeFacts {
  /** Files changed since each `changed` scope's ref (from `changedSince`). */
  changed?: ReadonlyMap<string, ReadonlySet<string>>;
  /** Case ids ("<suite file>#<case name>") that failed last time and still exist. */
  failed?: readonly string[];
}

/**
 * The test ids a set of scopes runs: suite files in path order, then the failed
 * cases whose suite is not already chosen whole. Empty when nothing matches.
 */
export function idsForScopes(project: Project, scopes: readonly SuiteScope[], facts: ScopeFacts = {}): string[] {
  const suites = new Set<string>();
  let failed: readonly string[] = [];
  for (const s of scopes) {
    if (s.kind === 'failed') {
      failed = facts.failed ?? [];
      continue;
    }
    const selection =
      s.kind === 'all'
        ? {}
        : s.kind === 'file'
          ? { paths: [s.file] }
          : s.kind === 'folder'
            ? { paths: [path.resolve(project.root, s.folder)] }
            : s.kind === 'tag'
              ? { tag: s.tag }
              : { changed: facts.changed?.get(s.ref) ?? new Set<string>() };
    for (const suite of chooseSuites(project, selection).chosen) suites.add(suite.file!);
  }
  const ordered = chooseSuites(project, {})
    .chosen.map((s) => s.file!)
    .filter((f) => suites.has(f));
  const suiteOf = (id: string) => id.slice(0, id.lastIndexOf('#'));
  return [...ordered, ...failed.filter((id) => !suites.has(suiteOf(id)))];
}

/** What the scope picker offers: the tags of prompts that have suites, and the folders holding suites or their prompts. */
export function scopeChoices(project: Project): { tags: string[]; folders: string[] } {
  const tags = new Set<string>();
  const folders = new Set<string>();
  for (const suite of project.suites.suites()) {
    const prompt = project.suites.promptFor(suite);
    for (const t of prompt?.tags ?? []) tags.add(t);
    for (const f of [suite.file, prompt?.file]) {
      if (!f) continue;
      // Every ancestor inside the registry: "prompts/support/billing" also offers "prompts/support" and "prompts".
      let dir = path.posix.dirname(project.relative(f));
      while (dir !== '.' && !dir.startsWith('..') && !path.isAbsolute(dir)) {
        folders.add(dir);
        dir = path.posix.dirname(dir);
      }
    }
  }
  const sorted = (s: Set<string>) => [...s].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { tags: sorted(tags), folders: sorted(folders) };
}

/** Short words for a scope, for the remembered choice and the run's title ("changed since main"). */
export function describeScope(s: SuiteScope, relative: (f: string) => string = (f) => f): string {
  switch (s.kind) {
    case 'all':
      return 'all suites';
    case 'file':
      return relative(s.file);
    case 'changed':
      return `changed since ${s.ref}`;
    case 'tag':
      return `tag ${s.tag}`;
    case 'folder':
      return `folder ${s.folder || '.'}`;
    case 'failed':
      return 'failed last time';
  }
}
