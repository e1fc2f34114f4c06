import type { ModelMetadata } from './types';

/**
 * Prices (USD per 1M tokens) and context windows of well-known models, because
 * OpenAI's /v1/models carries neither. A value a provider sends wins over these.
 * Sources: the vendors' public price pages; review when a refresh shows a new model.
 */
export const KNOWN_MODELS: Readonly<Record<string, ModelMetadata>> = {
  'gpt-5': { vendor: 'openai', displayName: 'GPT-5', contextWindow: 400_000, inputPricePer1M: 1.25, outputPricePer1M: 10, recommended: true },
  'gpt-5-mini': { vendor: 'openai', displayName: 'GPT-5 mini', contextWindow: 400_000, inputPricePer1M: 0.25, outputPricePer1M: 2, recommended: true },
  'gpt-5-nano': { vendor: 'openai', displayName: 'GPT-5 nano', contextWindow: 400_000, inputPricePer1M: 0.05, outputPricePer1M: 0.4 },
  'gpt-4.1': { vendor: 'openai', displayName: 'GPT-4.1', contextWindow: 1_047_576, inputPricePer1M: 2, outputPricePer1M: 8 },
  'gpt-4.1-mini': { vendor: 'openai', displayName: 'GPT-4.1 mini', contextWindow: 1_047_576, inputPricePer1M: 0.4, outputPricePer1M: 1.6 },
  'gpt-4.1-nano': { vendor: 'openai', displayName: 'GPT-4.1 nano', contextWindow: 1_047_576, inputPricePer1M: 0.1, outputPricePer1M: 0.4 },
  'gpt-4o': { vendor: 'openai', displayName: 'GPT-4o', contextWindow: 128_000, inputPricePer1M: 2.5, outputPricePer1M: 10 },
  'gpt-4o-mini': { vendor: 'openai', displayName: 'GPT-4o mini', contextWindow: 128_000, inputPricePer1M: 0.15, outputPricePer1M: 0.6 },
  'gpt-4-turbo': { vendor: 'openai', displayName: 'GPT-4 Turbo', contextWindow: 128_000, inputPricePer1M: 10, outputPricePer1M: 30 },
  'gpt-3.5-turbo': { vendor: 'openai', displayName: 'GPT-3.5 Turbo', contextWindow: 16_385, inputPricePer1M: 0.5, outputPricePer1M: 1.5 },
  'o3': { vendor: 'openai', displayName: 'o3', contextWindow: 200_000, inputPricePer1M: 2, outputPricePer1M: 8 },
  'o3-mini': { vendor: 'openai', displayName: 'o3-mini', contextWindow: 200_000, inputPricePer1M: 1.1, outputPricePer1M: 4.4 },
  'o4-mini': { vendor: 'openai', displayName: 'o4-mini', contextWindow: 200_000, inputPricePer1M: 1.1, outputPricePer1M: 4.4 },
  'claude-opus-4-1': { vendor: 'anthropic', displayName: 'Claude Opus 4.1', contextWindow: 200_000, inputPricePer1M: 15, outputPricePer1M: 75 },
  'claude-sonnet-4-5': { vendor: 'anthropic', displayName: 'Claude Sonnet 4.5', contextWindow: 200_000, inputPricePer1M: 3, outputPricePer1M: 15, recommended: true },
  'claude-haiku-4-5': { vendor: 'anthropic', displayName: 'Claude Haiku 4.5', contextWindow: 200_000, inputPricePer1M: 1, outputPricePer1M: 5 },
  'claude-3-opus-20240229': { vendor: 'anthropic', displayName: 'Claude 3 Opus', contextWindow: 200_000, inputPricePer1M: 15, outputPricePer1M: 75, deprecationDate: '2026-01-05' },
  'gemini-2.5-pro': { vendor: 'google', displayName: 'Gemini 2.5 Pro', contextWindow: 1_048_576, inputPricePer1M: 1.25, outputPricePer1M: 10 },
  'gemini-2.5-flash': { vendor: 'google', displayName: 'Gemini 2.5 Flash', contextWindow: 1_048_576, inputPricePer1M: 0.3, outputPricePer1M: 2.5 },
  'llama3.1': { vendor: 'meta', displayName: 'Llama 3.1 8B (local)', contextWindow: 131_072, inputPricePer1M: 0, outputPricePer1M: 0 },
};

/** Metadata for `id`, also when the provider prefixes it ("openai/gpt-4o") or dates it ("gpt-4o-2024-08-06"). */
export function knownMetadata(id: string): ModelMetadata | undefined {
  const bare = id.includes('/') ? id.slice(id.lastIndexOf('/') + 1) : id;
  return KNOWN_MODELS[bare] ?? KNOWN_MODELS[bare.replace(/-\d{4}-\d{2}-\d{2}$/, '')];
}
