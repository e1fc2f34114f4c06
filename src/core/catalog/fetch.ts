import OpenAI from 'openai';
import type { ResolvedProvider } from '../config/load';
import { ProviderError, toProviderError } from '../providers/errors';
import { needsApiKey } from '../providers/keys';
import { modelListProblem } from './listCheck';
import { fetchAllModelItems, PagingError, type PagingLimits } from './pages';

/** What one provider says about one model; undefined fields are unknown to it. */
export interface FetchedModel {
  id: string;
  displayName?: string;
  contextWindow?: number;
  inputPricePer1M?: number;
  outputPricePer1M?: number;
  deprecationDate?: string;
}

export interface FetchOptions {
  apiKey?: string;
  /** Per attempt. */
  timeoutMs?: number;
  /** Retries on 408/409/429/5xx and connection errors; `retry-after(-ms)` is honoured by the openai client. */
  maxRetries?: number;
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof globalThis.fetch;
  /** Page and size caps; the defaults fit real providers. */
  paging?: PagingLimits;
}

const DEFAULT_TIMEOUT_MS = 20_000;
const DEFAULT_RETRIES = 2;

/** Lists a provider's models, every page, through the official `openai` client. */
export async function fetchProviderModels(
  provider: ResolvedProvider,
  opts: FetchOptions = {},
): Promise<FetchedModel[]> {
  if (!opts.apiKey && needsApiKey(provider)) {
    throw new ProviderError(provider.name, 'no-key', `no API key: set the ${provider.apiKeyEnv} environment variable`);
  }
  const client = new OpenAI({
    // Local servers (Ollama, LM Studio, vLLM) ignore the key, but the client requires one.
    apiKey: opts.apiKey || 'no-key',
    baseURL: provider.baseURL,
    timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxRetries: opts.maxRetries ?? DEFAULT_RETRIES,
    fetch: opts.fetch,
    // The CLI and the extension host are Node, never a browser; this only silences the SDK's browser check.
    dangerouslyAllowBrowser: true,
  });
  let items: unknown[];
  try {
    items = await fetchAllModelItems(client, opts.paging);
  } catch (e) {
    if (e instanceof PagingError) throw new ProviderError(provider.name, e.kind, e.message);
    throw toProviderError(provider.name, e, opts.apiKey);
  }
  const problem = modelListProblem(items);
  if (problem) throw new ProviderError(provider.name, 'invalid-list', `the model list is invalid: ${problem}`);
  const out: FetchedModel[] = [];
  for (const item of items) {
    const m = normalizeModel(item);
    if (m) out.push(m);
  }
  return out;
}

/**
 * Reads the fields OpenAI-compatible servers send; OpenRouter adds name, context_length, pricing and
 * expiration_date, OpenAI shutdown_date.
 */
export function normalizeModel(item: unknown): FetchedModel | undefined {
  if (!item || typeof item !== 'object') return undefined;
  const r = item as Record<string, unknown>;
  if (typeof r.id !== 'string' || r.id.trim() === '') return undefined;
  const out: FetchedModel = { id: r.id.trim() };
  // OpenRouter sends `name`, Anthropic `display_name`.
  const name = typeof r.name === 'string' && r.name.trim() ? r.name : r.display_name;
  if (typeof name === 'string' && name.trim()) out.displayName = name.trim();
  const ctx =
    num(r.context_length) ??
    num(r.context_window) ??
    num((r.top_provider as Record<string, unknown> | undefined)?.context_length);
  if (ctx !== undefined && ctx > 0) out.contextWindow = Math.round(ctx);
  const pricing = r.pricing as Record<string, unknown> | undefined;
  if (pricing && typeof pricing === 'object') {
    // OpenRouter: USD per token, as strings.
    const input = num(pricing.prompt);
    const output = num(pricing.completion);
    if (input !== undefined && input >= 0) out.inputPricePer1M = perMillion(input);
    if (output !== undefined && output >= 0) out.outputPricePer1M = perMillion(output);
  }
  const date = dateOnly(r.expiration_date) ?? dateOnly(r.shutdown_date) ?? dateOnly(r.deprecation_date);
  if (date) out.deprecationDate = date;
  return out;
}

function perMillion(perToken: number): number {
  // Round away float noise: 0.0000025 * 1e6 = 2.4999999999999996.
  return Math.round(perToken * 1e6 * 1e6) / 1e6;
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function dateOnly(v: unknown): string | undefined {
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v)) return v.slice(0, 10);
  if (typeof v === 'number' && v > 0) return new Date(v * (v < 1e12 ? 1000 : 1)).toISOString().slice(0, 10);
  return undefined;
}
