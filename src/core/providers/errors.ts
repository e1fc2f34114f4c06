import OpenAI from 'openai';
import { redact } from '../text/redact';
import { errorMessage } from '../text/errorMessage';

export type ProviderErrorKind =
  | 'no-key'
  /** The key's host is not allowed for it (providers/keyPolicy.ts): no request was made. */
  | 'key-refused'
  | 'auth'
  | 'rate-limit'
  | 'server'
  | 'timeout'
  | 'network'
  | 'malformed'
  | 'not-a-list'
  | 'http'
  /** A page loop, too many pages or a next page on another host. */
  | 'paging'
  | 'too-large'
  /** Duplicate or non-string ids, bad prices. */
  | 'invalid-list';

/** A failed fetch, with a one-line reason that never contains the API key. */
export class ProviderError extends Error {
  constructor(
    readonly provider: string,
    readonly kind: ProviderErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(`${provider}: ${message}`);
    this.name = 'ProviderError';
  }
}

/** The most specific reason in an error's cause chain: undici wraps ECONNREFUSED in "fetch failed". */
function rootCause(e: unknown): string {
  let best = errorMessage(e);
  for (
    let c = (e as { cause?: unknown }).cause, depth = 0;
    c && depth < 5;
    c = (c as { cause?: unknown }).cause, depth++
  ) {
    const { code, message } = c as { code?: string; message?: string };
    if (code) return message && !message.includes(code) ? `${code} (${message})` : (message ?? code);
    if (message) best = message;
  }
  return best;
}

/** Classifies an `openai` client error as a ProviderError with a one-line, key-free reason. */
export function toProviderError(provider: string, e: unknown, apiKey?: string): ProviderError {
  const clean = (s: string) => redact(s, [apiKey]).split('\n')[0]!.slice(0, 300);
  if (e instanceof OpenAI.APIConnectionTimeoutError)
    return new ProviderError(provider, 'timeout', 'the request timed out');
  if (e instanceof OpenAI.APIConnectionError) {
    return new ProviderError(provider, 'network', `cannot connect: ${clean(rootCause(e))}`);
  }
  if (e instanceof OpenAI.APIError) {
    const status = e.status;
    const detail = clean(e.message);
    if (status === 401 || status === 403)
      return new ProviderError(provider, 'auth', `the API key was rejected (${detail})`, status);
    if (status === 429)
      return new ProviderError(provider, 'rate-limit', `rate limited, still after retries (${detail})`, status);
    if (status !== undefined && status >= 500)
      return new ProviderError(provider, 'server', `server error (${detail})`, status);
    return new ProviderError(provider, 'http', detail, status);
  }
  if (e instanceof SyntaxError) return new ProviderError(provider, 'malformed', 'the response is not valid JSON');
  return new ProviderError(provider, 'malformed', clean(errorMessage(e)));
}
