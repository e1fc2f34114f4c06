import * as path from 'node:path';
import { readObjects, resolveCommit } from '../git/git';
import { parseBlob } from '../workspace/promptsAtRef';
import { validatePrompt } from '../validation/validatePrompt';
import { PromptWorkspace } from '../workspace/promptWorkspace';
import { checkLabelTag, DEFAULT_LABEL, LabelError, labelNameProblem } from './labelName';
import { formatLabelMessage, publishedStack, type LabelMove } from './labelMessage';
import { currentIdent, promptAt, readLabelStates, writeLabelTag, type LabelState, type LabelTarget } from './labelTags';
import { logFile } from './log';
import { historyForId, numberVersions, versionAt, type PromptHistory } from './versions';

export { DEFAULT_LABEL, LabelError, labelNameProblem, labelTag, type LabelRefusal } from './labelName';
export type { LabelMove } from './labelMessage';
export type { LabelState, LabelTarget } from './labelTags';

/** Where label `label` of prompt `id` points, or undefined when the prompt has no such label. */
export async function readLabel(root: string, id: string, label: string): Promise<LabelTarget | undefined> {
  if (labelNameProblem(label)) return undefined;
  const [state] = await readLabelStates(root, id, label);
  return state && targetOf(state);
}

/** The current labels of a prompt, by label name. */
export async function listLabels(root: string, id: string): Promise<LabelTarget[]> {
  return (await readLabelStates(root, id)).map(targetOf);
}

/** The current labels of a prompt, each with the log of its moves (oldest first). */
export async function labelHistory(root: string, id: string): Promise<LabelState[]> {
  return readLabelStates(root, id);
}

export interface PublishOptions {
  label?: string;
  /** A version number of the prompt's history (at HEAD). */
  version?: number;
  /** A git ref: publishes the version current at that ref. */
  ref?: string;
  /** Publish even when the prompt has errors at that version. */
  force?: boolean;
  signal?: AbortSignal;
}

export interface LabelMoveResult {
  target: LabelTarget;
  /** Where the label pointed before; undefined for a new label. */
  previous?: LabelTarget;
  /** False when the label already pointed at that version (nothing was written). */
  changed: boolean;
  /** Warnings on the published version (e.g. its model is no longer available). */
  warnings: string[];
}

interface Picked {
  commit: string;
  version?: number;
  gitPath: string;
  blobSha: string;
}

/**
 * Points a label (default "production") at a version of a prompt: the latest
 * committed one, version N, or the version current at a ref. Refuses an
 * uncommitted or deleted latest version and (unless forced) a version with
 * errors. Throws LabelError (kind 'usage' for bad arguments) or GitError.
 */
export async function publish(root: string, id: string, opts: PublishOptions = {}): Promise<LabelMoveResult> {
  const label = opts.label ?? DEFAULT_LABEL;
  const tag = await checkLabelTag(root, id, label);
  if (opts.version !== undefined && opts.ref !== undefined)
    throw new LabelError('give a version or a ref, not both', 'usage');
  if (opts.version !== undefined && !(Number.isInteger(opts.version) && opts.version > 0))
    throw new LabelError(`a version is a number from 1, not "${opts.version}"`, 'usage');
  const history = await historyForId(root, id, { signal: opts.signal });
  const picked = await pick(root, id, history, opts);
  const warnings = await check(root, id, history, picked, !!opts.force);
  const [current] = await readLabelStates(root, id, label);
  if (current?.commit === picked.commit)
    return { target: targetOf(current), previous: targetOf(current), changed: false, warnings };
  const target = await move(root, tag, id, label, 'publish', picked, current);
  return { target, previous: current && targetOf(current), changed: true, warnings };
}

/** Moves a label back to the version published before the current one, recording a "rollback" move. */
export async function rollback(
  root: string,
  id: string,
  opts: { label?: string; signal?: AbortSignal } = {},
): Promise<LabelMoveResult> {
  const label = opts.label ?? DEFAULT_LABEL;
  const tag = await checkLabelTag(root, id, label);
  const [current] = await readLabelStates(root, id, label);
  if (!current) throw new LabelError(`"${id}" has no ${label} label to roll back`);
  const back = rollbackTarget(current);
  if (!back)
    throw new LabelError(
      `no earlier published version to roll back to: ${label} of "${id}" is at ${describe(current)}`,
    );
  const history = await historyForId(root, id, { signal: opts.signal });
  const v = versionAt(history, back.commit);
  const picked =
    v && v.sha === back.commit
      ? { commit: v.sha, version: history.truncated ? back.version : v.version, gitPath: v.gitPath, blobSha: v.blobSha }
      : await pickedAt(root, history.top, id, back.commit, back.version);
  const target = await move(root, tag, id, label, 'rollback', picked, current);
  return { target, previous: targetOf(current), changed: true, warnings: [] };
}

/** Where a rollback of this label would go: the version published before the current one, if any. */
export function rollbackTarget(state: Pick<LabelState, 'moves'>): LabelMove | undefined {
  const stack = publishedStack(state.moves);
  return stack[stack.length - 2];
}

