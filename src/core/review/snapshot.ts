import { parseCatalog, CATALOG_FILE } from '../catalog/store';
import type { Catalog } from '../catalog/types';
import type { Diagnostic } from '../text/diagnostics';
import type { Env } from '../config/load';
import { readObjects } from '../git/git';
import { promptsAtRef, type ParsedBlobs, type PromptsAtRef } from '../workspace/promptsAtRef';

/** Everything a review needs from one ref: its prompts, config and the catalog committed there. */
export interface Snapshot extends PromptsAtRef {
  ref: string;
  catalog?: Catalog;
  /** The committed catalog's problems (invalid JSON or shape). */
  catalogDiagnostics: Diagnostic[];
  catalogExists: boolean;
}

export async function snapshotAt(
  root: string,
  ref: string,
  env: Env = process.env,
  parsed?: ParsedBlobs,
): Promise<Snapshot> {
  const at = await promptsAtRef(root, ref, env, parsed);
  const rel = CATALOG_FILE.split('\\').join('/');
  const spec = `${at.commit}:${at.prefix ? `${at.prefix}/${rel}` : rel}`;
  const blob = (await readObjects(at.top, [spec])).get(spec);
  if (!blob) return { ...at, ref, catalogDiagnostics: [], catalogExists: false };
  const cat = parseCatalog(blob.toString('utf8'));
  return { ...at, ref, catalog: cat.catalog, catalogDiagnostics: cat.diagnostics, catalogExists: true };
}

/**
 * The catalog to price a change with: HEAD's, plus models only BASE's knows,
 * so a model dropped from the catalog in the same change still has its old price.
 */
export function reviewCatalog(head: Catalog | undefined, base: Catalog | undefined): Catalog | undefined {
  if (!head || !base) return head ?? base;
  const key = (m: { provider: string; id: string }) => `${m.provider}\0${m.id}`;
  const known = new Set(head.models.map(key));
  return { ...head, models: [...head.models, ...base.models.filter((m) => !known.has(key(m)))] };
}
