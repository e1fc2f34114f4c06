import type { Catalog, CatalogModel } from '../../../src/core/catalog/types';

const AT = '2026-01-01T00:00:00.000Z';

export function model(id: string, extra: Partial<CatalogModel> = {}): CatalogModel {
  return { id, provider: 'openai', active: true, firstSeen: AT, lastSeen: AT, updatedAt: AT, ...extra };
}

export function catalogOf(...models: CatalogModel[]): Catalog {
  return { version: 1, providers: {}, models };
}