/** "v3 (abc1234)" */
export function describe(t: { version?: number; commit: string }): string {
  return `${t.version === undefined ? 'version' : `v${t.version}`} (${t.commit.slice(0, 7)})`;
}

async function move(
  root: string,
  tag: string,
  id: string,
  label: string,
  action: LabelMove['action'],
  to: Picked,
  current: LabelState | undefined,
): Promise<LabelTarget> {
  const who = await currentIdent(root);
  const moves: LabelMove[] = [
    ...(current?.moves ?? []),
    { action, commit: to.commit, version: to.version, by: who.by, date: who.date },
  ];
  const message = formatLabelMessage({
    id,
    label,
    version: to.version,
    blobSha: to.blobSha,
    gitPath: to.gitPath,
    moves,
  });
  await writeLabelTag(root, tag, to.commit, who.ident, message, current?.object);
  return {
    id,
    label,
    tag,
    commit: to.commit,
    version: to.version,
    gitPath: to.gitPath,
    blobSha: to.blobSha,
    by: who.by,
    date: who.date,
  };
}

async function pick(root: string, id: string, history: PromptHistory, opts: PublishOptions): Promise<Picked> {
  const known = (v: { version: number }) => (history.truncated ? undefined : v.version);
  if (opts.version !== undefined) {
    if (history.truncated)
      throw new LabelError(
        `the history of "${id}" is truncated (shallow clone), so version numbers are not reliable`,
        'refused',
        'shallow-history',
      );
    const v = history.versions.find((x) => x.version === opts.version);
    if (!v)
      throw new LabelError(
        history.versions.length
          ? `"${id}" has versions 1 to ${history.versions.length}; there is no v${opts.version}`
          : `"${id}" has no committed versions`,
        'usage',
      );
    return { commit: v.sha, version: v.version, gitPath: v.gitPath, blobSha: v.blobSha };
  }
  if (opts.ref !== undefined) {
    const commit = await resolveCommit(history.top, opts.ref);
    const v = versionAt(history, commit);
    if (v && v.sha === commit) return { commit, version: known(v), gitPath: v.gitPath, blobSha: v.blobSha };
    return pickedAt(root, history.top, id, commit, undefined, history.truncated);
  }
  const latest = history.versions[0];
  const file = path.relative(root, history.file).split(path.sep).join('/');
  if (!latest) throw new LabelError(`${file} is not committed yet: commit it, then publish`);
  if (history.working === 'modified' || history.working === 'untracked') {
    throw new LabelError(`${file} has uncommitted changes`, 'refused', 'uncommitted');
  }
  if (history.working === 'deleted')
    throw new LabelError(`${file} is ${history.notices.join('; ') || 'deleted'}`, 'refused', 'deleted');
  return { commit: latest.sha, version: known(latest), gitPath: latest.gitPath, blobSha: latest.blobSha };
}

/** The version of prompt `id` current at `commit` (the newest commit at or before it that touched the file). */
async function pickedAt(
  root: string,
  top: string,
  id: string,
  commit: string,
  fallbackVersion?: number,
  truncated = false,
): Promise<Picked> {
  const at = await promptAt(root, commit, id);
  if (!at) throw new LabelError(`there is no prompt "${id}" at ${commit.slice(0, 7)}`);
  const versions = numberVersions((await logFile(top, at.gitPath, commit)).filter((c) => c.status !== 'D'));
  const v = versions[0];
  if (!v) return { commit, version: fallbackVersion, ...at };
  return { commit: v.sha, version: truncated ? fallbackVersion : v.version, gitPath: v.gitPath, blobSha: v.blobSha };
}

/** Errors at the picked version refuse the publish (unless forced); warnings are returned. */
async function check(
  root: string,
  id: string,
  history: PromptHistory,
  picked: Picked,
  force: boolean,
): Promise<string[]> {
  const bytes = (await readObjects(history.top, [picked.blobSha])).get(picked.blobSha);
  const abs = path.join(history.top, picked.gitPath);
  const ws = new PromptWorkspace(root);
  const prompt = parseBlob(bytes, abs, ws.files.idFor(abs)).prompt;
  const diags = validatePrompt(prompt, {
    config: ws.settings,
    catalog: ws.modelCatalog,
    stored: ws.catalog.stored,
    now: new Date(),
  });
  const where = (line: number) => `${picked.gitPath}:${line + 1} at ${picked.commit.slice(0, 7)}`;
  const errors = diags.filter((d) => d.severity === 'error');
  if (errors.length && !force) {
    const e = errors[0]!;
    throw new LabelError(
      `"${id}" ${describe(picked)} has ${errors.length === 1 ? 'an error' : `${errors.length} errors`}, so it was not published: ${e.message} (${where(e.range.start.line)})`,
      'refused',
      'has-errors',
    );
  }
  return diags
    .filter((d) => d.severity === 'warning' || (force && d.severity === 'error'))
    .map((d) => `${d.message} (${where(d.range.start.line)})`);
}

function targetOf(s: LabelState): LabelTarget {
  return {
    id: s.id,
    label: s.label,
    tag: s.tag,
    commit: s.commit,
    version: s.version,
    gitPath: s.gitPath,
    blobSha: s.blobSha,
    by: s.by,
    date: s.date,
  };
}
