import * as assert from 'node:assert/strict';
import OpenAI from 'openai';
import {
  fetchAllModelItems,
  MAX_LIST_BYTES,
  MAX_PAGES,
  PagingError,
  type PagingLimits,
} from '../../src/core/catalog/pages';

const BASE = 'https://api.example.test/v1';

/** What the fake answers for one request: a JSON body, or a Response built by the test. */
type Answer = unknown;

interface Served {
  url: URL;
}

/**
 * The real `openai` client (its URL building, its `get`) over an injected fetch: each request is answered by
 * `answer`, in order, and recorded. No socket is opened.
 */
function client(answer: (url: URL, n: number) => Answer, base = BASE) {
  const served: Served[] = [];
  const c = new OpenAI({
    apiKey: 'sk-test',
    baseURL: base,
    maxRetries: 0,
    dangerouslyAllowBrowser: true,
    fetch: async (input) => {
      const url = new URL(String(input instanceof Request ? input.url : input));
      served.push({ url });
      const a = answer(url, served.length);
      return a instanceof Response ? a : json(a);
    },
  });
  return { c, served };
}

const json = (body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json', ...headers } });

/** A body streamed in the given chunks, with no content-length; records whether it was cancelled. */
function streamed(chunks: string[]) {
  const state = { cancelled: false, pulled: 0 };
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(ctl) {
      state.pulled++;
      if (i < chunks.length) ctl.enqueue(new TextEncoder().encode(chunks[i++]!));
      else ctl.close();
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { response: new Response(body, { status: 200, headers: { 'content-type': 'application/json' } }), state };
}

/** A Response whose `url` is set, as a real fetch sets it (a Response built by hand has ''). */
function at(url: string, body: unknown): Response {
  const r = json(body);
  Object.defineProperty(r, 'url', { value: url });
  return r;
}

async function refused(p: Promise<unknown>, kind: string, message: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof PagingError, `a PagingError, got ${String(e)}`);
    assert.equal(e.name, 'PagingError');
    assert.equal(e.kind, kind);
    assert.equal(e.message, message);
    return true;
  });
}

const models = (...ids: string[]) => ids.map((id) => ({ id }));
/** OpenAI-style cursor pages over `ids`, `size` per page. */
const cursorPages =
  (ids: string[], size: number) =>
  (url: URL): Answer => {
    const after = url.searchParams.get('after');
    const from = after === null ? 0 : ids.indexOf(after) + 1;
    const page = ids.slice(from, from + size);
    return { data: models(...page), has_more: from + size < ids.length, last_id: page.at(-1) };
  };
const ids = (n: number) => Array.from({ length: n }, (_, i) => `m-${i}`);
const fetchAll = (c: OpenAI, limits?: PagingLimits) => fetchAllModelItems(c, limits);

describe('fetchAllModelItems: one page', () => {
  it('asks GET <base>/models with no query and returns the items as sent', async () => {
    const items = [{ id: 'a', extra: 1 }, 'not-checked-here', { id: 'b' }];
    const { c, served } = client(() => ({ object: 'list', data: items }));
    assert.deepEqual(await fetchAll(c), items);
    assert.equal(served.length, 1);
    assert.equal(served[0]!.url.href, `${BASE}/models`);
  });

  it('an empty list is a list', async () => {
    const { c } = client(() => ({ data: [] }));
    assert.deepEqual(await fetchAll(c), []);
  });

  it('stops when has_more is anything but true', async () => {
    for (const has_more of [false, 'true', 1, null, undefined]) {
      const { c, served } = client(() => ({ data: models('a'), has_more, last_id: 'a' }));
      assert.deepEqual(await fetchAll(c), models('a'), String(has_more));
      assert.equal(served.length, 1);
    }
  });

  for (const [name, body] of [
    ['null', null],
    ['a string', 'models'],
    ['a number', 3],
    ['an array', [{ id: 'a' }]],
    ['an object without data', { error: 'nope' }],
    ['data that is an object', { data: { id: 'a' } }],
    ['data that is a string', { data: 'a' }],
    ['data that is null', { data: null }],
  ] as [string, unknown][]) {
    it(`refuses ${name} as not a list, without naming a page`, async () => {
      const { c } = client(() => body);
      await refused(fetchAll(c), 'not-a-list', 'the response is not a model list (expected {"data": [...]})');
    });
  }

  it('a 200 with no body is not JSON (a SyntaxError, not a crash on the missing stream)', async () => {
    const { c } = client(() => new Response(null, { status: 200 }));
    await assert.rejects(fetchAll(c), SyntaxError);
  });
});

