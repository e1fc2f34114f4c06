import type OpenAI from 'openai';

/** Beyond this a list is a broken server, not a catalog: 100 pages of Anthropic's default 20 is 2,000 models. */
export const MAX_PAGES = 100;
/** All pages together. OpenRouter's full list, descriptions included, is a few MB. */
export const MAX_LIST_BYTES = 8 * 1024 * 1024;

export type PagingProblem = 'not-a-list' | 'paging' | 'too-large';

/** A list that cannot be read whole; the caller keeps the old catalog. */
export class PagingError extends Error {
  constructor(
    readonly kind: PagingProblem,
    message: string,
  ) {
    super(message);
    this.name = 'PagingError';
  }
}

export interface PagingLimits {
  maxPages?: number;
  maxBytes?: number;
}

/**
 * Every item of a provider's model list, across all its pages. Three styles:
 * `has_more` + `last_id` (OpenAI-style cursors take `?after=`, Anthropic's
 * `/v1/models` takes `?after_id=`; the bodies are identical, so both are sent
 * and each server reads its own), and `links.next` (OpenRouter's offset URLs).
 * The `openai` client's own `models.list()` is a single `Page` in v6, so pages
 * are requested with `client.get`, which keeps its retries, timeouts and errors.
 */
export async function fetchAllModelItems(client: OpenAI, limits: PagingLimits = {}): Promise<unknown[]> {
  const maxPages = limits.maxPages ?? MAX_PAGES;
  const maxBytes = limits.maxBytes ?? MAX_LIST_BYTES;
  const origin = new URL(client.baseURL).origin;
  const items: unknown[] = [];
  const seen = new Set<string>();
  let bytes = 0;
  let request: { path: string; query?: Record<string, string> } = { path: '/models' };
  for (let page = 1; ; page++) {
    const response = await client.get(request.path, { query: request.query }).asResponse();
    const text = await readCapped(response, maxBytes - bytes, () => tooLarge(maxBytes));
    bytes += Buffer.byteLength(text);
    const body: unknown = JSON.parse(text);
    const data = body && typeof body === 'object' ? (body as { data?: unknown }).data : undefined;
    if (!Array.isArray(data)) {
      throw new PagingError(
        'not-a-list',
        `the response${page > 1 ? ` for page ${page}` : ''} is not a model list (expected {"data": [...]})`,
      );
    }
    items.push(...data);
    const next = nextRequest(
      body as Record<string, unknown>,
      data,
      response.url || client.buildURL(request.path, request.query),
      origin,
      page,
    );
    if (!next) return items;
    if (seen.has(next.key))
      throw new PagingError('paging', `the model list loops: page ${page} points again to ${next.key}`);
    seen.add(next.key);
    if (page >= maxPages) throw new PagingError('paging', `the model list has more than ${maxPages} pages`);
    request = next;
  }
}

function nextRequest(
  body: Record<string, unknown>,
  data: unknown[],
  url: string,
  origin: string,
  page: number,
): { path: string; query?: Record<string, string>; key: string } | undefined {
  const links = body.links as Record<string, unknown> | undefined;
  if (links && typeof links === 'object' && links.next !== undefined && links.next !== null) {
    if (typeof links.next !== 'string' || links.next === '')
      throw new PagingError('paging', `page ${page} has a links.next that is not a URL`);
    const next = new URL(links.next, url);
    // The API key goes with every page: never to another host than the configured one.
    if (next.origin !== origin)
      throw new PagingError(
        'paging',
        `page ${page} points to another host (${next.origin}); the key is sent only to ${origin}`,
      );
    return { path: next.href, key: next.href };
  }
  if (body.has_more !== true) return undefined;
  const lastItem = data.at(-1) as { id?: unknown } | undefined;
  const cursor =
    typeof body.last_id === 'string' && body.last_id
      ? body.last_id
      : typeof lastItem?.id === 'string'
        ? lastItem.id
        : undefined;
  if (!cursor) throw new PagingError('paging', `page ${page} says has_more but gives no last_id to continue from`);
  return { path: '/models', query: { after: cursor, after_id: cursor }, key: cursor };
}

function tooLarge(maxBytes: number): PagingError {
  return new PagingError('too-large', `the model list is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`);
}

/** The body as text, stopping (and cancelling the download) as soon as it passes `budget` bytes. */
async function readCapped(response: Response, budget: number, error: () => Error): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > budget) {
    await response.body?.cancel();
    throw error();
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > budget) {
      await reader.cancel();
      throw error();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
