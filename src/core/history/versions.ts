import * as fs from 'node:fs';
import * as path from 'node:path';
import { git, GitError } from '../git/git';
import { promptFileForId, UnknownPromptError } from './findPrompt';
import { logFile, type CommitFacts, type LoggedCommit } from './log';

export { GitError, UnknownPromptError };

/** A version: sha, author, authorEmail, date (ISO author date), subject, message (full), blobSha and gitPath (at that commit). */
export interface VersionEntry extends CommitFacts {
  /** 1 = the oldest commit that touched the file (following renames). */
  version: number;
}

/**
 * The working file against HEAD. 'deleted' means there is no working file:
 * deleted and not yet committed, or deleted at HEAD (see the notices).
 */
export type WorkingState = 'clean' | 'modified' | 'untracked' | 'deleted';

export interface PromptHistory {
  /** The absolute path asked about. */
  file: string;
  /** The git top folder. */
  top: string;
  /** Newest first. */
  versions: VersionEntry[];
  /** Not 'clean': UIs show a "working copy" entry. */
  working: WorkingState;
  /** A shallow clone cut the history: older versions are missing and numbers count from the cut. */
  truncated: boolean;
  /** Sentences for the user, e.g. "history is truncated (shallow clone)". */
  notices: string[];
}

export const NOTICE = {
  truncated:
    'history is truncated (shallow clone): older versions are missing, so version numbers start at the oldest fetched commit',
  notCommitted: 'not committed yet',
  ignored: 'ignored by git (.gitignore), so it has no versions',
  deletedInWorkingTree: 'deleted in the working tree (not committed)',
  deletedAtHead: 'deleted at HEAD',
  unknownFile: 'the file does not exist and git has no history for it',
} as const;

interface Location {
  top: string;
  /** Path from the top, forward slashes. */
  gitPath: string;
  /** Absolute path of the shallow-graft list when the clone is shallow. */
  shallowFile?: string;
}

/**
 * The versions of one prompt file: the commits that touched it, following
 * renames, numbered oldest first. Throws GitError 'no-git' or 'not-a-repo';
 * every other odd case (uncommitted, deleted, shallow) is a notice.
 */
export async function promptHistory(file: string, opts: { signal?: AbortSignal } = {}): Promise<PromptHistory> {
  const abs = path.resolve(file);
  const loc = await locate(abs, opts.signal);
  const [logged, status] = await Promise.all([logFile(loc.top, loc.gitPath, 'HEAD', opts), statusOf(loc, opts.signal)]);
  const kept = logged.filter((c) => c.status !== 'D');
  const versions = numberVersions(kept);
  const exists = fs.existsSync(abs);
  const notices: string[] = [];
  const truncated = loc.shallowFile ? isCut(loc.shallowFile, logged) : false;
  if (truncated) notices.push(NOTICE.truncated);
  const working = workingState(exists, status, logged[0], versions.length, notices);
  return { file: abs, top: loc.top, versions, working, truncated, notices };
}

/** Gives version numbers: the oldest commit is 1. */
export function numberVersions(newestFirst: LoggedCommit[]): VersionEntry[] {
  const n = newestFirst.length;
  return newestFirst.map(({ status: _status, ...facts }, i) => ({ version: n - i, ...facts }));
}

/** The version whose commit sha or blob sha is (or starts with, for 7+ hex digits) `commitOrBlob`; the newest on a tie. */
export function versionAt(history: PromptHistory, commitOrBlob: string): VersionEntry | undefined {
  const key = commitOrBlob.toLowerCase();
  if (!/^[0-9a-f]{4,64}$/.test(key)) return undefined;
  const full = key.length >= 40;
  const hit = (sha: string) => (full ? sha === key : key.length >= 7 && sha.startsWith(key));
  return history.versions.find((v) => hit(v.sha)) ?? history.versions.find((v) => hit(v.blobSha));
}

function workingState(
  exists: boolean,
  status: string | undefined,
  newest: LoggedCommit | undefined,
  versionCount: number,
  notices: string[],
): WorkingState {
  if (!exists) {
    if (status) {
      notices.push(NOTICE.deletedInWorkingTree);
    } else if (newest?.status === 'D') {
      notices.push(`${NOTICE.deletedAtHead} (by ${newest.sha.slice(0, 7)} "${newest.subject}")`);
    } else if (versionCount === 0) {
      notices.push(NOTICE.unknownFile);
    }
    return 'deleted';
  }
  if (status === '!!') {
    notices.push(versionCount ? NOTICE.notCommitted : NOTICE.ignored);
    return 'untracked';
  }
  if (status === '??' || versionCount === 0) {
    notices.push(NOTICE.notCommitted);
    return 'untracked';
  }
  return status ? 'modified' : 'clean';
}

/** The top folder and the file's path from it; walks up past folders that were deleted with the file. */
async function locate(abs: string, signal?: AbortSignal): Promise<Location> {
  const rest = [path.basename(abs)];
  let dir = path.dirname(abs);
  while (!isDir(dir)) {
    const up = path.dirname(dir);
    if (up === dir) break;
    rest.unshift(path.basename(dir));
    dir = up;
  }
  // --show-prefix rather than path.relative: the top is reported with symlinks resolved.
  const lines = (
    await git(
      dir,
      ['rev-parse', '--show-toplevel', '--show-prefix', '--is-shallow-repository', '--git-path', 'shallow'],
      { signal },
    )
  ).split('\n');
  const [top = '', prefix = '', shallow, shallowPath = ''] = lines;
  return {
    top,
    gitPath: prefix + rest.join('/'),
    shallowFile: shallow === 'true' ? path.resolve(dir, shallowPath) : undefined,
  };
}

function isDir(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** The two-letter porcelain status of the file ('??' untracked, '!!' ignored), or undefined when git sees no change. */
async function statusOf(loc: Location, signal?: AbortSignal): Promise<string | undefined> {
  const out = await git(
    loc.top,
    [
      '--literal-pathspecs',
      'status',
      '--porcelain=v1',
      '-z',
      '--ignored=matching',
      '--untracked-files=all',
      '--',
      loc.gitPath,
    ],
    { signal },
  );
  return out ? out.slice(0, 2) : undefined;
}

/** History is cut only when one of the file's commits is a shallow boundary (the file may be younger than the cut). */
function isCut(shallowFile: string, logged: LoggedCommit[]): boolean {
  let grafts: Set<string>;
  try {
    grafts = new Set(fs.readFileSync(shallowFile, 'utf8').split('\n').filter(Boolean));
  } catch {
    return true;
  }
  return logged.some((c) => grafts.has(c.sha));
}

/**
 * The history of prompt `id` in the registry at `root`, also when the prompt
 * was deleted at HEAD. Throws UnknownPromptError (see findPrompt) for an id
 * that never existed, GitError without git or a repository.
 */
export async function historyForId(
  root: string,
  id: string,
  opts: { signal?: AbortSignal } = {},
): Promise<PromptHistory> {
  return promptHistory(await promptFileForId(root, id, opts.signal), opts);
}
