// The Testing view through the real `openai` client, against the loopback server (no echo provider): the
// provider "openai" points at 127.0.0.1, so it needs no key, and the catalog's prices for openai's models apply.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { TestingApi } from '../../../src/extension/testing/testController';
import { FakeOpenAI } from '../../support/fakeOpenAI';
import { EXTENSION_ID, keys, readWs, removeWs, waitFor, writeWs, wsPath } from './helpers';

const CONFIG = 'prompt-registry.yaml';
const SUITE = 'prompts/clean.suite.yaml';
const CALLS = '.prompt-registry/calls';
// Answers are cached per endpoint and messages; the fixture has no cache, so this suite starts and ends without one.
const CACHE = '.prompt-registry/cache';
// Only a signal that the new config is applied: gpt-4.1 becomes enabled, so not-enabled.md loses its warning.
const SIGNAL = 'prompts/models/not-enabled.md';
// A var value that must never reach the call log (nor the prompt text it is rendered into).
const SECRET_TOPIC = 'zebra-topic-7731';

function testing(): TestingApi {
  return vscode.extensions.getExtension(EXTENSION_ID)!.exports.testing as TestingApi;
}

function suiteItem(): vscode.TestItem | undefined {
  return testing().controller.items.get(wsPath(SUITE));
}

async function withToken<T>(f: (t: vscode.CancellationToken) => Promise<T>): Promise<T> {
  const cts = new vscode.CancellationTokenSource();
  try {
    return await f(cts.token);
  } finally {
    cts.dispose();
  }
}

function callLogText(): string {
  const dir = wsPath(CALLS);
  if (!fs.existsSync(dir)) return '';
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => fs.readFileSync(`${dir}/${f}`, 'utf8'))
    .join('');
}

describe('testing through the real client', function () {
  this.timeout(60_000);
  let server: FakeOpenAI;
  let savedConfig: string;

  before(async () => {
    server = await new FakeOpenAI().start();
    server.reply = (b) => ({
      content: String(b.messages?.at(-1)?.content ?? '').toUpperCase(),
      usage: { prompt_tokens: 1000, completion_tokens: 500 },
    });
    savedConfig = readWs(CONFIG);
    removeWs(CALLS);
    removeWs(CACHE);
    writeWs(
      CONFIG,
      savedConfig.replace(
        'models:\n  enabled: [',
        `providers:\n  - name: openai\n    baseURL: ${server.baseURL}\nmodels:\n  enabled: [gpt-4.1, `,
      ),
    );
    await waitFor('the loopback config to be applied', () => !keys(SIGNAL).some((d) => d.code === 'model-not-enabled'));
    writeWs(
      SUITE,
      `cases:\n  - name: answers\n    model: openai/gpt-4o\n    vars:\n      topic: ${SECRET_TOPIC}\n    assert:\n      - {type: contains, value: EXPLAIN}\n`,
    );
    await waitFor('the suite item', () => suiteItem()?.children.size === 1);
  });

  after(async () => {
    removeWs(SUITE);
    removeWs(CALLS);
    removeWs(CACHE);
    writeWs(CONFIG, savedConfig);
    await waitFor('the suite item to go', () => !suiteItem());
    await vscode.commands.executeCommand('workbench.action.closeAllEditors'); // the comparison panel
    await waitFor('the comparison panel to close', () => testing().comparePanelTitle() === undefined);
    await waitFor(
      'the original config to be applied',
      () => keys(SIGNAL).some((d) => d.code === 'model-not-enabled') && keys('prompts/clean.md').length === 0,
    );
    await server.stop();
  });

  it('a 429 with retry-after is retried, then the case passes; its call log has the catalog price and no prompt text', async () => {
    server.requests.length = 0;
    server.chatFaultFor = (n) =>
      n === 1
        ? { kind: 'status', status: 429, headers: { 'retry-after': '1' }, body: { error: { message: 'slow down' } } }
        : undefined;
    try {
      const reports = await withToken((t) => testing().runRequest(new vscode.TestRunRequest([suiteItem()!]), t));
      assert.deepEqual(
        reports.map((r) => [r.state, r.answeredBy]),
        [['passed', 'openai/gpt-4o']],
        JSON.stringify(reports),
      );
    } finally {
      server.chatFaultFor = undefined;
    }
    const chats = server.requests.filter((r) => r.path === '/v1/chat/completions');
    assert.equal(chats.length, 2, 'the 429, then the retry');
    assert.ok(chats[1]!.at - chats[0]!.at >= 1000, 'the retry waited for retry-after (1 s)');
    assert.match(JSON.stringify(chats[1]!.body), new RegExp(SECRET_TOPIC), 'the prompt did go to the server');

    const log = await waitFor('the call log', () => callLogText() || undefined);
    const records = log
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(records.length, 1, log);
    const r = records[0]!;
    assert.deepEqual(
      [r.kind, r.provider, r.model, r.status, r.tokensIn, r.tokensOut, r.case],
      ['case', 'openai', 'openai/gpt-4o', 'pass', 1000, 500, 'answers'],
    );
    // gpt-4o in the fixture's catalog: $2.5 per 1M in, $10 per 1M out.
    assert.ok(Math.abs((r.costUsd as number) - (1000 * 2.5 + 500 * 10) / 1e6) < 1e-12, String(r.costUsd));
    assert.ok(!log.includes(SECRET_TOPIC), 'no var value in the call log');
    assert.ok(!log.includes('You explain things simply'), 'no prompt text in the call log');
    assert.ok(!log.toUpperCase().includes('EXPLAIN'), 'no answer text in the call log');
  });

  it('Compare Models… through the real client: each case result costs what the catalog prices say', async () => {
    server.requests.length = 0;
    removeWs(CACHE); // the first test's answer would be replayed for gpt-4o
    const c = await withToken((t) =>
      testing().compareModels(new vscode.TestRunRequest([suiteItem()!]), ['openai/gpt-4o', 'openai/gpt-4o-mini'], t),
    );
    assert.ok(c);
    assert.equal(server.count('/v1/chat/completions'), 2, 'one call per model');
    assert.deepEqual(
      c.cases.map((x) => [x.answeredBy, x.status, x.costUsd]),
      [
        ['openai/gpt-4o', 'pass', (1000 * 2.5 + 500 * 10) / 1e6],
        ['openai/gpt-4o-mini', 'pass', (1000 * 0.15 + 500 * 0.6) / 1e6],
      ],
    );
    assert.deepEqual(
      server.requests.map((q) => (q.body as { model?: string }).model),
      ['gpt-4o', 'gpt-4o-mini'],
    );
  });
});
