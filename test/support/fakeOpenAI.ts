import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted misbehaviour, used for the next matching request. */
export type Fault =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: unknown }
  | { kind: 'delay'; ms: number }
  | { kind: 'malformed' }
  | { kind: 'reset' };

/** What the chat route answers: text, or a full reply (usage, status, headers). */
export type ChatReply =
  | string
  | {
      content?: string | null;
      usage?: { prompt_tokens: number; completion_tokens: number } | null;
      status?: number;
      headers?: Record<string, string>;
      body?: unknown;
    };

/**
 * How GET /v1/models pages: `after` (OpenAI-style cursors: has_more, first_id,
 * last_id, next page at ?after=), `after_id` (Anthropic's /v1/models, same body,
 * next page at ?after_id=, default limit 20), `links` (OpenRouter: links.next
 * with ?offset=). Undefined: one page with everything, as OpenAI's /v1/models.
 */
export type PageStyle = 'after' | 'after_id' | 'links';

export interface RecordedRequest {
  method: string;
  path: string;
  /** The query string without '?', '' when none. */
  query?: string;
  authorization?: string;
  at: number;
  body?: unknown;
}

/**
 * A loopback OpenAI-compatible server for tests: the real `openai` client talks
 * to it over HTTP. Faults are queued per route and consumed in order.
 */
export class FakeOpenAI {
  models: Record<string, unknown>[] = [];
  /** When set, requests must carry `Authorization: Bearer <apiKey>` or get 401. */
  apiKey?: string;
  /** Overrides the whole /models body (for "not a list" cases). */
  modelsBody?: unknown;
  readonly requests: RecordedRequest[] = [];
  pageStyle?: PageStyle;
  /** Page size when the request has no `limit`; Anthropic's default is 20. */
  pageSize = 100;
  /** Rewrites one page's body before it is sent (a loop, a bad link, a huge page): fault cases. */
  pageHook?: (body: Record<string, unknown>, query: URLSearchParams) => unknown;
  /** POST /v1/chat/completions answers with this; by default the last message's content, upper-cased. */
  reply: (body: ChatBody) => ChatReply = (b) => String(b.messages?.at(-1)?.content ?? '').toUpperCase();
  /** Added before every chat answer (the benchmark's 50 ms). */
  chatLatencyMs = 0;
  /** A fault for the n-th chat request (1-based), decided as it arrives: "every 10th request is a 429". */
  chatFaultFor?: (n: number, body: ChatBody) => Fault | undefined;
  /** Request bodies are kept unless this is false (the benchmark keeps memory flat). */
  keepBodies = true;
  /** Chat requests being answered right now, and the most at once. */
  inFlight = 0;
  maxInFlight = 0;
  private chatCount = 0;
  private readonly faults = new Map<string, Fault[]>();
  private server?: http.Server;
  private readonly sockets = new Set<import('node:net').Socket>();

