import * as path from 'node:path';
import type { Catalog } from '../catalog/types';
import { resolveModel } from '../catalog/lookup';
import type { ParsedPrompt } from '../prompt/types';

export interface PromptFilter {
  /** Only prompts currently on this model (same catalog model, however it is written). */
  from?: string;
  tag?: string;
  /** Absolute files or folders; empty means everywhere. */
  paths?: string[];
}

/** The prompts a bulk command acts on. */
export function selectPrompts(prompts: ParsedPrompt[], filter: PromptFilter, catalog?: Catalog): ParsedPrompt[] {
  const from = filter.from;
  const fromModel = from && catalog ? resolveModel(from, catalog) : undefined;
  const dirs = (filter.paths ?? []).map((p) => (p.endsWith(path.sep) ? p : p + path.sep));
  return prompts
    .filter((p) => {
      if (filter.paths?.length && !filter.paths.includes(p.file!) && !dirs.some((d) => p.file!.startsWith(d)))
        return false;
      if (filter.tag && !p.tags.includes(filter.tag)) return false;
      if (from !== undefined) {
        if (!p.model) return false;
        if (p.model !== from) {
          const r = fromModel?.kind === 'found' && catalog ? resolveModel(p.model, catalog) : undefined;
          if (!(r?.kind === 'found' && fromModel?.kind === 'found' && r.model === fromModel.model)) return false;
        }
      }
      return true;
    })
    .sort((a, b) => a.file!.localeCompare(b.file!));
}
