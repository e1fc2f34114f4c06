import snapshot from './modelData.json';
import type { ModelMetadata } from './types';

/** genai-prices' id rules, kept as they are so their maintainers' matching is ours. */
export type MatchRule =
  | { and: MatchRule[] }
  | { or: MatchRule[] }
  | { equals: string }
  | { starts_with: string }
  | { ends_with: string }
  | { contains: string }
  | { regex: string };

export interface SnapshotModel {
  /** The source's canonical id ("claude-3-5-sonnet"). */
  id: string;
  name?: string;
  match: MatchRule;
  contextWindow?: number;
  /** USD per 1M tokens. */
  input?: number;
  output?: number;
  deprecated?: boolean;
}

/** What `npm run catalog:data` writes (scripts/catalog-data.ts). */
export interface ModelData {
  source: string;
  sourceVersion: string;
  license: string;
  /** The day the snapshot was taken: its prices are those in force then. */
  generated: string;
  vendors: Record<string, { name: string; models: SnapshotModel[] }>;
}

export const MODEL_DATA = snapshot as ModelData;

/**
 * An editorial choice, not data: what the picker marks "recommended". Canonical
 * ids of the snapshot, so dated and prefixed ids of the same model get it too.
 */
const RECOMMENDED = new Set(['gpt-5', 'gpt-5-mini', 'claude-sonnet-4-5']);

/** Id prefixes that name the vendor (OpenRouter's `anthropic/…`, `mistralai/…`), mapped to the snapshot's vendors. */
const VENDOR_PREFIXES: Record<string, string> = {
  openai: 'openai',
  anthropic: 'anthropic',
  google: 'google',
  mistral: 'mistral',
  mistralai: 'mistral',
  deepseek: 'deepseek',
  'deepseek-ai': 'deepseek',
  xai: 'xai',
  'x-ai': 'xai',
  cohere: 'cohere',
  moonshotai: 'moonshotai',
};

export interface SnapshotHit {
  vendor: string;
  model: SnapshotModel;
}

const hits = new Map<string, SnapshotHit | undefined>();

/**
 * The snapshot's model for a provider's id, across naming styles: provider or
 * vendor prefixes (`openrouter/anthropic/claude-3.5-sonnet`), dated snapshots
 * (`claude-3-5-sonnet-20241022`, `gpt-4o-2024-08-06`, `…@20240620`), `-latest`
 * aliases, and dots for dashes in version numbers (`claude-3.5-sonnet`). The
 * source's own rules are tried first; the variants only when they miss.
 */
export function findSnapshotModel(id: string, data: ModelData = MODEL_DATA): SnapshotHit | undefined {
  if (data === MODEL_DATA && hits.has(id)) return hits.get(id);
  const hit = lookup(id, data);
  if (data === MODEL_DATA) hits.set(id, hit);
  return hit;
}

/** Catalog metadata for an id, or undefined when the snapshot does not know it. */
export function snapshotMetadata(id: string, data: ModelData = MODEL_DATA): ModelMetadata | undefined {
  const hit = findSnapshotModel(id, data);
  if (!hit) return undefined;
  const m = hit.model;
  const out: ModelMetadata = { vendor: hit.vendor };
  if (m.name) out.displayName = m.name;
  if (m.contextWindow) out.contextWindow = m.contextWindow;
  if (m.input !== undefined) out.inputPricePer1M = m.input;
  if (m.output !== undefined) out.outputPricePer1M = m.output;
  if (RECOMMENDED.has(m.id)) out.recommended = true;
  return out;
}

function lookup(id: string, data: ModelData): SnapshotHit | undefined {
  const segments = id.trim().toLowerCase().split('/').filter(Boolean);
  const bare = segments.at(-1);
  if (!bare) return undefined;
  const hinted = segments
    .slice(0, -1)
    .map((s) => VENDOR_PREFIXES[s] ?? s)
    .find((v) => data.vendors[v]);
  const vendors = hinted ? [hinted] : Object.keys(data.vendors);
  for (const name of variants(bare)) {
    for (const vendor of vendors) {
      const model = data.vendors[vendor]!.models.find((m) => matches(m.match, name));
      if (model) return { vendor, model };
    }
  }
  return undefined;
}

/** The id itself first, then each rewriting that names the same model. */
function variants(bare: string): string[] {
  const out = [bare];
  const add = (s: string) => {
    if (s && !out.includes(s)) out.push(s);
  };
  const undated = bare.replace(/[-@](\d{8}|\d{4}-\d{2}-\d{2})$/, '');
  const unaliased = undated.replace(/-latest$/, '');
  for (const s of [undated, unaliased]) {
    add(s);
    add(s.replace(/(\d)\.(\d)/g, '$1-$2'));
    add(s.replace(/(\d)-(\d)(?!\d)/g, '$1.$2'));
  }
  return out;
}

const regexes = new Map<string, RegExp>();

export function matches(rule: MatchRule, id: string): boolean {
  if ('equals' in rule) return id === rule.equals;
  if ('starts_with' in rule) return id.startsWith(rule.starts_with);
  if ('ends_with' in rule) return id.endsWith(rule.ends_with);
  if ('contains' in rule) return id.includes(rule.contains);
  if ('regex' in rule) {
    let re = regexes.get(rule.regex);
    if (!re) regexes.set(rule.regex, (re = new RegExp(rule.regex)));
    return re.test(id);
  }
  if ('or' in rule) return rule.or.some((r) => matches(r, id));
  if ('and' in rule) return rule.and.every((r) => matches(r, id));
  return false;
}
