import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { targetProblem } from '../../src/core/assign/assign';
import { pruneCatalog, refreshCatalog } from '../../src/core/catalog/refresh';
import { catalogPath, parseCatalog, serializeCatalog } from '../../src/core/catalog/store';
import { modelRows } from '../../src/core/catalog/listing';
import { suggestReplacements } from '../../src/core/catalog/replacements';
import { parseConfig, type ResolvedProvider } from '../../src/core/config/load';
import { isLoopback, needsApiKey } from '../../src/core/providers/keys';
import { chooseProvider } from '../../src/core/run/chooseProvider';
import { PromptWorkspace } from '../../src/core/workspace/promptWorkspace';
import { FakeOpenAI } from '../support/fakeOpenAI';
import { catalogOf, model } from './helpers/catalog';
import { cli, cliAsync } from './helpers/cli';
import { fakeWorkspace, manyCases, promptFile, runWorkspace } from './helpers/suites';
import { tmpDir, writeFiles } from './helpers/tmp';

const OPENROUTER =
  'providers:\n  - name: openrouter\n    baseURL: https://openrouter.ai/api/v1\n    apiKeyEnv: OPENROUTER_API_KEY\n';
/** What `init` seeds: OpenAI's models under provider "openai". */
const SEEDED = serializeCatalog(
  catalogOf(
    model('gpt-4o'),
    model('gpt-4o-mini'),
    model('openai/gpt-4o', { provider: 'openrouter' }),
    model('anthropic/claude-3.5-sonnet', { provider: 'openrouter' }),
  ),
);

function repo(files: Record<string, string>): string {
  const root = tmpDir();
  writeFiles(root, files);
  return root;
}

function diagnosticsOf(ws: PromptWorkspace, rel: string) {
  ws.scan();
  return ws.validate().get(path.join(ws.root, rel)) ?? [];
}

const provider = (p: Partial<ResolvedProvider>): ResolvedProvider => ({
  name: 'p',
  type: 'openai',
  apiKeyEnv: 'OPENAI_API_KEY',
  ...p,
});

describe('one key rule (needsApiKey)', () => {
  it('echo never needs a key; apiKeyEnv: none means none', () => {
    assert.equal(needsApiKey(provider({ type: 'echo' })), false);
    assert.equal(
      needsApiKey(provider({ baseURL: 'https://gateway.example.com/v1', apiKeyEnv: 'none', apiKeyEnvExplicit: true })),
      false,
    );
  });

  it('a loopback server needs no key unless apiKeyEnv is set explicitly', () => {
    for (const url of [
      'http://localhost:11434/v1',
      'http://127.0.0.1:1234/v1',
      'http://127.8.9.10/v1',
      'http://[::1]:8000/v1',
    ]) {
      assert.equal(isLoopback(url), true, url);
      assert.equal(needsApiKey(provider({ baseURL: url })), false, url);
      assert.equal(needsApiKey(provider({ baseURL: url, apiKeyEnv: 'LOCAL_KEY', apiKeyEnvExplicit: true })), true, url);
    }
  });

  it("every other endpoint needs a key, not only OpenAI's own host", () => {
    for (const url of [
      'https://api.openai.com/v1',
      'https://openrouter.ai/api/v1',
      'https://api.anthropic.com/v1/',
      'http://10.0.0.5:11434/v1',
      'http://localhost.evil.com/v1',
      'http://128.0.0.1/v1',
    ]) {
      assert.equal(needsApiKey(provider({ baseURL: url })), true, url);
    }
  });

  it('the config sets apiKeyEnvExplicit only when the file names apiKeyEnv', () => {
    const c = parseConfig(
      'providers:\n  - {name: ollama, baseURL: "http://localhost:11434/v1"}\n  - {name: gw, baseURL: "http://127.0.0.1:9/v1", apiKeyEnv: GW_KEY}\n  - {name: open, baseURL: "https://x.example/v1", apiKeyEnv: none}\n',
      '/x/prompt-registry.yaml',
      {},
    ).config;
    assert.deepEqual(c.providers.map(needsApiKey), [false, true, false]);
  });

  describe('a keyless loopback provider through the real openai client', () => {
    let fake: FakeOpenAI;
    beforeEach(async () => {
      fake = await new FakeOpenAI().start();
    });
    afterEach(() => fake.stop());

    it('refreshes without a key', async () => {
      fake.setModels(['llama3.1:8b', 'qwen2.5:7b']);
      const root = tmpDir();
      const config = parseConfig(`providers:\n  - name: ollama\n    baseURL: ${fake.baseURL}\n`, '/x', {}).config;
      const r = await refreshCatalog({ root, config, apiKeyFor: () => undefined });
      assert.equal(r.outcomes[0]!.status, 'updated');
      assert.deepEqual(
        r.catalog!.models.map((m) => m.id),
        ['llama3.1:8b', 'qwen2.5:7b'],
      );
    });

    it('runs a suite without a key; with an explicit apiKeyEnv and no key it sends nothing', async () => {
      const files = { 'prompts/q.md': promptFile('primary'), 'prompts/q.suite.yaml': manyCases(2) };
      const keyless = await runWorkspace(fakeWorkspace(fake.baseURL, files));
      assert.deepEqual(
        keyless.cases.map((c) => c.status),
        ['pass', 'pass'],
      );
      const sent = fake.count('/v1/chat/completions');
      const keyed = await runWorkspace(fakeWorkspace(fake.baseURL, files, '', 'FAKE_KEY'));
      assert.ok(
        keyed.cases.every((c) => c.status === 'error' && /no API key: set the FAKE_KEY/.test(c.error ?? '')),
        JSON.stringify(keyed.cases),
      );
      assert.equal(fake.count('/v1/chat/completions'), sent);
    });
  });
});

