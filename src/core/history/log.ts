import { git, GitError } from '../git/git';

/** One commit that touched a file, as the history lists it. */
export interface CommitFacts {
  sha: string;
  author: string;
  authorEmail: string;
  /** ISO 8601 author date. */
  date: string;
  subject: string;
  /** The full commit message. */
  message: string;
  /** The file's blob after this commit; all zeros when the commit deleted it. */
  blobSha: string;
  /** The file's path from the git top (forward slashes) after this commit; differs across renames. */
  gitPath: string;
}

/** A commit of the file's log, before version numbers are given. */
export interface LoggedCommit extends CommitFacts {
  /**
   * Git's raw status letter: A, M, T or D, R for the commit that renamed the file, 'merge' for a merge
   * that changed it against every parent.
   */
  status: string;
}

const FORMAT = '%x00%x00%H%x00%aN%x00%aE%x00%aI%x00%s%x00%B';
const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/**
 * The commits that touched `gitPath` up to `rev`, newest first, following
 * renames (not copies). One `git log --raw -z` per name the file had: the raw
 * lines carry each commit's blob sha, so there is no per-commit work.
 *
 * Not `git log --follow`: it also follows copies, so a prompt started as a copy
 * of another would inherit that prompt's versions. Here the commit that
 * created the file is asked (`git diff-tree -M`, renames only) whether it
 * renamed it, and the walk goes on from its parent under the old name.
 *
 * Merges: git's default history simplification drops a merge that took one
 * side's content, and the commits of a side whose changes a merge discarded;
 * `-c` gives a merge that changed the file against every parent (a conflict
 * resolution) a raw line, so it is a version.
 */
export async function logFile(
  top: string,
  gitPath: string,
  rev = 'HEAD',
  opts: { signal?: AbortSignal } = {},
): Promise<LoggedCommit[]> {
  const commits: LoggedCommit[] = [];
  let name = gitPath;
  let from = rev;
  // A rename chain cannot be longer than the history; the bound only guards against a cycle.
  for (let hop = 0; hop < 1000; hop++) {
    const segment = await logSegment(top, name, from, opts.signal);
    commits.push(...segment);
    const oldest = segment[segment.length - 1];
    if (!oldest || oldest.status !== 'A') break;
    const source = await renamedFrom(top, oldest.sha, name, opts.signal);
    if (!source) break;
    oldest.status = 'R';
    name = source;
    from = `${oldest.sha}^`;
  }
  return commits;
}

async function logSegment(top: string, gitPath: string, rev: string, signal?: AbortSignal): Promise<LoggedCommit[]> {
  try {
    const out = await git(
      top,
      [
        '--literal-pathspecs',
        '-c',
        'log.showSignature=false',
        'log',
        '-c',
        '--raw',
        '-z',
        '--no-abbrev',
        '--no-renames',
        '--no-color',
        `--format=${FORMAT}`,
        rev,
        '--',
        gitPath,
      ],
      { signal, timeoutMs: 120_000 },
    );
    return parseLog(out);
  } catch (e) {
    // An unborn branch has no history yet: an empty list, not an error.
    if (
      e instanceof GitError &&
      e.kind === 'failed' &&
      rev === 'HEAD' &&
      /does not have any commits yet|bad revision 'HEAD'/.test(e.message)
    )
      return [];
    throw e;
  }
}

/** The path `gitPath` had before `commit`, when that commit renamed it (against its first parent). */
async function renamedFrom(
  top: string,
  commit: string,
  gitPath: string,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const out = await git(
    top,
    ['diff-tree', '-r', '-M', '--diff-filter=R', '--raw', '-z', '--no-abbrev', '--no-commit-id', commit],
    { signal },
  );
  // ":<modes> <shas> R<score>\0<old>\0<new>\0" per rename.
  const tokens = out.split('\0');
  for (let i = 0; i + 2 < tokens.length; i += 3) if (tokens[i + 2] === gitPath) return tokens[i + 1];
  return undefined;
}

/** Parses the NUL-separated output of `git log --format=FORMAT --raw -z --no-renames`. */
export function parseLog(out: string): LoggedCommit[] {
  const tokens = out.split('\0');
  const commits: LoggedCommit[] = [];
  let i = 0;
  let current: Omit<LoggedCommit, 'blobSha' | 'gitPath' | 'status'> | undefined;
  while (i < tokens.length) {
    const tok = tokens[i++]!.replace(/^\n/, '');
    if (tok === '') continue;
    if (tok.startsWith(':')) {
      // ":<modes> <shas> <status>" then the path (renames are off); a merge's combined line starts with one colon per parent.
      const colons = /^:+/.exec(tok)![0].length;
      const fields = tok.slice(colons).split(' ');
      const status = fields[fields.length - 1]!;
      const blob = fields[fields.length - 2]!;
      const gitPath = tokens[i++] ?? '';
      if (!current) continue;
      commits.push({ ...current, blobSha: blob, gitPath, status: colons > 1 ? 'merge' : status[0]! });
      current = undefined;
      continue;
    }
    if (SHA.test(tok)) {
      const [author = '', authorEmail = '', date = '', subject = '', message = ''] = tokens.slice(i, i + 5);
      i += 5;
      // A commit without a raw line for the file (a merge that kept one side) is not a version.
      current = { sha: tok, author, authorEmail, date, subject, message: message.replace(/\n+$/, '') };
    }
  }
  return commits;
}
