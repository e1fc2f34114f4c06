import * as path from 'node:path';
import { GitError, resolveCommit } from '../core/git/git';
import { gitPlace, loadAtCommit } from './atRef';
import { PromptNotFoundError, type PromptSource } from './errors';
import type { RegistryRoot } from './root';
import { Stamp } from './stamp';
import type { LoadedPrompt } from './types';

const TAG_PREFIX = 'prompt-registry/';
const LABEL = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

interface LabelEntry {
  /** The files a tag move writes: the loose tag, packed-refs, the reftable list. */
  stamp: Stamp;
  commit?: string;
  gitPath?: string;
  prompt?: Promise<LoadedPrompt>;
}

const labels = new Map<string, LabelEntry>();

/**
 * Prompt `id` at a publish label. Labels move (publish, rollback, fetch), so
 * the tag is re-resolved whenever a file that stores it changed: a cached
 * label costs three stats and no git process.
 */
export async function loadAtLabel(reg: RegistryRoot, id: string, label: string, source: PromptSource): Promise<LoadedPrompt> {
  if (!LABEL.test(label) || label.includes('..') || label.endsWith('.lock')) throw new PromptNotFoundError(source, `"${label}" is not a valid label name`);
  const place = await gitPlace(reg, source);
  const tag = `${TAG_PREFIX}${id}/${label}`;
  const key = `${reg.root}\0${id}\0${label}`;
  let e = labels.get(key);
  if (!e) {
    const c = place.commonDir;
    e = { stamp: new Stamp([path.join(c, 'refs', 'tags', ...tag.split('/')), path.join(c, 'packed-refs'), path.join(c, 'reftable', 'tables.list')]) };
    labels.set(key, e);
  }
  const taken = e.stamp.changed();
  let prompt = e.prompt;
  if (taken || !prompt) {
    let commit: string;
    try {
      commit = await resolveCommit(place.top, `refs/tags/${tag}`);
    } catch (err) {
      if (err instanceof GitError && err.kind === 'bad-ref') throw new PromptNotFoundError(source, `the label is not published (no tag ${tag})`);
      throw err;
    }
    if (commit !== e.commit || !prompt) {
      const entry = e;
      const p = loadAtCommit(reg, place, id, commit, source, e.gitPath).then((loaded) => Object.freeze({ ...loaded, label }));
      [entry.commit, entry.prompt, prompt] = [commit, p, p];
      p.catch(() => {
        if (entry.prompt === p) entry.prompt = undefined;
      });
    }
    if (taken) e.stamp.verified(taken);
  }
  return prompt;
}

/** Forgets every resolved label. */
export function forgetLabels(): void {
  labels.clear();
}