describe('only configured providers count', () => {
  it('a model only an unconfigured provider lists gets provider-not-configured, with the same model on a configured provider', () => {
    const root = repo({
      'prompt-registry.yaml': OPENROUTER,
      '.prompt-registry/catalog.json': SEEDED,
      'prompts/a.md': '---\nmodel: gpt-4o\n---\nHi\n',
    });
    const ws = new PromptWorkspace(root);
    const [d, ...rest] = diagnosticsOf(ws, 'prompts/a.md');
    assert.deepEqual(rest, []);
    assert.equal(d!.code, 'provider-not-configured');
    assert.equal(d!.severity, 'error');
    assert.match(
      d!.message,
      /^gpt-4o is only in the catalog for provider openai, which prompt-registry\.yaml no longer lists\. Use "openai\/gpt-4o" \(openrouter\)\./,
    );
    assert.deepEqual(d!.data!.suggestions, ['openai/gpt-4o']);
    assert.ok(ws.notices().some((n) => /provider "openai".*no longer lists/.test(n)));
  });

  it('the same prompt passes while openai is configured (the guard is the config, not the catalog)', () => {
    const root = repo({
      'prompt-registry.yaml': `${OPENROUTER}  - name: openai\n`,
      '.prompt-registry/catalog.json': SEEDED,
      'prompts/a.md': '---\nmodel: gpt-4o\n---\nHi\n',
    });
    assert.deepEqual(diagnosticsOf(new PromptWorkspace(root), 'prompts/a.md'), []);
  });

  it('renaming a provider makes no "offered by several providers" error, and the stored file keeps every record', () => {
    const renamed = serializeCatalog(catalogOf(model('gpt-4o'), model('gpt-4o', { provider: 'company-proxy' })));
    const root = repo({
      'prompt-registry.yaml':
        'providers:\n  - name: company-proxy\n    baseURL: https://proxy.example.com/v1\ndefaultModel: gpt-4o\n',
      '.prompt-registry/catalog.json': renamed,
      'prompts/a.md': '---\nmodel: gpt-4o\n---\nHi\n',
    });
    const ws = new PromptWorkspace(root);
    assert.deepEqual(diagnosticsOf(ws, 'prompts/a.md'), []);
    assert.deepEqual(ws.validate().get(ws.config.file) ?? [], []);
    assert.equal(ws.catalog.stored!.models.length, 2);
    assert.deepEqual(
      ws.catalog.catalog!.models.map((m) => m.provider),
      ['company-proxy'],
    );
  });

  it('the default model on an unconfigured provider says so on the config', () => {
    const root = repo({
      'prompt-registry.yaml': `${OPENROUTER}defaultModel: gpt-4o-mini\n`,
      '.prompt-registry/catalog.json': SEEDED,
    });
    const ws = new PromptWorkspace(root);
    const d = ws
      .validate()
      .get(ws.config.file)!
      .find((x) => x.code === 'default-model-invalid')!;
    assert.match(
      d.message,
      /"gpt-4o-mini" is only in the catalog for provider openai, which prompt-registry\.yaml no longer lists/,
    );
  });

  it('listings, replacements and the runner never offer or pick a model of an unconfigured provider', () => {
    const root = repo({ 'prompt-registry.yaml': OPENROUTER, '.prompt-registry/catalog.json': SEEDED });
    const ws = new PromptWorkspace(root);
    const catalog = ws.catalog.catalog!;
    assert.deepEqual(
      modelRows(catalog, ws.config.config).map((r) => r.model.provider),
      ['openrouter', 'openrouter'],
    );
    assert.ok(
      suggestReplacements('gpt-4o-mini', catalog, ws.config.config, { limit: 10 }).every(
        (r) => r.model.provider === 'openrouter',
      ),
    );
    const choice = chooseProvider('gpt-4o', ws.config.config, catalog);
    assert.equal(choice.provider.name, 'openrouter');
    assert.match(targetProblem('gpt-4o-mini', catalog, ws.config.config) ?? '', /is not in the model catalog/);
    assert.equal(targetProblem('openai/gpt-4o', catalog, ws.config.config), undefined);
  });

  it('a config edit changes what counts without re-reading the catalog', () => {
    const root = repo({
      'prompt-registry.yaml': `${OPENROUTER}  - name: openai\n`,
      '.prompt-registry/catalog.json': SEEDED,
      'prompts/a.md': '---\nmodel: gpt-4o\n---\nHi\n',
    });
    const ws = new PromptWorkspace(root);
    assert.deepEqual(diagnosticsOf(ws, 'prompts/a.md'), []);
    ws.reloadConfig(OPENROUTER);
    assert.deepEqual(
      diagnosticsOf(ws, 'prompts/a.md').map((d) => d.code),
      ['provider-not-configured'],
    );
  });

  it('refresh names the unconfigured providers; prune removes their records and nothing else', async () => {
    const root = repo({
      'prompt-registry.yaml':
        'providers:\n  - name: openrouter\n    baseURL: https://openrouter.ai/api/v1\n    models: [openai/gpt-4o]\n',
      '.prompt-registry/catalog.json': SEEDED,
    });
    const ws = new PromptWorkspace(root);
    const r = await refreshCatalog({ root, config: ws.config.config, apiKeyFor: () => undefined });
    assert.deepEqual(r.unconfigured, ['openai']);
    assert.equal(fs.readFileSync(catalogPath(root), 'utf8'), SEEDED);
    const p = await pruneCatalog({ root, config: ws.config.config });
    assert.equal(p.written, true);
    assert.equal(p.pruned, 2);
    const after = parseCatalog(fs.readFileSync(catalogPath(root), 'utf8')).catalog!;
    assert.deepEqual(
      after.models.map((m) => `${m.provider}/${m.id}`),
      ['openrouter/anthropic/claude-3.5-sonnet', 'openrouter/openai/gpt-4o'],
    );
    const again = await pruneCatalog({ root, config: ws.config.config });
    assert.equal(again.written, false);
  });
});

