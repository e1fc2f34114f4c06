import * as path from 'node:path';
import { CONFIG_FILE, parseConfig, type LoadedConfig } from '../config/load';
import { stripBom } from '../text/bom';
import { parsePrompt } from '../prompt/parse';
import type { ParsedPrompt } from '../prompt/types';
import type { Diagnostic } from '../text/diagnostics';
import { ZERO_RANGE } from '../text/lineIndex';
import { decodeText, MAX_PROMPT_BYTES } from './readPromptFile';
import { PromptFileSet } from './promptFiles';
import { git, listTree, readObjects, resolveCommit } from '../git/git';

export interface PromptAtRef {
  id: string;
  /** Path from the registry root (where prompt-registry.yaml is), forward slashes. */
  path: string;
  /** Path from the git top, forward slashes: what `git log` and `git show` take. */
  gitPath: string;
  blobSha: string;
  /** Undefined when the blob is not text or is too large; `prompt` then holds the diagnostic. */
  text?: string;
  prompt: ParsedPrompt;
}

export interface PromptsAtRef {
  commit: string;
  top: string;
  /** The registry root relative to the git top ('' when they are the same folder). */
  prefix: string;
  config: LoadedConfig;
  prompts: PromptAtRef[];
}

/** The registry root's location inside its repository. */
export async function registryLocation(root: string): Promise<{ top: string; prefix: string }> {
  // git's own prefix, not path.relative: the top comes back with symlinks resolved, the root may not be.
  const [top = '', prefix = ''] = (await git(root, ['rev-parse', '--show-toplevel', '--show-prefix'])).split('\n');
  return { top, prefix: prefix.replace(/\/$/, '') };
}

/**
 * Parsed blobs shared between reads of several refs: a prompt unchanged between
 * them (same blob, path and default id) is parsed once. Entries are read-only.
 */
export type ParsedBlobs = Map<string, ReturnType<typeof parseBlob>>;

/**
 * Every prompt as it was at `ref`, with the prompt globs of prompt-registry.yaml
 * at that ref (so a moved prompts folder is followed). Reads all blobs through
 * one `git cat-file --batch`. Throws GitError for no git, no repository or a bad ref.
 */
export async function promptsAtRef(
  root: string,
  ref: string,
  env: Record<string, string | undefined> = process.env,
  parsed: ParsedBlobs = new Map(),
): Promise<PromptsAtRef> {
  const { top, prefix } = await registryLocation(root);
  const commit = await resolveCommit(top, ref);
  const join = (rel: string) => (prefix ? `${prefix}/${rel}` : rel);
  const cfgBlob = (await readObjects(top, [`${commit}:${join(CONFIG_FILE)}`])).values().next().value;
  const config = parseConfig(cfgBlob ? cfgBlob.toString('utf8') : undefined, path.join(root, CONFIG_FILE), env);
  const files = new PromptFileSet(path.resolve(root), config.config.promptGlobs);
  const entries = (await listTree(top, commit, prefix)).filter((e) => files.contains(path.join(top, e.path)));
  const blobs = await readObjects(
    top,
    entries.map((e) => e.blob),
  );
  const prompts = entries.map((e): PromptAtRef => {
    const abs = path.join(top, e.path);
    const rel = prefix ? e.path.slice(prefix.length + 1) : e.path;
    const defaultId = files.idFor(abs);
    const key = `${e.blob}\0${abs}\0${defaultId}`;
    let p = parsed.get(key);
    if (!p) parsed.set(key, (p = parseBlob(blobs.get(e.blob), abs, defaultId)));
    return { ...p, path: rel, gitPath: e.path, blobSha: e.blob };
  });
  return { commit, top, prefix, config, prompts };
}

/** Parses a prompt's bytes from git with the same rules as a file on disk. */
export function parseBlob(
  bytes: Buffer | undefined,
  file: string,
  defaultId: string,
): { id: string; text?: string; prompt: ParsedPrompt } {
  const unreadable = (diagnostic: Diagnostic) => {
    const prompt = parsePrompt('', { file, defaultId });
    return { id: defaultId, prompt: { ...prompt, diagnostics: [diagnostic] } };
  };
  if (!bytes)
    return unreadable({
      severity: 'error',
      code: 'not-text',
      message: 'The file is missing from git',
      range: ZERO_RANGE,
    });
  if (bytes.byteLength > MAX_PROMPT_BYTES) {
    return unreadable({
      severity: 'error',
      code: 'file-too-large',
      message: `File is ${(bytes.byteLength / 1048576).toFixed(1)} MB; prompts larger than ${MAX_PROMPT_BYTES / 1048576} MB are not parsed`,
      range: ZERO_RANGE,
    });
  }
  const decoded = decodeText(bytes);
  if (!decoded.ok) return unreadable(decoded.diagnostic);
  const prompt = parsePrompt(decoded.text, { file, defaultId });
  return { id: prompt.id, text: stripBom(decoded.text), prompt };
}
