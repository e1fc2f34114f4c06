// The Testing view: suite files and their cases as test items, kept in step with the disk, and runs on the core runner.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CaseReport, TestingApi } from '../../../src/extension/testing/testController';
import { EXTENSION_ID, keys, readWs, removeWs, span, waitFor, writeWs, wsPath } from './helpers';

const CONFIG = 'prompt-registry.yaml';
const SUITE = 'prompts/clean.suite.yaml';
// The enabled-list change is only a signal that the new config is applied (the warning on not-enabled.md goes away).
const SIGNAL = 'prompts/models/not-enabled.md';
const TWO_CASES = [
  'cases:',
  '  - name: mentions the topic',
  '    vars:',
  '      topic: recursion',
  '    assert:',
  '      - {type: contains, value: Explain recursion.}',
  '  - name: exact answer',
  '    vars:',
  '      topic: recursion',
  '    assert:',
  '      - {type: equals, value: nope}',
  '',
].join('\n');
const THIRD = '  - name: third\n    vars:\n      topic: loops\n';

function testing(): TestingApi {
  return vscode.extensions.getExtension(EXTENSION_ID)!.exports.testing as TestingApi;
}

function suiteItem(): vscode.TestItem | undefined {
  return testing().controller.items.get(wsPath(SUITE));
}

function children(item: vscode.TestItem): vscode.TestItem[] {
  const out: vscode.TestItem[] = [];
  item.children.forEach((c) => out.push(c));
  return out;
}

describe('testing', function () {
  this.timeout(60_000);
  let savedConfig: string;

  before(async () => {
    savedConfig = readWs(CONFIG);
    writeWs(CONFIG, savedConfig.replace('models:\n  enabled: [', 'providers:\n  - {name: local, type: echo}\n  - {name: nokey, baseURL: "http://127.0.0.1:9/v1", apiKeyEnv: PR_TEST_UNSET_KEY_VAR}\nmodels:\n  enabled: [gpt-4.1, '));
    await waitFor('the echo config to be applied', () => !keys(SIGNAL).some((d) => d.code === 'model-not-enabled'));
  });

  after(async () => {
    removeWs(SUITE);
    writeWs(CONFIG, savedConfig);
    await waitFor('the suite items to go', () => !suiteItem());
    await waitFor('the original config to be applied', () => keys(SIGNAL).some((d) => d.code === 'model-not-enabled'));
  });

  it('discovers a suite and its cases with ranges, and updates them in place', async () => {
    writeWs(SUITE, TWO_CASES);
    const item = await waitFor('the suite item with two cases', () => suiteItem()?.children.size === 2 && suiteItem());
    assert.equal(item.label, 'clean');
    assert.equal(item.uri?.fsPath, wsPath(SUITE));
    assert.ok(item.range);
    const [a, b] = children(item).sort((x, y) => x.range!.start.line - y.range!.start.line);
    assert.equal(a!.label, 'mentions the topic');
    assert.equal(a!.id, `${wsPath(SUITE)}#mentions the topic`);
    assert.deepEqual(span(a!.range!), [1, 10, 1, 28]);
    assert.equal(b!.label, 'exact answer');
    assert.deepEqual(span(b!.range!), [6, 10, 6, 22]);

    writeWs(SUITE, TWO_CASES + THIRD);
    await waitFor('a third case', () => suiteItem()?.children.size === 3);
    assert.equal(suiteItem(), item, 'the suite item is updated in place');
    assert.equal(item.children.get(a!.id), a, 'existing case items are kept');
    assert.deepEqual(span(item.children.get(`${wsPath(SUITE)}#third`)!.range!), [11, 10, 11, 15]);
  });

  it('runs the cases on the echo provider: a pass, and a failure with expected and actual', async () => {
    writeWs(SUITE, TWO_CASES);
    const item = await waitFor('the suite item with two cases', () => suiteItem()?.children.size === 2 && suiteItem());
    const cts = new vscode.CancellationTokenSource();
    let reports: CaseReport[];
    try {
      reports = await testing().runRequest(new vscode.TestRunRequest([item]), cts.token);
    } finally {
      cts.dispose();
    }
    const byName = new Map(reports.map((r) => [r.id.slice(r.id.lastIndexOf('#') + 1), r]));
    assert.equal(reports.length, 2);
    assert.equal(byName.get('mentions the topic')?.state, 'passed', JSON.stringify(reports));
    const failed = byName.get('exact answer')!;
    assert.equal(failed.state, 'failed', JSON.stringify(reports));
    assert.equal(failed.messages.length, 1);
    assert.equal(failed.messages[0]!.expected, 'nope');
    assert.match(failed.messages[0]!.actual ?? '', /Explain recursion\./);
  });

  it('a case on a remote provider without a key fails with one clear message and sends nothing', async () => {
    writeWs(SUITE, 'cases:\n  - name: remote\n    model: nokey/some-model\n    vars:\n      topic: x\n');
    const item = await waitFor('the suite item with the remote case', () => suiteItem()?.children.get(`${wsPath(SUITE)}#remote`) && suiteItem());
    const cts = new vscode.CancellationTokenSource();
    try {
      const reports = await testing().runRequest(new vscode.TestRunRequest([item]), cts.token);
      assert.equal(reports.length, 1);
      assert.equal(reports[0]!.state, 'failed');
      assert.equal(reports[0]!.messages.length, 1);
      assert.match(reports[0]!.messages[0]!.message, /No API key for provider "nokey".*Set API Key/);
    } finally {
      cts.dispose();
    }
  });
});