describe('fetchAllModelItems: cursor pages (has_more + last_id)', () => {
  it('follows last_id, sending it as both after and after_id, and keeps every item in order', async () => {
    const { c, served } = client(cursorPages(ids(7), 3));
    assert.deepEqual(await fetchAll(c), models(...ids(7)));
    assert.deepEqual(
      served.map((s) => s.url.search),
      ['', '?after=m-2&after_id=m-2', '?after=m-5&after_id=m-5'],
    );
    assert.ok(served.every((s) => s.url.pathname === '/v1/models'));
  });

  it('falls back to the last item id when last_id is missing, empty or not a string', async () => {
    for (const last_id of [undefined, '', null, 7]) {
      const { c, served } = client((url) =>
        url.searchParams.get('after') ? { data: models('c') } : { data: models('a', 'b'), has_more: true, last_id },
      );
      assert.deepEqual(await fetchAll(c), models('a', 'b', 'c'), String(last_id));
      assert.equal(served[1]!.url.searchParams.get('after'), 'b');
      assert.equal(served[1]!.url.searchParams.get('after_id'), 'b');
    }
  });

  it('prefers last_id over the last item id', async () => {
    const { c, served } = client((url) =>
      url.searchParams.get('after') ? { data: [] } : { data: models('a', 'b'), has_more: true, last_id: 'a' },
    );
    await fetchAll(c);
    assert.equal(served[1]!.url.searchParams.get('after'), 'a');
  });

  for (const [name, data] of [
    ['no items', []],
    ['a last item without an id', [{ id: 'a' }, { name: 'b' }]],
    ['a last item with a numeric id', [{ id: 5 }]],
    ['a last item with an empty id', [{ id: '' }]],
    ['a last item that is null', [null]],
  ] as [string, unknown[]][]) {
    it(`refuses has_more with no last_id and ${name}`, async () => {
      const { c, served } = client(() => ({ data, has_more: true }));
      await refused(fetchAll(c), 'paging', 'page 1 says has_more but gives no last_id to continue from');
      assert.equal(served.length, 1);
    });
  }

  it('names the page that has no cursor', async () => {
    const { c } = client((url) =>
      url.searchParams.get('after') ? { data: [], has_more: true } : { data: models('a'), has_more: true },
    );
    await refused(fetchAll(c), 'paging', 'page 2 says has_more but gives no last_id to continue from');
  });

  it('refuses a cursor that comes back (a server that ignores it), before asking again', async () => {
    const { c, served } = client(() => ({ data: models('a'), has_more: true, last_id: 'a' }));
    await refused(fetchAll(c), 'paging', 'the model list loops: page 2 points again to a');
    assert.equal(served.length, 2);
  });

  it('refuses a cursor that returns after another one', async () => {
    const cursors = ['x', 'y', 'x'];
    const { c, served } = client((_, n) => ({ data: models(`m${n}`), has_more: true, last_id: cursors[n - 1] }));
    await refused(fetchAll(c), 'paging', 'the model list loops: page 3 points again to x');
    assert.equal(served.length, 3);
  });

  it('names page 2 and later when a later page is not a list', async () => {
    const { c } = client((url, n) =>
      url.searchParams.get('after') ? (n === 3 ? {} : cursorPages(ids(9), 3)(url)) : cursorPages(ids(9), 3)(url),
    );
    await refused(fetchAll(c), 'not-a-list', 'the response for page 3 is not a model list (expected {"data": [...]})');
  });
});

