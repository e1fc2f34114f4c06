import * as fs from 'node:fs';
import * as path from 'node:path';
import { git, GitError, isShallow } from '../core/git/git';
import { logFile } from '../core/history/log';
import type { GitFacts, Located } from './prompt';
import type { GitPlace, RegistryRoot } from './root';
import { Stamp } from './stamp';

/** HEAD as last seen: `key` is its commit ('unborn' before the first commit, 'no-git' without a repository). */
export interface HeadState {
  key: string;
  place?: GitPlace;
}

interface HeadWatch {
  stamp: Stamp;
  /** The loose ref HEAD points to when the stamp was built. */
  ref: string;
  state: HeadState;
}

const watches = new WeakMap<RegistryRoot, HeadWatch>();

/**
 * HEAD's commit, re-asked of git only when one of the files a HEAD move writes
 * (HEAD, its branch's loose ref, packed-refs, the HEAD reflog) changed.
 */
export async function headState(reg: RegistryRoot): Promise<HeadState> {
  let place: GitPlace;
  try {
    place = await reg.git();
  } catch (e) {
    if (e instanceof GitError) return { key: 'no-git' };
    throw e;
  }
  let w = watches.get(reg);
  let taken = w ? w.stamp.changed() : undefined;
  if (!w || taken) {
    // HEAD itself is watched, so a checkout of another branch shows up here and the watch follows it.
    const ref = headRef(place);
    if (!w || !taken || w.ref !== ref) {
      w = watch(place, ref);
      watches.set(reg, w);
      taken = w.stamp.current();
    }
    w.state = { key: await headCommit(place), place };
    w.stamp.verified(taken);
  }
  return w.state;
}

function watch(place: GitPlace, ref: string): HeadWatch {
  const files = [
    path.join(place.gitDir, 'HEAD'),
    path.join(place.gitDir, 'logs', 'HEAD'),
    path.join(place.commonDir, 'packed-refs'),
    path.join(place.commonDir, 'reftable', 'tables.list'),
  ];
  if (ref) files.push(path.join(place.commonDir, ref));
  return { stamp: new Stamp(files), ref, state: { key: '', place } };
}

/** "refs/heads/main" when HEAD is a branch, '' when detached or unreadable. */
function headRef(place: GitPlace): string {
  try {
    const m = /^ref: (\S+)/.exec(fs.readFileSync(path.join(place.gitDir, 'HEAD'), 'utf8'));
    return m && !m[1]!.includes('..') ? m[1]! : '';
  } catch {
    return '';
  }
}

async function headCommit(place: GitPlace): Promise<string> {
  try {
    return (await git(place.top, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'])).trim() || 'unborn';
  } catch {
    return 'unborn';
  }
}

/** Committed (same blob as at HEAD), modified or untracked, with the version number when committed. */
export async function workingFacts(head: HeadState, at: Located): Promise<GitFacts> {
  const place = head.place;
  if (!place) return { version: null, status: 'no-git' };
  if (head.key === 'unborn') return { version: null, status: 'untracked' };
  const gitPath = place.prefix ? `${place.prefix}/${at.path}` : at.path;
  let headBlob = '';
  try {
    headBlob = (await git(place.top, ['rev-parse', '--verify', '--quiet', `${head.key}:${gitPath}`])).trim();
  } catch {
    // Not in HEAD's tree.
  }
  if (headBlob !== at.blobSha) return { version: null, status: headBlob ? 'modified' : 'untracked' };
  return { version: await versionAt(place, head.key, gitPath, at.blobSha), status: 'committed', commit: head.key };
}

/**
 * Version N of the file at `commit`: how many commits touched it up to there,
 * following renames (the history core's numbering). Null when the newest of
 * them does not hold `blobSha`, or in a shallow clone, where the count would be short.
 */
export async function versionAt(
  place: GitPlace,
  commit: string,
  gitPath: string,
  blobSha: string,
): Promise<number | null> {
  if (await isShallow(place.top)) return null;
  // Numbered as the history core's numberVersions does (deletions are not versions), without importing
  // versions.ts, which would pull the whole workspace (and the catalog) into the runtime bundle.
  const kept = (await logFile(place.top, gitPath, commit)).filter((c) => c.status !== 'D');
  return kept[0]?.blobSha === blobSha ? kept.length : null;
}