  get baseURL(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  /** The Authorization header of every request so far, in arrival order (undefined when absent). */
  authorizations(): (string | undefined)[] {
    return this.requests.map((r) => r.authorization);
  }

  /** How many requests so far carried `secret` anywhere in their Authorization header. */
  sawKey(secret: string): number {
    return this.requests.filter((r) => r.authorization?.includes(secret)).length;
  }

  /** Queue faults for a route ('/v1/models', '/v1/chat/completions'). */
  fail(route: string, ...faults: Fault[]): this {
    this.faults.set(route, [...(this.faults.get(route) ?? []), ...faults]);
    return this;
  }

  setModels(ids: (string | Record<string, unknown>)[]): this {
    this.models = ids.map((m) =>
      typeof m === 'string' ? { id: m, object: 'model', created: 1700000000, owned_by: 'test' } : m,
    );
    return this;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  count(path: string): number {
    return this.requests.filter((r) => r.path === path).length;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const [path = '', query = ''] = (req.url ?? '').split('?');
    // Arrival time, before the body is read: what "sent after cancellation" is judged by.
    const at = Date.now();
    let body: unknown;
    if (req.method === 'POST') {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = undefined;
      }
    }
    this.requests.push({
      method: req.method ?? '',
      path,
      query,
      authorization: req.headers.authorization,
      at,
      body: this.keepBodies ? body : undefined,
    });
    const isChat = req.method === 'POST' && path === '/v1/chat/completions';
    const fault =
      this.faults.get(path)?.shift() ?? (isChat ? this.chatFaultFor?.(++this.chatCount, body as ChatBody) : undefined);
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms));
    if (fault?.kind === 'malformed') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"object": "list", "data": [');
      return;
    }
    if (fault?.kind === 'status') {
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      res.end(JSON.stringify(fault.body ?? { error: { message: `injected ${fault.status}`, type: 'test' } }));
      return;
    }
    if (this.apiKey !== undefined && req.headers.authorization !== `Bearer ${this.apiKey}`) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: {
            message: `Incorrect API key provided: ${String(req.headers.authorization).slice(7, 12)}***`,
            type: 'invalid_request_error',
          },
        }),
      );
      return;
    }
    if (isChat) {
      await this.answerChat(body as ChatBody, res);
      return;
    }
    if (req.method === 'GET' && path === '/v1/models') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(this.modelsBody ?? this.modelsPage(new URLSearchParams(query))));
      return;
    }
    res
      .writeHead(404, { 'content-type': 'application/json' })
      .end(JSON.stringify({ error: { message: `no route ${path}` } }));
  }

  private modelsPage(q: URLSearchParams): unknown {
    if (!this.pageStyle) return { object: 'list', data: this.models };
    const limit = Number(q.get('limit')) || this.pageSize;
    let start = 0;
    if (this.pageStyle === 'links') {
      start = Number(q.get('offset') ?? 0);
    } else {
      const cursor = q.get(this.pageStyle);
      if (cursor !== null) start = this.models.findIndex((m) => m.id === cursor) + 1;
    }
    const data = this.models.slice(start, start + limit);
    const more = start + limit < this.models.length;
    const body: Record<string, unknown> =
      this.pageStyle === 'links'
        ? { data, links: { next: more ? `${this.baseURL}/models?offset=${start + limit}` : null } }
        : { object: 'list', data, has_more: more, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
    return this.pageHook ? this.pageHook(body, q) : body;
  }

  private async answerChat(body: ChatBody, res: http.ServerResponse): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.chatLatencyMs) await new Promise((r) => setTimeout(r, this.chatLatencyMs));
      const r = this.reply(body ?? ({} as ChatBody));
      const reply = typeof r === 'string' ? { content: r } : r;
      if (reply.status && reply.status !== 200) {
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        res.end(
          JSON.stringify(
            reply.body ?? { error: { message: `model ${body?.model} failed with ${reply.status}`, type: 'test' } },
          ),
        );
        return;
      }
      const content = reply.content ?? null;
      const usage =
        reply.usage === null
          ? undefined
          : (reply.usage ?? {
              prompt_tokens: 10,
              completion_tokens: Math.max(1, Math.ceil(String(content ?? '').length / 4)),
            });
      res.writeHead(200, { 'content-type': 'application/json', ...reply.headers });
      res.end(
        JSON.stringify(
          reply.body ?? {
            id: `chatcmpl-${this.requests.length}`,
            object: 'chat.completion',
            created: 1700000000,
            model: body?.model ?? 'unknown',
            choices: [
              {
                index: 0,
                message: { role: 'assistant', content, refusal: null },
                finish_reason: 'stop',
                logprobs: null,
              },
            ],
            ...(usage ? { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } } : {}),
          },
        ),
      );
    } finally {
      this.inFlight--;
    }
  }
}

export interface ChatBody {
  model: string;
  messages: { role: string; content: string }[];
  temperature?: number;
  max_tokens?: number;
  top_p?: number;
  response_format?: { type: string };
}
