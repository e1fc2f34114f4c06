import { loadAtRef, forgetCommits } from './atRef';
import type { PromptSource } from './errors';
import { forgetLabels, loadAtLabel } from './label';
import { forgetRoots, registryRoot } from './root';
import type { LoadedPrompt, LoadOptions } from './types';
import { forgetWorkingTree, loadWorkingTree } from './workingTree';

/**
 * Loads prompt `id`: from the working tree by default, at a publish label
 * (`label`), or at a git ref (`ref`). Cached per process; a cached prompt is
 * re-read only when its file, its label's tag or HEAD changed.
 * Rejects with PromptNotFoundError, PromptInvalidError or PromptGitError.
 */
export function loadPrompt(id: string, opts: LoadOptions = {}): Promise<LoadedPrompt> {
  try {
    if (typeof id !== 'string' || id === '')
      throw new TypeError(`loadPrompt: the id must be a non-empty string, got ${JSON.stringify(id)}`);
    const reg = registryRoot(opts.root);
    const source: PromptSource = {
      id,
      root: reg.root,
      ...(opts.label !== undefined ? { label: opts.label } : opts.ref !== undefined ? { ref: opts.ref } : {}),
    };
    if (opts.label !== undefined) return loadAtLabel(reg, id, opts.label, source);
    if (opts.ref !== undefined) return loadAtRef(reg, id, opts.ref, source);
    return loadWorkingTree(reg, id);
  } catch (e) {
    return Promise.reject(e);
  }
}

/** Drops every cached prompt, label and root, e.g. after replacing a checkout in place. */
export function clearPromptCache(): void {
  forgetWorkingTree();
  forgetCommits();
  forgetLabels();
  forgetRoots();
}
