// Palette-first runs: Run Tests for This Prompt and Re-run Failed Tests, through the Testing controller, with one end summary.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PaletteRunEnd } from '../../../src/extension/palette/runCommands';
import type { TestingApi } from '../../../src/extension/testing/testController';
import {
  EXTENSION_ID,
  keys,
  openEditor,
  readWs,
  removeWs,
  revertAndCloseAll,
  waitFor,
  writeWs,
  wsPath,
} from './helpers';

const CONFIG = 'prompt-registry.yaml';
const SUITE = 'prompts/clean.suite.yaml';
const SIGNAL = 'prompts/models/not-enabled.md';
const suite = (exact: string) =>
  [
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
    `      - {type: contains, value: ${exact}}`,
    '',
  ].join('\n');

function testing(): TestingApi {
  return vscode.extensions.getExtension(EXTENSION_ID)!.exports.testing as TestingApi;
}

describe('palette runs', function () {
  this.timeout(60_000);
  let savedConfig: string;

  before(async () => {
    savedConfig = readWs(CONFIG);
    writeWs(
      CONFIG,
      savedConfig.replace(
        'models:\n  enabled: [',
        'providers:\n  - {name: local, type: echo}\nmodels:\n  enabled: [gpt-4.1, ',
      ),
    );
    await waitFor('the echo config to be applied', () => !keys(SIGNAL).some((d) => d.code === 'model-not-enabled'));
  });

  after(async () => {
    await revertAndCloseAll();
    removeWs(SUITE);
    writeWs(CONFIG, savedConfig);
    await waitFor('the suite item to go', () => !testing().controller.items.get(wsPath(SUITE)));
    await waitFor(
      'the original config to be applied',
      () => keys(SIGNAL).some((d) => d.code === 'model-not-enabled') && keys('prompts/clean.md').length === 0,
    );
  });

  it('runs the active prompt, words the outcome, then re-runs only what failed', async () => {
    writeWs(SUITE, suite('nope'));
    await waitFor('the suite item', () => testing().controller.items.get(wsPath(SUITE))?.children.size === 2);
    await openEditor('prompts/clean.md');
    const end = (await vscode.commands.executeCommand('promptRegistry.palette.runThisPrompt')) as PaletteRunEnd;
    assert.equal(end.outcome.passed, 1);
    assert.deepEqual(end.outcome.failedIds, [`${wsPath(SUITE)}#exact answer`]);
    assert.match(end.message, /^1 passed, 1 failed on \S+ · .*\d+\.\d s$/);

    // The suite is fixed and gains a case (its item shows the new text is read): only the one that failed runs again.
    writeWs(SUITE, suite('Explain recursion.') + '  - name: third\n    vars:\n      topic: loops\n');
    await waitFor(
      'the fixed suite to be read',
      () => testing().controller.items.get(wsPath(SUITE))?.children.size === 3,
    );
    const again = (await vscode.commands.executeCommand('promptRegistry.palette.rerunFailed')) as PaletteRunEnd;
    assert.deepEqual([again.outcome.passed, again.outcome.failed], [1, 0]);
    assert.match(again.message, /^1 passed on /);
  });

  it('runs a suite file when it is the active editor', async () => {
    writeWs(SUITE, suite('nope'));
    await waitFor('the suite item', () => testing().controller.items.get(wsPath(SUITE))?.children.size === 2);
    const end = (await vscode.commands.executeCommand(
      'promptRegistry.palette.runThisPrompt',
      vscode.Uri.file(wsPath(SUITE)),
    )) as PaletteRunEnd;
    assert.deepEqual([end.outcome.passed, end.outcome.failed], [1, 1]);
  });
});
