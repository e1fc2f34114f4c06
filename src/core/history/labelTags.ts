import { git, GitError } from '../git/git';
import { promptsAtRef } from '../workspace/promptsAtRef';
import { LabelError, TAG_PREFIX } from './labelName';
import { parseLabelMessage, type LabelMove } from './labelMessage';

export interface LabelTarget {
  id: string;
  label: string;
  /** The tag name, without refs/tags/. */
  tag: string;
  /** The commit of the published version. */
  commit: string;
  /** Undefined when unknown: published from a shallow clone, or a tag made by hand. */
  version?: number;
  /** The prompt file's path from the git top at that commit. */
  gitPath: string;
  blobSha: string;
  /** "Name <email>" of whoever moved the label last. */
  by: string;
  /** ISO 8601 date of the last move. */
  date: string;
}

/** A label with the log of its moves, oldest first. */
export interface LabelState extends LabelTarget {
  moves: LabelMove[];
  /** The tag object's sha (or the commit, for a lightweight tag): the expected old value when moving it. */
  object: string;
}

const FIELDS = [
  '%(refname:strip=2)',
  '%(objecttype)',
  '%(objectname)',
  '%(*objectname)',
  '%(taggername) %(taggeremail)',
  '%(taggerdate:iso-strict)',
  '%(committername) %(committeremail)',
  '%(committerdate:iso-strict)',
  '%(contents)',
];

/**
 * The label tags of prompt `id` (one label, or all when `label` is undefined),
 * read with one `git for-each-ref`. Tags of longer ids ("greet/formal/…" for
 * "greet") are not included: a label never contains "/".
 */
export async function readLabelStates(root: string, id: string, label?: string): Promise<LabelState[]> {
  const base = `${TAG_PREFIX}${id}/`;
  const out = await git(root, ['for-each-ref', `--format=${FIELDS.join('%00')}%00`, `refs/tags/${base}${label ?? ''}`]);
  const tokens = out.split('\0');
  const states: LabelState[] = [];
  for (let i = 0; i + FIELDS.length <= tokens.length; i += FIELDS.length) {
    const [tag, type, object, peeled, tagger, taggerDate, committer, committerDate, contents] = tokens.slice(
      i,
      i + FIELDS.length,
    ) as string[];
    const name = tag!.replace(/^\n/, '');
    const rest = name.slice(base.length);
    if (!name.startsWith(base) || !rest || rest.includes('/')) continue;
    if (label !== undefined && rest !== label) continue;
    const annotated = type === 'tag';
    const by = annotated ? tagger! : committer!;
    const date = annotated ? taggerDate! : committerDate!;
    states.push(
      await toState(root, id, rest, name, object!, annotated ? peeled! : object!, annotated ? contents! : '', by, date),
    );
  }
  return states.sort((a, b) => a.label.localeCompare(b.label));
}

async function toState(
  root: string,
  id: string,
  label: string,
  tag: string,
  object: string,
  commit: string,
  message: string,
  by: string,
  date: string,
): Promise<LabelState> {
  const m = parseLabelMessage(message);
  let { gitPath, blobSha } = m;
  if (!gitPath || !blobSha) {
    // A tag made by hand: find the prompt at its commit.
    const found = await promptAt(root, commit, id);
    if (!found) throw new LabelError(`tag ${tag} points at ${commit.slice(0, 7)}, where there is no prompt "${id}"`);
    ({ gitPath, blobSha } = found);
  }
  const version = m.gitPath ? m.version : undefined;
  // A tag made by hand has no move log: it counts as one publish, so a later rollback can return to it.
  const moves = m.moves.length ? m.moves : [{ action: 'publish' as const, commit, version, by, date }];
  const last = moves[moves.length - 1]!;
  return { id, label, tag, commit, version, gitPath, blobSha, by: last.by, date: last.date, moves, object };
}

/** Where prompt `id` is at `commit`: its path from the git top and its blob. */
export async function promptAt(
  root: string,
  commit: string,
  id: string,
): Promise<{ gitPath: string; blobSha: string } | undefined> {
  try {
    const p = (await promptsAtRef(root, commit)).prompts.find((x) => x.id === id);
    return p && { gitPath: p.gitPath, blobSha: p.blobSha };
  } catch (e) {
    if (e instanceof GitError && e.kind === 'bad-ref') return undefined;
    throw e;
  }
}

/** Who is moving a label and when, as git would write a tagger line (honours GIT_COMMITTER_* variables). */
export async function currentIdent(root: string): Promise<{ ident: string; by: string; date: string }> {
  let ident: string;
  try {
    ident = (await git(root, ['var', 'GIT_COMMITTER_IDENT'])).trim();
  } catch (e) {
    if (e instanceof GitError && e.kind !== 'failed') throw e;
    throw new LabelError('git does not know who you are: set git config user.name and user.email, then publish again');
  }
  const m = /^(.*) (\d+) [+-]\d{4}$/.exec(ident);
  if (!m) throw new LabelError(`unexpected git identity "${ident}"`);
  return { ident, by: m[1]!, date: new Date(Number(m[2]) * 1000).toISOString().replace('.000Z', 'Z') };
}

/**
 * Points refs/tags/`tag` at a new annotated tag object. The update is a
 * compare-and-swap against `oldObject`, so two people publishing at once
 * cannot silently overwrite each other's move log.
 */
export async function writeLabelTag(
  root: string,
  tag: string,
  commit: string,
  ident: string,
  message: string,
  oldObject: string | undefined,
): Promise<void> {
  const body = `object ${commit}\ntype commit\ntag ${tag}\ntagger ${ident}\n\n${message}`;
  const sha = (await git(root, ['mktag'], { input: body })).trim();
  try {
    await git(root, ['update-ref', '-m', `prompt-registry: move ${tag}`, `refs/tags/${tag}`, sha, oldObject ?? '']);
  } catch (e) {
    if (!(e instanceof GitError) || e.kind !== 'failed') throw e;
    const raced = /but expected|already exists/.test(e.message);
    throw new LabelError(
      `could not move tag ${tag}: ${e.message}${raced ? ' (someone else moved it at the same time: look with "prompt-registry labels", then try again)' : ''}`,
    );
  }
}