describe('providers that declare their models', () => {
  const AZURE =
    'providers:\n  - name: azure\n    baseURL: https://contoso.openai.azure.com/openai/v1\n    apiKeyEnv: AZURE_OPENAI_API_KEY\n    models:\n      - gpt-4o-prod\n      - {id: gpt-4o-mini, displayName: "Mini (EU)", contextWindow: 128000, inputPricePer1M: 0.165, outputPricePer1M: 0.66}\n';

  it("become the provider's list: check validates against them, with the config's metadata then the bundled table", () => {
    const root = repo({
      'prompt-registry.yaml': AZURE,
      '.prompt-registry/catalog.json': SEEDED,
      'prompts/a.md': '---\nmodel: gpt-4o-mini\n---\nHi\n',
      'prompts/b.md': '---\nmodel: gpt-4o-prod\n---\nHi\n',
      'prompts/c.md': '---\nmodel: gpt-5\n---\nHi\n',
    });
    const ws = new PromptWorkspace(root);
    assert.deepEqual(diagnosticsOf(ws, 'prompts/a.md'), []);
    assert.deepEqual(diagnosticsOf(ws, 'prompts/b.md'), []);
    assert.deepEqual(
      diagnosticsOf(ws, 'prompts/c.md').map((d) => d.code),
      ['unknown-model'],
    );
    const mini = ws.catalog.catalog!.models.find((m) => m.id === 'gpt-4o-mini')!;
    assert.equal(mini.provider, 'azure');
    assert.equal(mini.displayName, 'Mini (EU)');
    assert.equal(mini.inputPricePer1M, 0.165);
  });

  it('validate even without a catalog file when every provider declares its models', () => {
    const root = repo({
      'prompt-registry.yaml': AZURE,
      'prompts/a.md': '---\nmodel: gpt-4o-prod\n---\nHi\n',
      'prompts/c.md': '---\nmodel: nope\n---\nHi\n',
    });
    const ws = new PromptWorkspace(root);
    assert.deepEqual(diagnosticsOf(ws, 'prompts/a.md'), []);
    assert.deepEqual(
      diagnosticsOf(ws, 'prompts/c.md').map((d) => d.code),
      ['unknown-model'],
    );
  });

  it('a config edit never mistakes the old declared models for stored records', () => {
    const root = repo({ 'prompt-registry.yaml': AZURE, 'prompts/a.md': '---\nmodel: gpt-4o-prod\n---\nHi\n' });
    const ws = new PromptWorkspace(root);
    ws.reloadConfig('providers:\n  - name: gw\n    baseURL: https://gw.example.com/v1\n    models: [gpt-4o-prod]\n');
    ws.reloadConfig('providers:\n  - name: gw2\n    baseURL: https://gw.example.com/v1\n    models: [other]\n');
    assert.deepEqual(ws.notices(), []);
    assert.deepEqual(
      diagnosticsOf(ws, 'prompts/a.md').map((d) => d.code),
      ['unknown-model'],
    );
  });

  it('a refresh makes no network call for them and never deactivates them', async () => {
    const root = repo({ 'prompt-registry.yaml': AZURE, '.prompt-registry/catalog.json': SEEDED });
    const config = new PromptWorkspace(root).config.config;
    const fetch = (() => {
      throw new Error('no request may be sent for a provider that declares its models');
    }) as typeof globalThis.fetch;
    const r = await refreshCatalog({ root, config, apiKeyFor: () => undefined, fetch });
    assert.deepEqual(r.outcomes, [{ provider: 'azure', status: 'declared', modelCount: 2 }]);
    assert.equal(fs.readFileSync(catalogPath(root), 'utf8'), SEEDED);
    assert.ok(new PromptWorkspace(root).catalog.catalog!.models.every((m) => m.active));
  });

  it('bad entries get a clear error at their place in prompt-registry.yaml', () => {
    const text =
      'providers:\n  - name: azure\n    baseURL: https://contoso.openai.azure.com/openai/v1\n    models:\n      - {displayName: "No id"}\n      - {id: a, inputPricePer1M: -1}\n      - {id: b, outputPricePer1M: cheap}\n';
    const d = parseConfig(text, '/x/prompt-registry.yaml', {}).diagnostics;
    const at = (i: number) => `${d[i]!.range.start.line + 1}:${d[i]!.range.start.character + 1}`;
    assert.deepEqual(
      d.map((x) => x.code),
      ['config-invalid', 'config-invalid', 'config-invalid'],
    );
    assert.match(d[0]!.message, /"providers\.0\.models\.0\.id".*a declared model needs an id/);
    assert.equal(at(0), '5:9');
    assert.match(d[1]!.message, /"providers\.0\.models\.1\.inputPricePer1M".*must not be negative/);
    assert.equal(at(1), '6:34');
    assert.match(
      d[2]!.message,
      /"providers\.0\.models\.2\.outputPricePer1M".*must be a number of USD per 1M tokens.*"cheap"/,
    );
    assert.equal(at(2), '7:35');
  });

  it('an id declared twice for one provider is an error at the second one', () => {
    const [d, ...rest] = parseConfig(
      'providers:\n  - name: azure\n    baseURL: https://x.example/v1\n    models: [c, {id: c}]\n',
      '/x/prompt-registry.yaml',
      {},
    ).diagnostics;
    assert.deepEqual(rest, []);
    assert.match(d!.message, /Model "c" is declared twice for provider "azure"/);
    assert.deepEqual(d!.range.start, { line: 3, character: 21 });
  });

  it('a refresh or prune with a bad models: entry leaves catalog.json byte for byte as it was', () => {
    const root = repo({
      'prompt-registry.yaml':
        'providers:\n  - name: azure\n    baseURL: https://x.example/v1\n    models:\n      - {id: a, inputPricePer1M: -1}\n',
      '.prompt-registry/catalog.json': SEEDED,
    });
    for (const args of [
      ['models', 'refresh'],
      ['models', 'prune'],
    ]) {
      const r = cli(args, root);
      assert.equal(r.code, 1, r.stderr);
      assert.match(
        r.stderr,
        /prompt-registry\.yaml:5:34 error config-invalid Invalid "providers\.0\.models\.0\.inputPricePer1M": must not be negative/,
      );
      assert.match(r.stderr, /the catalog was not changed/);
      assert.equal(fs.readFileSync(catalogPath(root), 'utf8'), SEEDED);
    }
  });
});