describe('fetchAllModelItems: links.next pages', () => {
  it('follows absolute links on the same origin, even to another path, until links.next is absent or null', async () => {
    const { c, served } = client((url) => {
      const offset = Number(url.searchParams.get('offset') ?? 0);
      if (offset === 0) return { data: models('a'), links: { next: `${BASE}/models?offset=1` } };
      if (offset === 1) return { data: models('b'), links: { next: 'https://api.example.test/other/list?offset=2' } };
      return { data: models('c'), links: { next: null } };
    });
    assert.deepEqual(await fetchAll(c), models('a', 'b', 'c'));
    assert.deepEqual(
      served.map((s) => s.url.href),
      [`${BASE}/models`, `${BASE}/models?offset=1`, 'https://api.example.test/other/list?offset=2'],
    );
  });

  it('resolves a relative links.next against the URL the page came from', async () => {
    const { c, served } = client((url) =>
      url.searchParams.get('offset')
        ? { data: models('b') }
        : at('https://api.example.test/v1/sub/models', { data: models('a'), links: { next: 'page2?offset=1' } }),
    );
    assert.deepEqual(await fetchAll(c), models('a', 'b'));
    assert.equal(served[1]!.url.href, 'https://api.example.test/v1/sub/page2?offset=1');
  });

  it('resolves a relative links.next against the request URL when the response has none', async () => {
    const { c, served } = client((url) =>
      url.searchParams.get('offset') ? { data: [] } : { data: models('a'), links: { next: 'models?offset=1' } },
    );
    await fetchAll(c);
    assert.equal(served[1]!.url.href, `${BASE}/models?offset=1`);
  });

  it('a links.next wins over has_more', async () => {
    const { c, served } = client((url) =>
      url.searchParams.get('offset')
        ? { data: [] }
        : { data: models('a'), has_more: true, last_id: 'a', links: { next: `${BASE}/models?offset=1` } },
    );
    await fetchAll(c);
    assert.equal(served[1]!.url.search, '?offset=1');
  });

  it('links without a next (absent, null, or links not an object) fall back to has_more', async () => {
    for (const links of [{}, { next: null }, { next: undefined }, null, 'https://x.test/next']) {
      const { c, served } = client((url) =>
        url.searchParams.get('after') ? { data: [] } : { data: models('a'), has_more: true, last_id: 'a', links },
      );
      await fetchAll(c);
      assert.equal(served.length, 2, JSON.stringify(links));
      assert.equal(served[1]!.url.searchParams.get('after'), 'a');
    }
  });

  for (const next of ['', 5, true, { href: '/models' }, ['x']]) {
    it(`refuses a links.next of ${JSON.stringify(next)}`, async () => {
      const { c, served } = client(() => ({ data: [], links: { next } }));
      await refused(fetchAll(c), 'paging', 'page 1 has a links.next that is not a URL');
      assert.equal(served.length, 1);
    });
  }

  for (const other of [
    'https://evil.test/v1/models',
    'http://api.example.test/v1/models',
    'https://api.example.test:8443/v1/models',
    '//evil.test/models',
  ]) {
    it(`never follows a links.next to another origin (${other})`, async () => {
      const { c, served } = client(() => ({ data: models('a'), links: { next: other } }));
      const origin = new URL(other, BASE).origin;
      await refused(
        fetchAll(c),
        'paging',
        `page 1 points to another host (${origin}); the key is sent only to https://api.example.test`,
      );
      assert.equal(served.length, 1, 'nothing sent there');
    });
  }

  it('names the page whose links.next leaves the host', async () => {
    const { c, served } = client((url) =>
      url.searchParams.get('offset')
        ? { data: models('b'), links: { next: 'https://evil.test/models' } }
        : { data: models('a'), links: { next: `${BASE}/models?offset=1` } },
    );
    await refused(
      fetchAll(c),
      'paging',
      'page 2 points to another host (https://evil.test); the key is sent only to https://api.example.test',
    );
    assert.equal(served.length, 2);
  });

  it('refuses a links.next that repeats', async () => {
    const { c } = client(() => ({ data: models('a'), links: { next: `${BASE}/models?offset=1` } }));
    await refused(fetchAll(c), 'paging', `the model list loops: page 2 points again to ${BASE}/models?offset=1`);
  });
});

describe('fetchAllModelItems: page count', () => {
  it(`reads exactly ${MAX_PAGES} pages by default, and refuses one more`, async () => {
    const ok = client(cursorPages(ids(MAX_PAGES), 1));
    assert.equal((await fetchAll(ok.c)).length, MAX_PAGES);
    assert.equal(ok.served.length, MAX_PAGES);
    const over = client(cursorPages(ids(MAX_PAGES + 1), 1));
    await refused(fetchAll(over.c), 'paging', `the model list has more than ${MAX_PAGES} pages`);
    assert.equal(over.served.length, MAX_PAGES, 'page 101 is never asked for');
  });

  it('takes a smaller limit', async () => {
    const ok = client(cursorPages(ids(3), 1));
    assert.equal((await fetchAll(ok.c, { maxPages: 3 })).length, 3);
    const over = client(cursorPages(ids(4), 1));
    await refused(fetchAll(over.c, { maxPages: 3 }), 'paging', 'the model list has more than 3 pages');
    assert.equal(over.served.length, 3);
  });

  it('a loop is named as a loop even at the page limit', async () => {
    const { c } = client(() => ({ data: [], has_more: true, last_id: 'a' }));
    await refused(fetchAll(c, { maxPages: 2 }), 'paging', 'the model list loops: page 2 points again to a');
  });

  it('with maxPages 1 any next page is too many', async () => {
    const { c } = client(cursorPages(ids(2), 1));
    await refused(fetchAll(c, { maxPages: 1 }), 'paging', 'the model list has more than 1 pages');
  });
});

