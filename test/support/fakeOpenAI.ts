import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted misbehaviour, used for the next matching request. */
export type Fault =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: unknown }
  | { kind: 'delay'; ms: number }
  | { kind: 'malformed' }
  | { kind: 'reset' };

export interface RecordedRequest {
  method: string;
  path: string;
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
  private readonly faults = new Map<string, Fault[]>();
  private server?: http.Server;
  private readonly sockets = new Set<import('node:net').Socket>();

  get baseURL(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}/v1`;
  }

  /** Queue faults for a route ('/v1/models', '/v1/chat/completions'). */
  fail(route: string, ...faults: Fault[]): this {
    this.faults.set(route, [...(this.faults.get(route) ?? []), ...faults]);
    return this;
  }

  setModels(ids: (string | Record<string, unknown>)[]): this {
    this.models = ids.map((m) => (typeof m === 'string' ? { id: m, object: 'model', created: 1700000000, owned_by: 'test' } : m));
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
    const path = (req.url ?? '').split('?')[0]!;
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
    this.requests.push({ method: req.method ?? '', path, authorization: req.headers.authorization, at: Date.now(), body });
    const fault = this.faults.get(path)?.shift();
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
      res.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${String(req.headers.authorization).slice(7, 12)}***`, type: 'invalid_request_error' } }));
      return;
    }
    if (req.method === 'GET' && path === '/v1/models') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(this.modelsBody ?? { object: 'list', data: this.models }));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `no route ${path}` } }));
  }
}
