// Shared by the trusted and untrusted automatic-refresh suites (autoRefresh.test.ts, untrusted.test.ts):
// a loopback server listing two models, and the config and catalog put back afterwards.
import { FakeOpenAI } from '../../support/fakeOpenAI';
import { keys, readWs, recordRefreshDecisions, waitFor, writeWs } from './helpers';

export const CONFIG = 'prompt-registry.yaml';
export const CATALOG = '.prompt-registry/catalog.json';

export interface RefreshFixture {
  server: FakeOpenAI;
  savedConfig: string;
  savedCatalog: string;
}

/** The config with one new keyless loopback provider, "sched": never refreshed, so its refresh is due at once. */
export function withSchedProvider(f: RefreshFixture): string {
  return f.savedConfig.replace(
    'defaultModel: gpt-4o',
    `providers:\n  - name: sched\n    baseURL: ${f.server.baseURL}\ndefaultModel: gpt-4o`,
  );
}

/** Registers the suite's before/after hooks; the fields are set once `before` has run. */
export function useRefreshFixture(): RefreshFixture {
  const f = {} as RefreshFixture;
  before(async () => {
    f.server = await new FakeOpenAI().start();
    f.server.setModels(['sched-a', 'sched-b']);
    f.savedConfig = readWs(CONFIG);
    f.savedCatalog = readWs(CATALOG);
  });
  after(async () => {
    // The config first, and the catalog only once the extension has dropped "sched": a catalog without sched's
    // lastRefresh, read while sched is still configured, makes its refresh due again, which would write it back.
    const decisions = recordRefreshDecisions();
    try {
      writeWs(CONFIG, f.savedConfig);
      await decisions.next(
        'the scheduler to drop "sched"',
        (d) => d.stage === 'schedule' && !d.providers.includes('sched'),
      );
    } finally {
      decisions.dispose();
    }
    writeWs(CATALOG, f.savedCatalog);
    // The next suite reads the views at once: wait until the restored providers are applied.
    await waitFor('the original providers to be applied', () => keys('prompts/clean.md').length === 0);
    await f.server.stop();
  });
  return f;
}