describe('fetchAllModelItems: size', () => {
  const MB = 1024 * 1024;
  const bodyOf = (n: number) => {
    // {"data":[{"id":"xxx"}]} padded to exactly n bytes.
    const shell = JSON.stringify({ data: [{ id: '' }] });
    return JSON.stringify({ data: [{ id: 'x'.repeat(n - shell.length) }] });
  };

  it('accepts a declared content-length of exactly the limit, refuses one byte more', async () => {
    const exact = bodyOf(200);
    const ok = client(() => new Response(exact, { headers: { 'content-length': '200' } }));
    assert.equal((await fetchAll(ok.c, { maxBytes: 200 })).length, 1);
    const { c } = client(() => new Response(exact, { headers: { 'content-length': '201' } }));
    await refused(fetchAll(c, { maxBytes: 200 }), 'too-large', 'the model list is larger than 0 MB');
  });

  it('refuses on the declared length alone, cancelling the download unread', async () => {
    const s = streamed([bodyOf(50)]);
    s.response.headers.set('content-length', String(3 * MB + 1));
    const { c } = client(() => s.response);
    await refused(fetchAll(c, { maxBytes: 3 * MB }), 'too-large', 'the model list is larger than 3 MB');
    assert.equal(s.state.cancelled, true);
  });

  it('refuses a declared length over the limit even when there is no body to cancel', async () => {
    const { c } = client(() => new Response(null, { headers: { 'content-length': '201' } }));
    await refused(fetchAll(c, { maxBytes: 200 }), 'too-large', 'the model list is larger than 0 MB');
  });

  it(`the default limit is ${MAX_LIST_BYTES / MB} MB`, async () => {
    assert.equal(MAX_LIST_BYTES, 8 * MB);
    const { c } = client(() => new Response('{}', { headers: { 'content-length': String(MAX_LIST_BYTES + 1) } }));
    await refused(fetchAll(c), 'too-large', 'the model list is larger than 8 MB');
    const ok = client(() => new Response(bodyOf(64), { headers: { 'content-length': String(MAX_LIST_BYTES) } }));
    assert.equal((await fetchAll(ok.c)).length, 1);
  });

  it('a streamed body of exactly the limit is read; one byte more is cut off and cancelled', async () => {
    const body = bodyOf(120);
    const ok = streamed([body.slice(0, 60), body.slice(60)]);
    assert.equal((await fetchAll(client(() => ok.response).c, { maxBytes: 120 })).length, 1);
    assert.equal(ok.state.cancelled, false);
    const big = bodyOf(121);
    const over = streamed([big.slice(0, 60), big.slice(60), 'never-read']);
    await refused(
      fetchAll(client(() => over.response).c, { maxBytes: 120 }),
      'too-large',
      'the model list is larger than 0 MB',
    );
    assert.equal(over.state.cancelled, true);
    assert.ok(over.state.pulled < 4, 'stopped before reading on');
  });

  it('counts bytes, not characters', async () => {
    const body = JSON.stringify({ data: [{ id: 'é'.repeat(10) }] });
    const bytes = Buffer.byteLength(body);
    assert.equal(bytes, body.length + 10);
    assert.equal((await fetchAll(client(() => streamed([body]).response).c, { maxBytes: bytes })).length, 1);
    await refused(
      fetchAll(client(() => streamed([body]).response).c, { maxBytes: bytes - 1 }),
      'too-large',
      'the model list is larger than 0 MB',
    );
    // Across pages the total is counted in bytes too.
    const two = (max: number) =>
      fetchAll(
        client((url) =>
          url.searchParams.get('after') ? streamed([body]).response : json({ data: [], has_more: true, last_id: 'z' }),
        ).c,
        { maxBytes: max },
      );
    const first = Buffer.byteLength(JSON.stringify({ data: [], has_more: true, last_id: 'z' }));
    assert.equal((await two(first + bytes)).length, 1);
    await refused(two(first + bytes - 1), 'too-large', 'the model list is larger than 0 MB');
  });

  it('the limit is for all pages together, declared or streamed', async () => {
    const page = (n: number, more: boolean, id: string) => {
      const b = JSON.stringify({ data: models(id), has_more: more, last_id: id });
      return { b, len: Buffer.byteLength(b), n };
    };
    const p1 = page(1, true, 'a');
    const p2 = page(2, false, 'b');
    const run = (max: number, declare: boolean) =>
      fetchAll(
        client((url) => {
          const p = url.searchParams.get('after') ? p2 : p1;
          return declare
            ? new Response(p.b, { headers: { 'content-length': String(p.len) } })
            : streamed([p.b]).response;
        }).c,
        { maxBytes: max },
      );
    for (const declare of [true, false]) {
      assert.equal((await run(p1.len + p2.len, declare)).length, 2);
      await refused(run(p1.len + p2.len - 1, declare), 'too-large', 'the model list is larger than 0 MB');
    }
  });

  it('rounds the limit to whole MB in the message', async () => {
    const { c } = client(() => new Response('{}', { headers: { 'content-length': String(10 * MB) } }));
    await refused(fetchAll(c, { maxBytes: 2.6 * MB }), 'too-large', 'the model list is larger than 3 MB');
  });
});
