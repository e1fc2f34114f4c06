import * as path from 'node:path';
import { gitBlobSha } from '../core/calls/promptVersion';
import { CONFIG_FILE, parseConfig } from '../core/config/load';
import { GitError, readObjects, resolveCommit } from '../core/git/git';
import { parseBlob, promptsAtRef } from '../core/workspace/promptsAtRef';
import { PromptFileSet } from '../core/workspace/promptFiles';
import { PromptGitError, PromptInvalidError, PromptNotFoundError, type PromptSource } from './errors';
import { versionAt } from './gitFacts';
import { assertValid, toLoaded, type Located } from './prompt';
import type { GitPlace, RegistryRoot } from './root';
import type { LoadedPrompt } from './types';

const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** Commits never change, so a prompt at a commit is cached for the life of the process. */
const atCommit = new Map<string, Promise<LoadedPrompt>>();

export async function gitPlace(reg: RegistryRoot, source: PromptSource): Promise<GitPlace> {
  try {
    return await reg.git();
  } catch (e) {
    if (e instanceof GitError) throw new PromptGitError(source, e.kind, e.message);
    throw e;
  }
}

/**
 * Prompt `id` at a git ref. A full commit sha costs no git call once cached;
 * any other ref (a branch, HEAD~1) is resolved by git on every call, as it may move.
 */
export async function loadAtRef(
  reg: RegistryRoot,
  id: string,
  ref: string,
  source: PromptSource,
  gitPathHint?: string,
): Promise<LoadedPrompt> {
  const place = await gitPlace(reg, source);
  const sha = ref.toLowerCase();
  const key = `${reg.root}\0${sha}\0${id}`;
  const cached = FULL_SHA.test(sha) ? atCommit.get(key) : undefined;
  if (cached) return cached;
  let commit: string;
  try {
    commit = await resolveCommit(place.top, ref);
  } catch (e) {
    if (e instanceof GitError && e.kind === 'bad-ref')
      throw new PromptNotFoundError(source, `git knows no commit "${ref}"`);
    throw e;
  }
  return loadAtCommit(reg, place, id, commit, source, gitPathHint);
}

export function loadAtCommit(
  reg: RegistryRoot,
  place: GitPlace,
  id: string,
  commit: string,
  source: PromptSource,
  gitPathHint?: string,
): Promise<LoadedPrompt> {
  const key = `${reg.root}\0${commit}\0${id}`;
  let p = atCommit.get(key);
  if (!p) {
    p = build(reg, place, id, commit, source, gitPathHint);
    atCommit.set(key, p);
    // Failures are not kept: a fetch may bring the missing objects.
    p.catch(() => atCommit.delete(key));
  }
  return p;
}

async function build(
  reg: RegistryRoot,
  place: GitPlace,
  id: string,
  commit: string,
  source: PromptSource,
  gitPathHint?: string,
): Promise<LoadedPrompt> {
  const join = (rel: string) => (place.prefix ? `${place.prefix}/${rel}` : rel);
  const cfgSpec = `${commit}:${join(CONFIG_FILE)}`;
  const cfgBlob = (await readObjects(place.top, [cfgSpec])).get(cfgSpec);
  const config = parseConfig(cfgBlob?.toString('utf8'), path.join(reg.root, CONFIG_FILE));
  const files = new PromptFileSet(reg.root, config.config.promptGlobs);
  const at = (await byPath(place, files, id, commit, gitPathHint)) ?? (await byScan(reg, id, commit, source));
  if (!at) throw new PromptNotFoundError(source, `no prompt has this id at commit ${commit.slice(0, 12)}`);
  assertValid(at, source, `${at.path}@${commit.slice(0, 12)}`);
  const gitPath = join(at.path);
  const version = await versionAt(place, commit, gitPath, at.blobSha);
  return toLoaded(at, { version, status: 'committed', commit }, config.config.fallbackModel);
}

/** The file the id names (or the label's recorded path): one batched read, no tree listing. */
async function byPath(
  place: GitPlace,
  files: PromptFileSet,
  id: string,
  commit: string,
  gitPathHint?: string,
): Promise<Located | undefined> {
  const rels = files.bases().map((b) => (b ? `${b}/${id}.md` : `${id}.md`));
  if (gitPathHint !== undefined) {
    const fromTop = place.prefix ? gitPathHint.slice(place.prefix.length + 1) : gitPathHint;
    rels.unshift(fromTop);
  }
  const specs = rels.map((r) => `${commit}:${place.prefix ? `${place.prefix}/${r}` : r}`);
  const blobs = await readObjects(place.top, specs);
  for (let i = 0; i < rels.length; i++) {
    const bytes = blobs.get(specs[i]!);
    const abs = path.join(files.root, rels[i]!);
    if (!bytes || !files.contains(abs)) continue;
    const { prompt } = parseBlob(bytes, abs, files.idFor(abs));
    if (prompt.id === id) return { parsed: prompt, path: rels[i]!, blobSha: gitBlobSha(bytes) };
  }
  return undefined;
}

/** Every prompt at the commit (an explicit `id:` elsewhere). */
async function byScan(
  reg: RegistryRoot,
  id: string,
  commit: string,
  source: PromptSource,
): Promise<Located | undefined> {
  const all = await promptsAtRef(reg.root, commit);
  const hits = all.prompts.filter((p) => p.id === id);
  if (hits.length > 1) {
    const where = hits.map((h) => h.path).join(', ');
    throw new PromptInvalidError(source, hits[0]!.path, [
      {
        code: 'duplicate-id',
        message: `Prompt id "${id}" is used by ${where} at ${commit.slice(0, 12)}; ids must be unique`,
        line: 1,
        column: 1,
      },
    ]);
  }
  const hit = hits[0];
  return hit && { parsed: hit.prompt, path: hit.path, blobSha: hit.blobSha };
}

/** Forgets every prompt cached by commit. */
export function forgetCommits(): void {
  atCommit.clear();
}
