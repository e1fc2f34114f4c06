import * as path from 'node:path';
import { GitError } from '../core/git/git';
import { LabelError, labelNameProblem, labelTag } from '../core/history/labelName';
import { readLabelStates } from '../core/history/labelTags';
import { gitPlace, loadAtCommit } from './atRef';
import { PromptGitError, PromptNotFoundError, type PromptSource } from './errors';
import type { RegistryRoot } from './root';
import { Stamp } from './stamp';
import type { LoadedPrompt } from './types';

interface LabelEntry {
  /** The files a tag move writes: the loose tag, packed-refs, the reftable list. */
  stamp: Stamp;
  commit?: string;
  prompt?: Promise<LoadedPrompt>;
}

const labels = new Map<string, LabelEntry>();

/**
 * Prompt `id` at a publish label. Labels move (publish, rollback, fetch), so
 * the tag is re-resolved whenever a file that stores it changed: a cached
 * label costs three stats and no git process.
 */
export async function loadAtLabel(
  reg: RegistryRoot,
  id: string,
  label: string,
  source: PromptSource,
): Promise<LoadedPrompt> {
  const bad = labelNameProblem(label);
  if (bad) throw new PromptNotFoundError(source, `"${label}" is not a valid label: ${bad}`);
  const place = await gitPlace(reg, source);
  const tag = labelTag(id, label);
  const key = `${reg.root}\0${id}\0${label}`;
  let e = labels.get(key);
  if (!e) {
    const c = place.commonDir;
    e = {
      stamp: new Stamp([
        path.join(c, 'refs', 'tags', ...tag.split('/')),
        path.join(c, 'packed-refs'),
        path.join(c, 'reftable', 'tables.list'),
      ]),
    };
    labels.set(key, e);
  }
  const taken = e.stamp.changed();
  let prompt = e.prompt;
  if (taken || !prompt) {
    const target = await readTarget(reg, id, label, source);
    if (!target) throw new PromptNotFoundError(source, `the label is not published (no tag ${tag})`);
    const commit = target.commit;
    if (commit !== e.commit || !prompt) {
      const entry = e;
      const p = loadAtCommit(reg, place, id, commit, source, target.gitPath).then((loaded) =>
        Object.freeze({ ...loaded, label }),
      );
      [entry.commit, entry.prompt, prompt] = [commit, p, p];
      p.catch(() => {
        if (entry.prompt === p) entry.prompt = undefined;
      });
    }
    if (taken) e.stamp.verified(taken);
  }
  return prompt;
}

/** The labels core reads the tag (its format is theirs); a tag made by hand at a commit without the prompt is "not found". */
async function readTarget(
  reg: RegistryRoot,
  id: string,
  label: string,
  source: PromptSource,
): Promise<{ commit: string; gitPath: string } | undefined> {
  try {
    return (await readLabelStates(reg.root, id, label))[0];
  } catch (err) {
    if (err instanceof GitError && err.kind !== 'failed') throw new PromptGitError(source, err.kind, err.message);
    if (err instanceof LabelError) throw new PromptNotFoundError(source, err.message);
    throw err;
  }
}

/** Forgets every resolved label. */
export function forgetLabels(): void {
  labels.clear();
}
