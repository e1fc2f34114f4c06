import { z } from 'zod';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'must be an ISO date such as 2026-01-31');

/** Where a value came from: the provider's own list, or the bundled snapshot (an estimate; see modelData.json). */
export const metadataSource = z.enum(['provider', 'snapshot']);
export type MetadataSource = z.infer<typeof metadataSource>;

/** One model, as the catalog file stores it. Metadata fields are optional: providers vary in what they report. */
export const catalogModelSchema = z.object({
  id: z.string().min(1),
  provider: z.string().min(1),
  active: z.boolean(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  updatedAt: z.string(),
  displayName: z.string().optional(),
  contextWindow: z.number().int().positive().optional(),
  inputPricePer1M: z.number().nonnegative().optional(),
  outputPricePer1M: z.number().nonnegative().optional(),
  recommended: z.boolean().optional(),
  deprecationDate: isoDate.optional(),
  /** Per value, where it came from; absent for values typed by hand or written before sources were kept. */
  sources: z
    .object({
      displayName: metadataSource.optional(),
      contextWindow: metadataSource.optional(),
      /** Input and output prices always come from the same place. */
      price: metadataSource.optional(),
      deprecationDate: metadataSource.optional(),
    })
    .optional(),
});

export const catalogSchema = z.object({
  version: z.literal(1),
  /** Per provider: when its list was last fetched successfully. */
  providers: z.record(z.string(), z.object({ lastRefresh: z.string().optional() })).default({}),
  models: z.array(catalogModelSchema),
});

export type CatalogModel = z.infer<typeof catalogModelSchema>;
export type Catalog = z.infer<typeof catalogSchema>;

/** Metadata a provider's model list may lack, keyed by model id. */
export type ModelMetadata = Pick<
  CatalogModel,
  'displayName' | 'contextWindow' | 'inputPricePer1M' | 'outputPricePer1M' | 'recommended' | 'deprecationDate'
> & {
  /** Which vendor makes it; used for grouping when the provider is an aggregator. */
  vendor: string;
};
