import * as path from 'node:path';
import picomatch from 'picomatch';
import { globSync } from 'tinyglobby';

/** Never part of a registry's files: installed packages, git's own folder, the tool's cache and call log. */
export const IGNORE = ['**/node_modules/**', '**/.git/**', '**/.prompt-registry/**'];

/** Absolute paths of the files under `root` that match `globs` (outside IGNORE), normalized and sorted. */
export function listFiles(root: string, globs: readonly string[]): string[] {
  return globSync([...globs], {
    cwd: root,
    absolute: true,
    ignore: IGNORE,
    onlyFiles: true,
    dot: false,
    followSymbolicLinks: false,
  })
    .map((p) => path.normalize(p))
    .sort();
}

/** Which files are prompts, and what id a path gives, for one set of globs. */
export class PromptFileSet {
  private readonly matchers: { match: (p: string) => boolean; base: string }[];
  private readonly ignored: (p: string) => boolean;

  constructor(
    readonly root: string,
    readonly globs: string[],
  ) {
    this.matchers = globs.map((g) => ({ match: picomatch(g, { dot: false }), base: picomatch.scan(g).base }));
    this.ignored = picomatch(IGNORE);
  }

  /** Absolute paths of every prompt file, sorted. */
  list(): string[] {
    return listFiles(this.root, this.globs);
  }

  contains(abs: string): boolean {
    const rel = this.relative(abs);
    return rel !== undefined && !this.ignored(rel) && this.matchers.some((m) => m.match(rel));
  }

  /** Default id: the path under the matching glob's base folder, without `.md`. */
  idFor(abs: string): string {
    const rel = this.relative(abs) ?? path.basename(abs);
    const m = this.matchers.find((x) => x.match(rel)) ?? this.matchers[0];
    const base = m?.base ? `${m.base.replace(/\/$/, '')}/` : '';
    const under = base && rel.startsWith(base) ? rel.slice(base.length) : rel;
    return under.replace(/\.md$/i, '');
  }

  // The fixed folder prefix of each glob: "prompts" for prompts/**/*.md, "" for a glob that starts with a wildcard.
  bases(): string[] {
    return this.matchers.map((m) => m.base.replace(/\/$/, ''));
  }

  /** Repo-relative path with forward slashes, or undefined outside the root. */
  relative(abs: string): string | undefined {
    const rel = path.relative(this.root, abs);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
    return rel.split(path.sep).join('/');
  }
}
