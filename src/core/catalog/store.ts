import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseJson, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { Diagnostic } from '../text/diagnostics';
import { LineIndex } from '../text/lineIndex';
import { catalogSchema, type Catalog, type CatalogModel } from './types';

export const CATALOG_FILE = path.join('.prompt-registry', 'catalog.json');

export interface LoadedCatalog {
  /**
   * Undefined when the file is absent or unusable: model checks are then skipped.
   * In a PromptWorkspace this is the configured view (configuredCatalog): only
   * providers in prompt-registry.yaml, with their declared models.
   */
  catalog?: Catalog;
  /** The file as stored, every provider's records included (PromptWorkspace only). */
  stored?: Catalog;
  file: string;
  exists: boolean;
  diagnostics: Diagnostic[];
}

export function catalogPath(root: string): string {
  return path.join(root, CATALOG_FILE);
}

export function loadCatalog(root: string): LoadedCatalog {
  const file = catalogPath(root);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { file, exists: false, diagnostics: [] };
  }
  return { ...parseCatalog(text), file, exists: true };
}

export function parseCatalog(text: string): { catalog?: Catalog; diagnostics: Diagnostic[] } {
  const lines = new LineIndex(text);
  const errors: ParseError[] = [];
  const json: unknown = parseJson(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length) {
    const e = errors[0]!;
    return {
      diagnostics: [
        {
          severity: 'error',
          code: 'catalog-invalid',
          message: `Catalog is not valid JSON (${printParseErrorCode(e.error)}). Model checks are skipped until it is fixed or refreshed`,
          range: lines.rangeAt(e.offset, e.offset + e.length),
        },
      ],
    };
  }
  const r = catalogSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    return {
      diagnostics: [
        {
          severity: 'error',
          code: 'catalog-invalid',
          message: `Catalog is invalid at ${issue.path.join('.') || 'top level'}: ${issue.message}. Model checks are skipped until it is fixed or refreshed`,
          range: lines.rangeAt(0, 0),
        },
      ],
    };
  }
  return { catalog: r.data, diagnostics: [] };
}

/** Stable order and key order, so a refresh shows up as a small, reviewable diff. */
export function serializeCatalog(catalog: Catalog): string {
  const models = [...catalog.models]
    .sort((a, b) => a.provider.localeCompare(b.provider) || a.id.localeCompare(b.id))
    .map(orderModel);
  const providers = Object.fromEntries(
    Object.keys(catalog.providers)
      .sort()
      .map((k) => [k, catalog.providers[k]]),
  );
  return `${JSON.stringify({ version: 1, providers, models }, null, 2)}\n`;
}

const MODEL_KEY_ORDER: (keyof CatalogModel)[] = [
  'id',
  'provider',
  'active',
  'displayName',
  'contextWindow',
  'inputPricePer1M',
  'outputPricePer1M',
  'recommended',
  'deprecationDate',
  'sources',
  'firstSeen',
  'lastSeen',
  'updatedAt',
];

const SOURCE_KEY_ORDER = ['displayName', 'contextWindow', 'price', 'deprecationDate'] as const;

function orderModel(m: CatalogModel): CatalogModel {
  const out: Record<string, unknown> = {};
  for (const k of MODEL_KEY_ORDER) if (m[k] !== undefined) out[k] = m[k];
  const sources = SOURCE_KEY_ORDER.filter((k) => m.sources?.[k]).map((k) => [k, m.sources![k]]);
  if (sources.length) out.sources = Object.fromEntries(sources);
  else delete out.sources;
  return out as CatalogModel;
}
