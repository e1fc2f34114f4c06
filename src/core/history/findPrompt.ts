import * as path from 'node:path';
import { git, readObjects } from '../git/git';
import { parseBlob, promptsAtRef, registryLocation } from '../workspace/promptsAtRef';
import { PromptWorkspace } from '../workspace/promptWorkspace';
import type { PromptFileSet } from '../workspace/promptFiles';

/** No prompt has this id in the working tree, at HEAD or in a deletion in git history. */
export class UnknownPromptError extends Error {
  constructor(readonly id: string) {
    super(
      `No prompt with id "${id}" in the working tree or in git history. Run "prompt-registry list" to see the ids.`,
    );
  }
}

/**
 * The absolute file of prompt `id` in the registry at `root`: the working tree
 * first, then HEAD (deleted but not committed), then the newest commit that
 * deleted a prompt with that id. Throws UnknownPromptError, or GitError.
 */
export async function promptFileForId(root: string, id: string, signal?: AbortSignal): Promise<string> {
  const ws = new PromptWorkspace(root);
  ws.scan();
  const found = ws.findById(id)?.file;
  if (found) return found;
  const { top, prefix } = await registryLocation(root);
  const fromTop = (gitPath: string) =>
    path.join(path.resolve(root), prefix ? gitPath.slice(prefix.length + 1) : gitPath);
  const atHead = await headPrompt(root, id);
  if (atHead) return fromTop(atHead);
  const deleted = await deletedPrompt(top, prefix, id, ws.files, fromTop, signal);
  if (deleted) return fromTop(deleted);
  throw new UnknownPromptError(id);
}

async function headPrompt(root: string, id: string): Promise<string | undefined> {
  try {
    return (await promptsAtRef(root, 'HEAD')).prompts.find((p) => p.id === id)?.gitPath;
  } catch {
    // No commit yet: nothing at HEAD.
    return undefined;
  }
}

/** The git path of the newest deleted prompt file whose id (explicit or from its path) is `id`. */
async function deletedPrompt(
  top: string,
  prefix: string,
  id: string,
  files: PromptFileSet,
  fromTop: (p: string) => string,
  signal?: AbortSignal,
): Promise<string | undefined> {
  let out: string;
  try {
    out = await git(
      top,
      [
        '--literal-pathspecs',
        'log',
        '--diff-filter=D',
        '--no-renames',
        '--name-only',
        '-z',
        '--format=%x00%H',
        'HEAD',
        '--',
        prefix || '.',
      ],
      { signal },
    );
  } catch {
    return undefined;
  }
  // "\0<sha>\0\n<path>\0<path>\0" per commit: a token after an empty one is a sha.
  const candidates: { spec: string; gitPath: string }[] = [];
  let sha = '';
  let afterEmpty = true;
  for (const tok of out.split('\0')) {
    if (tok === '') afterEmpty = true;
    else if (afterEmpty) [sha, afterEmpty] = [tok, false];
    else {
      const gitPath = tok.replace(/^\n/, '');
      if (files.contains(fromTop(gitPath))) candidates.push({ spec: `${sha}^:${gitPath}`, gitPath });
    }
  }
  const blobs = await readObjects(
    top,
    candidates.map((c) => c.spec),
    { signal },
  );
  const hit = candidates.find((c) => {
    const abs = fromTop(c.gitPath);
    return parseBlob(blobs.get(c.spec), abs, files.idFor(abs)).id === id;
  });
  return hit?.gitPath;
}
