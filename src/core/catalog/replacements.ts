import { distance } from 'fastest-levenshtein';
import type { ResolvedConfig } from '../config/load';
import { daysUntilRetirement, modelRef, resolveModel, RETIRING_WITHIN_DAYS } from './lookup';
import type { Catalog, CatalogModel } from './types';

/**
 * The family of a model id: the id without the suffixes that only pick a
 * snapshot of the same model. Stripped from the end, repeatedly:
 *
 * - an OpenRouter variant after a colon: `:free`, `:beta`, `:nitro`;
 * - a date: `-2024-05-13`, `-20240229`, a short date `-05-06`;
 * - a snapshot number of 3 or 4 digits: `-0301`, `-1106`, `-002`;
 * - the words `-preview`, `-latest`, `-exp`, `-experimental`.
 *
 * So `gpt-4o-2024-05-13` and `gpt-4o` are one family, `gpt-3.5-turbo-0301` is
 * `gpt-3.5-turbo`, and `claude-3-5-sonnet-20241022` is `claude-3-5-sonnet`.
 * Size and tier words are part of the family: `gpt-4o-mini` is not `gpt-4o`,
 * `gpt-4-32k` is not `gpt-4`. Single and double digit parts are versions of a
 * different model (`claude-opus-4-1`), never stripped. A vendor prefix
 * (`anthropic/…`) stays; the comparison is case-insensitive.
 */
export function modelFamily(id: string): string {
  let f = id.toLowerCase();
  const suffix =
    /(?::[a-z0-9-]+|-\d{4}-\d{2}-\d{2}|-\d{8}|-\d{2}-\d{2}|-\d{3,4}|-(?:preview|latest|exp|experimental))$/;
  for (let next = f.replace(suffix, ''); next !== f && next !== ''; next = f.replace(suffix, '')) f = next;
  return f;
}

export interface Replacement {
  /** What to write in `model:` (bare id, or `provider/id` when the id is ambiguous). */
  ref: string;
  model: CatalogModel;
  /** Same family as the model being replaced (see `modelFamily`). */
  sameFamily: boolean;
}

export interface ReplacementOptions {
  /** At most this many (default 3). */
  limit?: number;
  /** For the retirement check (default: now). */
  now?: Date;
}

/**
 * Models to offer instead of `ref` (inactive, retiring, not enabled or
 * unknown), best first. Candidates are usable: active, enabled by
 * `models.enabled` (every active model when it is absent), not retiring within
 * RETIRING_WITHIN_DAYS, and not the model itself. Order:
 *
 * 1. the same family (`modelFamily`); within it the bare alias (`gpt-4o` for
 *    `gpt-4o-2024-05-13`, which follows the newest snapshot) first, then newer
 *    snapshots (higher ids) first;
 * 2. then the other models by closeness of their family to this one: a family
 *    that extends the other or is extended by it (`gpt-4o` ↔ `gpt-4o-mini`)
 *    first, then the longer common prefix, then the smaller edit distance.
 *
 * Ties go to the same provider, then recommended, then the workspace default,
 * then the id. Pure: no I/O, deterministic.
 */
export function suggestReplacements(
  ref: string,
  catalog: Catalog,
  config: ResolvedConfig,
  opts: ReplacementOptions = {},
): Replacement[] {
  const limit = opts.limit ?? 3;
  const now = opts.now ?? new Date();
  const resolved = resolveModel(ref, catalog);
  const current = resolved.kind === 'found' ? resolved.model : undefined;
  const currentId = current?.id ?? bareId(ref, catalog);
  const family = modelFamily(currentId);
  const provider = current?.provider ?? providerOf(ref, catalog);

  const candidates: { r: Replacement; key: (number | string)[] }[] = [];
  for (const m of catalog.models) {
    if (m === current || !m.active) continue;
    if (current === undefined && (m.id === ref || `${m.provider}/${m.id}` === ref)) continue;
    const days = daysUntilRetirement(m, now);
    if (days !== undefined && days <= RETIRING_WITHIN_DAYS) continue;
    const r = modelRef(m, catalog);
    if (!isEnabled(r, m, config)) continue;
    const f = modelFamily(m.id);
    const same = f === family;
    const related = !same && (f.startsWith(`${family}-`) || family.startsWith(`${f}-`));
    const isAlias = m.id.toLowerCase() === family;
    candidates.push({
      r: { ref: r, model: m, sameFamily: same },
      key: [
        same ? 0 : related ? 1 : 2,
        same ? (isAlias ? 0 : 1) : -commonPrefix(f, family),
        same ? 0 : distance(f, family),
        m.provider === provider ? 0 : 1,
        m.recommended ? 0 : 1,
        isDefault(r, m, config) ? 0 : 1,
      ],
    });
  }
  candidates.sort((a, b) => compareKeys(a.key, b.key) || compareIds(a.r, b.r));
  return candidates.slice(0, limit).map((c) => c.r);
}

function compareKeys(a: (number | string)[], b: (number | string)[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Within a family, newer snapshots have higher ids (dates, snapshot numbers); elsewhere, alphabetical. */
function compareIds(a: Replacement, b: Replacement): number {
  if (a.sameFamily && b.sameFamily)
    return b.model.id.localeCompare(a.model.id) || a.model.provider.localeCompare(b.model.provider);
  return a.model.id.localeCompare(b.model.id) || a.model.provider.localeCompare(b.model.provider);
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** For an unknown `provider/id` reference, the id part when the provider exists in the catalog. */
function bareId(ref: string, catalog: Catalog): string {
  const slash = ref.indexOf('/');
  if (slash > 0 && catalog.models.some((m) => m.provider === ref.slice(0, slash))) return ref.slice(slash + 1);
  return ref;
}

function providerOf(ref: string, catalog: Catalog): string | undefined {
  const slash = ref.indexOf('/');
  const p = slash > 0 ? ref.slice(0, slash) : undefined;
  return p && catalog.models.some((m) => m.provider === p) ? p : undefined;
}

function isEnabled(ref: string, m: CatalogModel, config: ResolvedConfig): boolean {
  const enabled = config.enabledModels;
  return !enabled || enabled.includes(ref) || enabled.includes(m.id) || enabled.includes(`${m.provider}/${m.id}`);
}

function isDefault(ref: string, m: CatalogModel, config: ResolvedConfig): boolean {
  const d = config.defaultModel;
  return d !== undefined && (d === ref || d === m.id || d === `${m.provider}/${m.id}`);
}
