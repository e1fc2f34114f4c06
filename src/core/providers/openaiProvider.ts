import { AsyncLocalStorage } from 'node:async_hooks';
import OpenAI from 'openai';
import { ProviderError, toProviderError } from './errors';
import { needsApiKey } from './keys';
import type { ResolvedProvider } from '../config/load';
import { estimateTokenCount, type ChatProvider, type Completion, type CompletionRequest } from './types';

/** Never sleep longer than this for one `retry-after`, whatever the server asks. */
export const MAX_RETRY_AFTER_MS = 60_000;

/** What the fetch wrapper needs to know about the call it serves. */
interface CallContext {
  deadline: number;
  /** Set when a retry-after was refused, for the error message. */
  refusedWaitMs?: number;
}

/**
 * Chat completions on any OpenAI-compatible endpoint through the official
 * `openai` client. Retries are the client's: 408/409/429/5xx, timeouts and
 * connection errors, honouring `retry-after-ms` and `retry-after`, otherwise
 * exponential backoff (0.5 s doubling, at most 8 s) with jitter. We only bound
 * what a server may ask for (see `boundRetryAfter`).
 */
export class OpenAIChatProvider implements ChatProvider {
  readonly kind = 'openai';
  readonly cacheIdentity: string;

  /** One client per provider for the whole run; each call's deadline reaches the fetch wrapper through `calls`. */
  private readonly client: OpenAI;
  private readonly calls = new AsyncLocalStorage<CallContext>();

  constructor(
    private readonly provider: ResolvedProvider,
    private readonly apiKey: string | undefined,
    fetchImpl: typeof globalThis.fetch = globalThis.fetch,
  ) {
    this.cacheIdentity = `openai:${provider.name}:${provider.baseURL ?? ''}`;
    this.client = new OpenAI({
      // Local servers (Ollama, LM Studio, vLLM) ignore the key, but the client requires one.
      apiKey: apiKey || 'no-key',
      baseURL: provider.baseURL,
      fetch: boundRetryAfter(fetchImpl, () => this.calls.getStore()),
      // The CLI and the extension host are Node, never a browser; this only silences the SDK's browser check.
      dangerouslyAllowBrowser: true,
    });
  }

  get name(): string {
    return this.provider.name;
  }

  async complete(req: CompletionRequest): Promise<Completion> {
    if (!this.apiKey && needsApiKey(this.provider)) {
      throw new ProviderError(
        this.name,
        'no-key',
        `no API key: set the ${this.provider.apiKeyEnv} environment variable`,
      );
    }
    const ctx: CallContext = { deadline: req.deadline };
    const body: OpenAI.Chat.ChatCompletionCreateParamsNonStreaming = {
      model: req.model,
      messages: req.messages.map((m) => ({ role: m.role, content: m.content })),
      ...req.params,
      ...(req.json ? { response_format: { type: 'json_object' as const } } : {}),
    };
    let res: OpenAI.Chat.ChatCompletion;
    try {
      const call = this.calls.run(ctx, () =>
        this.client.chat.completions.create(body, {
          signal: req.signal,
          maxRetries: req.maxRetries,
          // Per attempt; the case deadline (the signal) bounds all attempts together.
          timeout: Math.max(1, Math.ceil(req.deadline - Date.now())),
        }),
      );
      res = await abortable(call, req.signal);
    } catch (e) {
      throw this.failure(e, req, ctx.refusedWaitMs);
    }
    return this.read(res, req);
  }

  private read(res: OpenAI.Chat.ChatCompletion, req: CompletionRequest): Completion {
    const choice = (res as Partial<OpenAI.Chat.ChatCompletion>)?.choices?.[0];
    if (!choice || typeof choice !== 'object' || !choice.message) {
      throw new ProviderError(this.name, 'malformed', 'the response has no choices[0].message');
    }
    const text = choice.message.content ?? choice.message.refusal ?? '';
    const u = res.usage;
    const usage =
      u && Number.isFinite(u.prompt_tokens) && Number.isFinite(u.completion_tokens)
        ? { input: u.prompt_tokens, output: u.completion_tokens, estimated: false }
        : {
            input: req.messages.reduce((n, m) => n + estimateTokenCount(m.content), 0),
            output: estimateTokenCount(text),
            estimated: true,
          };
    return { text, usage, model: typeof res.model === 'string' && res.model ? res.model : req.model };
  }

  private failure(e: unknown, req: CompletionRequest, refusedWaitMs?: number): ProviderError {
    if (e instanceof ProviderError) return e;
    if (req.signal.aborted || e instanceof OpenAI.APIUserAbortError) {
      return new ProviderError(this.name, 'timeout', 'no answer before the case timeout');
    }
    const err = toProviderError(this.name, e, this.apiKey);
    if (refusedWaitMs !== undefined && err.kind === 'rate-limit') {
      return new ProviderError(
        this.name,
        'rate-limit',
        `rate limited: the provider asked to wait ${(refusedWaitMs / 1000).toFixed(1)} s, longer than the case has left`,
        err.status,
      );
    }
    if (err.status === 404)
      return new ProviderError(
        this.name,
        'http',
        `model "${req.model}" not found (${err.message.replace(`${this.name}: `, '')})`,
        404,
      );
    return err;
  }
}

/**
 * Wraps fetch so a server cannot park a case: a `retry-after(-ms)` longer than
 * the case has left (or than MAX_RETRY_AFTER_MS) turns into "do not retry"
 * (`x-should-retry: false`, which the client obeys), so the case fails now with
 * the reason. Shorter waits get up to 10 % jitter added, so a burst of cases
 * told "100 ms" does not come back in one burst.
 */
export function boundRetryAfter(
  fetchImpl: typeof globalThis.fetch,
  context: () => CallContext | undefined,
): typeof globalThis.fetch {
  return async (input, init) => {
    const res = await fetchImpl(input, init);
    if (res.ok) return res;
    const wait = retryAfterMs(res.headers);
    if (wait === undefined) return res;
    const ctx = context();
    const remaining = ctx ? ctx.deadline - Date.now() : MAX_RETRY_AFTER_MS;
    const headers = new Headers(res.headers);
    if (wait > Math.min(MAX_RETRY_AFTER_MS, remaining)) {
      if (ctx) ctx.refusedWaitMs = wait;
      headers.set('x-should-retry', 'false');
    } else {
      headers.delete('retry-after');
      headers.set('retry-after-ms', String(Math.round(wait * (1 + Math.random() * 0.1))));
    }
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
  };
}

/** The wait a response asks for, as the `openai` client reads it: retry-after-ms, else retry-after (seconds or a date). */
export function retryAfterMs(headers: Headers): number | undefined {
  const ms = parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms)) return Math.max(0, ms);
  const ra = headers.get('retry-after');
  if (!ra) return undefined;
  const s = parseFloat(ra);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const at = Date.parse(ra);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

/**
 * Settles as soon as `signal` aborts. The client checks the signal before each
 * attempt, so nothing more is sent, but it does not wake from a backoff sleep;
 * without this a cancelled case would wait for that sleep to end.
 */
export function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    p.catch(() => undefined);
    return Promise.reject(new OpenAI.APIUserAbortError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new OpenAI.APIUserAbortError());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