describe('CLI: a workspace whose providers changed', () => {
  let fake: FakeOpenAI;
  beforeEach(async () => {
    fake = await new FakeOpenAI().start();
  });
  afterEach(() => fake.stop());

  it('check reports provider-not-configured; refresh names the provider; prune removes it as a diff of catalog.json', async function () {
    this.timeout(60_000);
    fake.setModels(['openai/gpt-4o', 'llama3.1:8b']);
    const root = repo({
      'prompt-registry.yaml': `providers:\n  - name: local\n    baseURL: ${fake.baseURL}\n`,
      '.prompt-registry/catalog.json': serializeCatalog(catalogOf(model('gpt-4o'))),
      'prompts/a.md': '---\nmodel: gpt-4o\n---\nHi\n',
    });
    const refreshed = await cliAsync(['models', 'refresh'], root);
    assert.equal(refreshed.code, 0, refreshed.stderr);
    assert.match(refreshed.stdout, /local: 2 models listed/);
    assert.match(
      refreshed.stdout,
      /Provider "openai" is in the catalog but no longer in prompt-registry\.yaml.*models prune/,
    );
    const check = await cliAsync(['check'], root);
    assert.equal(check.code, 1);
    assert.match(
      check.stdout,
      /prompts\/a\.md:2:8 error provider-not-configured gpt-4o is only in the catalog for provider openai, which prompt-registry\.yaml no longer lists\. Use "openai\/gpt-4o" \(local\)/,
    );
    const pruned = await cliAsync(['models', 'prune'], root);
    assert.equal(pruned.code, 0, pruned.stderr);
    assert.match(pruned.stdout, /removed 1 models of "openai"/);
    const after = parseCatalog(fs.readFileSync(catalogPath(root), 'utf8')).catalog!;
    assert.deepEqual(
      after.models.map((m) => m.provider),
      ['local', 'local'],
    );
    assert.deepEqual(Object.keys(after.providers), ['local']);
    const again = await cliAsync(['check'], root);
    assert.match(again.stdout, /unknown-model/);
  });
});
