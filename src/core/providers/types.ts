import type { ChatMessage } from '../prompt/template';

export interface CompletionParams {
  temperature?: number;
  max_tokens?: number;
  top_p?: number;
}

export interface CompletionRequest {
  /** The id the provider knows (any `provider/` prefix removed). */
  model: string;
  messages: ChatMessage[];
  params: CompletionParams;
  /** Ask for a JSON answer (`response_format: json_object`). */
  json: boolean;
  /** Aborts on cancellation of the run and at the case's deadline. */
  signal: AbortSignal;
  /** Epoch ms after which no answer is useful (the case timeout). */
  deadline: number;
  /** Retries on 408/409/429/5xx, timeouts and connection errors, by the `openai` client. */
  maxRetries: number;
}

export interface TokenUsage {
  input: number;
  output: number;
  /** True when the provider did not report usage and it was estimated from the text. */
  estimated: boolean;
}

export interface Completion {
  text: string;
  usage: TokenUsage;
  /** The model id the provider says answered. */
  model: string;
}

/** Something that answers chat messages: an OpenAI-compatible endpoint, or the offline echo. */
export interface ChatProvider {
  readonly name: string;
  readonly kind: 'openai' | 'echo';
  /** Identifies the endpoint in cache keys, so answers from two endpoints never mix. */
  readonly cacheIdentity: string;
  /** Throws a ProviderError (providers/errors.ts) on any failure. */
  complete(req: CompletionRequest): Promise<Completion>;
}

/** ~4 characters per token: what providers that report no usage (and echo) are charged by. */
export function estimateTokenCount(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}
