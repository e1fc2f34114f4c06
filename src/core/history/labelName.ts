import { git, GitError } from '../git/git';

/** Every label tag lives under this folder of refs/tags. */
export const TAG_PREFIX = 'prompt-registry/';
export const DEFAULT_LABEL = 'production';

/**
 * Refusals whose way out depends on the host (a flag in the CLI, the History view in VS Code):
 * - 'uncommitted': the working copy differs from the latest version; commit, or pick a committed version;
 * - 'deleted': the file is gone from the working copy; pick a committed version;
 * - 'has-errors': the picked version does not validate; pick another, or force;
 * - 'shallow-history': version numbers are unknown in a shallow clone; fetch the history, or pick by commit.
 */
export type LabelRefusal = 'uncommitted' | 'deleted' | 'has-errors' | 'shallow-history';

/** A refusal the user can act on. 'usage' is a bad argument (a label name, a version number). */
export class LabelError extends Error {
  constructor(
    message: string,
    readonly kind: 'usage' | 'refused' = 'refused',
    readonly refusal?: LabelRefusal,
  ) {
    super(message);
  }
}

/** The tag name (without refs/tags/) of a prompt's label. */
export function labelTag(id: string, label: string): string {
  return `${TAG_PREFIX}${id}/${label}`;
}

/**
 * Why `label` cannot be a label, or undefined when it can: one git ref-name
 * component (the rules of `git check-ref-format`), so the last segment of the
 * tag is always the label and the rest is the prompt id, which may contain "/".
 */
export function labelNameProblem(label: string): string | undefined {
  if (!label) return 'a label cannot be empty';
  if (label.includes('/')) return 'a label cannot contain "/"';
  if (label.startsWith('.') || label.endsWith('.')) return 'a label cannot start or end with "."';
  if (label.endsWith('.lock')) return 'a label cannot end with ".lock"';
  if (label.includes('..')) return 'a label cannot contain ".."';
  if (label.includes('@{') || label === '@') return 'a label cannot be "@" or contain "@{"';
  // Control characters, space and the characters git gives a meaning in revisions and globs.
  // eslint-disable-next-line no-control-regex -- git forbids these control characters in ref names
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(label))
    return 'a label cannot contain spaces, control characters or any of ~ ^ : ? * [ \\';
  return undefined;
}

/** Throws LabelError 'usage' unless `label` is valid and `id` fits in a tag name (git decides). */
export async function checkLabelTag(cwd: string, id: string, label: string): Promise<string> {
  const problem = labelNameProblem(label);
  if (problem) throw new LabelError(`"${label}" is not a valid label: ${problem}`, 'usage');
  const tag = labelTag(id, label);
  try {
    await git(cwd, ['check-ref-format', `refs/tags/${tag}`]);
  } catch (e) {
    if (e instanceof GitError && e.kind === 'no-git') throw e;
    throw new LabelError(
      `prompt id "${id}" cannot be part of a git tag name (${tag}): give the prompt an id without spaces, "..", or any of ~ ^ : ? * [ \\`,
      'usage',
    );
  }
  return tag;
}
