// The automatic model refresh in a trusted window: a provider the catalog has never refreshed is due at once, so
// its scheduler (started when the provider appears) calls the loopback server without any command. Its untrusted
// twin, in untrusted.test.ts, makes the same change and counts zero requests.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { readWs, waitFor, writeWs } from './helpers';
import { CATALOG, CONFIG, useRefreshFixture, withSchedProvider } from './refreshFixture';

describe('automatic model refresh (trusted)', function () {
  this.timeout(60_000);
  const f = useRefreshFixture();

  it('a new keyless loopback provider is refreshed on schedule, without a command, once', async () => {
    assert.equal(vscode.workspace.isTrusted, true);
    // No lastRefresh for "sched": due now. Keyless, because a loopback server needs no key.
    writeWs(CONFIG, withSchedProvider(f));
    const catalog = await waitFor('the scheduled refresh to write sched into the catalog', () => {
      const c = JSON.parse(readWs(CATALOG)) as {
        providers: Record<string, { lastRefresh?: string }>;
        models: { id: string; provider: string }[];
      };
      return c.providers.sched?.lastRefresh ? c : undefined;
    });
    assert.equal(f.server.count('/v1/models'), 1, 'one request, counted on the server');
    assert.deepEqual(
      catalog.models
        .filter((m) => m.provider === 'sched')
        .map((m) => m.id)
        .sort(),
      ['sched-a', 'sched-b'],
    );
  });
});
