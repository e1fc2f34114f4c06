// Where keys go, in the real extension host: a workspace's config cannot send the user's key to a host
// the user has not allowed. The modal is answered through the extension API's test hook
// (`keyConsent.prompt`), and Set API Key's input box through `apiKeys.input`.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RefusedKey } from '../../../src/core/providers/keyPolicy';
import type { ConsentAnswer, ConsentPrompt } from '../../../src/extension/keyConsent';
import { FakeOpenAI } from '../../support/fakeOpenAI';
import { EXTENSION_ID, keys, readWs, waitFor, writeWs } from './helpers';

const CONFIG = 'prompt-registry.yaml';
const CATALOG = '.prompt-registry/catalog.json';
const KEY = 'sk-integration-well-known-0123456789';
const STORED = 'sk-integration-stored-9876543210';

interface Api {
  keyConsent: { prompt: ConsentPrompt };
  apiKeys: { input: (o: vscode.InputBoxOptions) => Thenable<string | undefined> };
  statusBar: { keyNote?: string };
}

describe('keys go only where the user allows', function () {
  this.timeout(60_000);
  let api: Api;
  let second: FakeOpenAI;
  let third: FakeOpenAI;
  let savedConfig: string;
  let savedCatalog: string;
  let savedPrompt: ConsentPrompt;
  const savedEnv = process.env.OPENAI_API_KEY;
  const asked: RefusedKey[] = [];
  let answer: ConsentAnswer;

  before(async () => {
    api = vscode.extensions.getExtension(EXTENSION_ID)!.exports as Api;
    second = await new FakeOpenAI().start();
    third = await new FakeOpenAI().start();
    second.setModels(['m-second']);
    // Lists vault's old model too, so moving vault here is not a mass deactivation (the shrink guard).
    third.setModels(['m-second', 'm-third']);
    savedConfig = readWs(CONFIG);
    savedCatalog = readWs(CATALOG);
    savedPrompt = api.keyConsent.prompt;
    api.keyConsent.prompt = async (r) => {
      asked.push(r);
      return answer;
    };
    // The extension host's own environment: the key a developer has exported in their shell.
    process.env.OPENAI_API_KEY = KEY;
  });

  after(async () => {
    api.keyConsent.prompt = savedPrompt;
    if (savedEnv === undefined) delete process.env.OPENAI_API_KEY;
    else process.env.OPENAI_API_KEY = savedEnv;
    writeWs(CONFIG, savedConfig);
    writeWs(CATALOG, savedCatalog);
    // The next suite reads the views at once: wait until the restored config is what prompts are checked against.
    await waitFor('the original providers to be applied', () => keys('prompts/clean.md').length === 0);
    await second.stop();
    await third.stop();
  });

  it('a well-known key pointed at another host: nothing at startup, nothing on refresh until the modal says so', async () => {
    // A new provider has no lastRefresh, so the automatic refresh is due at once.
    writeWs(
      CONFIG,
      savedConfig.replace(
        'defaultModel: gpt-4o',
        `providers:\n  - name: second\n    baseURL: ${second.baseURL}\n    apiKeyEnv: OPENAI_API_KEY\ndefaultModel: gpt-4o`,
      ),
    );
    const note = await waitFor(
      'the status bar to note the skipped provider',
      () => api.statusBar.keyNote?.includes('second') && api.statusBar.keyNote,
    );
    assert.match(note, new RegExp(`http://127\\.0\\.0\\.1:${second.port}`));
    assert.equal(asked.length, 0, 'an automatic refresh never opens the modal');
    assert.equal(second.requests.length, 0, 'skipped: no request at all');

    answer = undefined; // Cancel
    assert.equal(await vscode.commands.executeCommand<boolean>('promptRegistry.refreshModels'), false);
    assert.equal(asked.length, 1);
    assert.deepEqual(
      [asked[0]!.variable, asked[0]!.origin, asked[0]!.provider],
      ['OPENAI_API_KEY', `http://127.0.0.1:${second.port}`, 'second'],
    );
    assert.equal(second.requests.length, 0, 'cancelled: still nothing sent');

    answer = 'once';
    assert.equal(await vscode.commands.executeCommand<boolean>('promptRegistry.refreshModels'), true);
    assert.equal(asked.length, 2);
    assert.equal(second.count('/v1/models'), 1);
    assert.deepEqual(second.authorizations(), [`Bearer ${KEY}`]);
    assert.equal(api.statusBar.keyNote, undefined, 'the note goes once the provider is refreshed');

    answer = 'always';
    assert.equal(
      await vscode.commands.executeCommand<boolean>('promptRegistry.refreshModels'),
      true,
      '"once" is not remembered: asked again',
    );
    assert.equal(asked.length, 3);
    assert.equal(await vscode.commands.executeCommand<boolean>('promptRegistry.refreshModels'), true);
    assert.equal(asked.length, 3, '"always" is remembered');
    assert.equal(second.sawKey(KEY), 3);
  });

  it('Set API Key, then a baseURL change: the stored key is not sent to the new host', async () => {
    asked.length = 0;
    second.requests.length = 0;
    writeWs(
      CONFIG,
      savedConfig.replace(
        'defaultModel: gpt-4o',
        `providers:\n  - name: vault\n    baseURL: ${second.baseURL}\n    apiKeyEnv: PR_TEST_VAULT_KEY\ndefaultModel: gpt-4o`,
      ),
    );
    // A manual refresh reads the new config at once. vault names its key variable, so it needs a key
    // (providers/keys.ts), and there is none yet: nothing is sent and nothing is asked.
    assert.equal(await vscode.commands.executeCommand<boolean>('promptRegistry.refreshModels'), false);
    assert.equal(second.requests.length, 0);
    assert.equal(asked.length, 0);
    const savedInput = api.apiKeys.input;
    api.apiKeys.input = async () => STORED;
    try {
      await vscode.commands.executeCommand('promptRegistry.setApiKey');
    } finally {
      api.apiKeys.input = savedInput;
    }
    answer = 'once';
    assert.equal(await vscode.commands.executeCommand<boolean>('promptRegistry.refreshModels'), true);
    assert.deepEqual(
      asked.map((r) => r.variable),
      ['PR_TEST_VAULT_KEY'],
      'a stored key is asked about like any other',
    );
    assert.equal(second.sawKey(STORED), 1, 'the stored key reaches the origin it was stored for, once allowed');

    writeWs(
      CONFIG,
      savedConfig.replace(
        'defaultModel: gpt-4o',
        `providers:\n  - name: vault\n    baseURL: ${third.baseURL}\n    apiKeyEnv: PR_TEST_VAULT_KEY\ndefaultModel: gpt-4o`,
      ),
    );
    const before = asked.length;
    // The key stored for the old origin is not this origin's: vault has no key here, so nothing is sent.
    assert.equal(await vscode.commands.executeCommand<boolean>('promptRegistry.refreshModels'), false);
    assert.equal(third.count('/v1/models'), 0, 'no key for the new origin: no request');
    assert.equal(third.sawKey(STORED), 0, 'the key stored for the old origin never reaches the new host');
    assert.equal(asked.length, before, 'no key to send, so nothing to ask');
  });
});
