import { git, GitError } from '../git/git';

/** One commit of a file's `git log --follow`, before version numbers are given. */
export interface LoggedCommit {
  sha: string;
  author: string;
  authorEmail: string;
  date: string;
  subject: string;
  message: string;
  /** The file's blob after this commit; all zeros when the commit deleted it. */
  blobSha: string;
  /** The file's path (from the git top) after this commit; the old path for a deletion. */
  gitPath: string;
  /** First letter of git's raw status: A, M, R, C, T, D; 'merge' for a merge that changed the file against every parent. */
  status: string;
}

const FORMAT = '%x00%x00%H%x00%aN%x00%aE%x00%aI%x00%s%x00%B';
const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/**
 * The commits that touched `gitPath` up to `rev`, newest first, following
 * renames. One git process: `--raw -z` yields each commit's blob sha, so no
 * per-commit work. `-c` (combined diff) gives merges a raw line only when the
 * file differs from every parent, so a merge that just takes one side's
 * content is dropped and a conflict resolution is kept.
 */
export async function logFile(top: string, gitPath: string, rev = 'HEAD', opts: { signal?: AbortSignal } = {}): Promise<LoggedCommit[]> {
  let out: string;
  try {
    out = await git(
      top,
      ['--literal-pathspecs', '-c', 'log.showSignature=false', 'log', '--follow', '-c', '--raw', '-z', '--no-abbrev', '--no-color', `--format=${FORMAT}`, rev, '--', gitPath],
      { signal: opts.signal, timeoutMs: 120_000 },
    );
  } catch (e) {
    // An unborn branch has no history yet: an empty list, not an error.
    if (e instanceof GitError && e.kind === 'failed' && /does not have any commits yet/.test(e.message)) return [];
    throw e;
  }
  return parseLog(out);
}

/** Parses the NUL-separated output of `git log --format=FORMAT --raw -z`. */
export function parseLog(out: string): LoggedCommit[] {
  const tokens = out.split('\0');
  const commits: LoggedCommit[] = [];
  let i = 0;
  let current: Omit<LoggedCommit, 'blobSha' | 'gitPath' | 'status'> | undefined;
  while (i < tokens.length) {
    const tok = tokens[i++]!.replace(/^\n/, '');
    if (tok === '') continue;
    if (tok.startsWith(':')) {
      // ":<modes> <shas> <status>" then one path, or two (from, to) for renames and copies.
      const colons = /^:+/.exec(tok)![0].length;
      const fields = tok.slice(colons).split(' ');
      const status = fields[fields.length - 1]!;
      const blob = fields[fields.length - 2]!;
      const from = tokens[i++] ?? '';
      const to = /^[RC]/.test(status) && colons === 1 ? tokens[i++] ?? from : from;
      if (!current) continue;
      commits.push({ ...current, blobSha: blob, gitPath: to, status: colons > 1 ? 'merge' : status[0]! });
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
