import * as fs from 'node:fs';
import * as path from 'node:path';
import { gitBlobSha } from '../core/calls/promptVersion';
import { parseBlob } from '../core/workspace/promptsAtRef';
import { PromptInvalidError, PromptNotFoundError, type PromptSource } from './errors';
import { assertValid, toLoaded, type Located } from './prompt';
import type { RegistryRoot } from './root';
import { Stamp } from './stamp';
import type { LoadedPrompt } from './types';
import { headState, workingFacts } from './gitFacts';

interface Entry {
  file: string;
  bytes: Buffer;
  stamp: Stamp;
  generation: number;
  located: Located;
  /** The git facts and the HEAD state they were computed for. */
  loaded?: { head: string; prompt: Promise<LoadedPrompt> };
}

const entries = new Map<string, Entry>();

/**
 * Loads prompt `id` from the working tree. A cached prompt costs one stat of
 * the file and of the config, plus a few of git's HEAD files: content is
 * re-read only when a stamp moved or is too young to trust (see Stamp).
 */
export async function loadWorkingTree(reg: RegistryRoot, id: string): Promise<LoadedPrompt> {
  const source: PromptSource = { id, root: reg.root };
  const key = `${reg.root}\0${id}`;
  let e = entries.get(key);
  if (e && (e.generation !== reg.generation || !stillValid(reg, e, id, source))) e = undefined;
  if (!e) {
    e = locate(reg, id, source);
    entries.set(key, e);
  }
  const head = await headState(reg);
  if (e.loaded?.head !== head.key) {
    const at = e.located;
    const entry = e;
    const loaded = {
      head: head.key,
      prompt: workingFacts(head, at).then((f) => toLoaded(at, f, reg.config.config.fallbackModel)),
    };
    entry.loaded = loaded;
    // A failed git call is not kept: the next load asks again.
    loaded.prompt.catch(() => {
      if (entry.loaded === loaded) entry.loaded = undefined;
    });
    return loaded.prompt;
  }
  return e.loaded.prompt;
}

/** Re-checks a cached entry; false when it must be located again (deleted, or its id changed). */
function stillValid(reg: RegistryRoot, e: Entry, id: string, source: PromptSource): boolean {
  const taken = e.stamp.changed();
  if (!taken) return true;
  const bytes = readBytes(e.file);
  if (!bytes) return false;
  if (!bytes.equals(e.bytes)) {
    // Throws for a file that is now invalid, before the stamp is trusted: the next call looks again.
    const fresh = parseFile(reg, e.file, bytes, id, source);
    if (!fresh) return false;
    Object.assign(e, { bytes, located: fresh, loaded: undefined });
  }
  e.stamp.verified(taken);
  return true;
}

/** Finds the file: the path the id names first (the usual case), else every prompt file that mentions the id. */
function locate(reg: RegistryRoot, id: string, source: PromptSource): Entry {
  const tried = new Set<string>();
  for (const base of reg.files.bases()) {
    const abs = path.join(reg.root, base, `${id}.md`);
    tried.add(abs);
    const hit = reg.files.contains(abs) ? tryFile(reg, abs, id, source) : undefined;
    if (hit) return hit;
  }
  const hits: Entry[] = [];
  for (const abs of reg.files.list()) {
    if (tried.has(abs)) continue;
    const hit = tryFile(reg, abs, id, source, true);
    if (hit) hits.push(hit);
  }
  if (hits.length > 1) {
    const where = hits.map((h) => h.located.path).join(', ');
    throw new PromptInvalidError(source, hits[0]!.located.path, [
      {
        code: 'duplicate-id',
        message: `Prompt id "${id}" is used by ${where}; ids must be unique`,
        line: 1,
        column: 1,
      },
    ]);
  }
  if (hits[0]) return hits[0];
  throw new PromptNotFoundError(source, `no file under ${reg.files.globs.join(', ')} in ${reg.root} has this id`);
}

function tryFile(
  reg: RegistryRoot,
  abs: string,
  id: string,
  source: PromptSource,
  mustMention = false,
): Entry | undefined {
  const stamp = new Stamp([abs]);
  const taken = stamp.current();
  const bytes = readBytes(abs);
  // Most files are ruled out without parsing: an explicit id must appear in the text.
  if (!bytes || (mustMention && reg.files.idFor(abs) !== id && !bytes.includes(id))) return undefined;
  const located = parseFile(reg, abs, bytes, id, source);
  if (!located) return undefined;
  stamp.verified(taken);
  return { file: abs, bytes, stamp, generation: reg.generation, located };
}

/** The parsed file when its id is `id`; throws PromptInvalidError when it is but the file has errors. */
function parseFile(
  reg: RegistryRoot,
  abs: string,
  bytes: Buffer,
  id: string,
  source: PromptSource,
): Located | undefined {
  const { prompt } = parseBlob(bytes, abs, reg.files.idFor(abs));
  if (prompt.id !== id) return undefined;
  const located: Located = {
    parsed: prompt,
    path: reg.files.relative(abs) ?? path.basename(abs),
    blobSha: gitBlobSha(bytes),
  };
  assertValid(located, source, located.path);
  return located;
}

function readBytes(abs: string): Buffer | undefined {
  try {
    return fs.readFileSync(abs);
  } catch {
    return undefined;
  }
}

/** Forgets every cached working-tree prompt. */
export function forgetWorkingTree(): void {
  entries.clear();
}
