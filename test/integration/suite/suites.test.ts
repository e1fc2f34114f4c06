// Test-suite files get the same diagnostics treatment as prompts: on disk, while typing, when deleted.
import * as assert from 'node:assert/strict';
import { expectDiagnostics, openEditor, removeWs, replaceInDocument, revertAndClose, writeWs } from './helpers';

const SUITE = 'prompts/clean.suite.yaml';
const TEXT =
  'cases:\n  - name: one\n    vars:\n      topic: x\n      nope: y\n    assert:\n      - type: containz\n        value: x\n';
const BROKEN = [
  {
    code: 'suite-unknown-var',
    severity: 'warning' as const,
    range: [4, 6, 4, 10] as [number, number, number, number],
    message: /"nope" is not an input of prompt "clean"/,
  },
  {
    code: 'suite-unknown-assertion',
    severity: 'error' as const,
    range: [6, 14, 6, 22] as [number, number, number, number],
    message: /Did you mean "contains"/,
  },
];

describe('suites', function () {
  this.timeout(60_000);

  afterEach(async () => {
    removeWs(SUITE);
    await expectDiagnostics(SUITE, [], 'suite removed');
  });

  it('a suite written on disk gets its problems at the exact places; fixing it clears them', async () => {
    writeWs(SUITE, TEXT);
    await expectDiagnostics(SUITE, BROKEN, 'suite on disk');
    writeWs(SUITE, TEXT.replace('      nope: y\n', '').replace('containz', 'contains'));
    await expectDiagnostics(SUITE, [], 'suite fixed on disk');
  });

  it('follows unsaved edits of a suite, and the disk again after revert', async () => {
    writeWs(SUITE, TEXT);
    await expectDiagnostics(SUITE, BROKEN, 'suite on disk');
    const { document: doc } = await openEditor(SUITE);
    try {
      await replaceInDocument(doc, 'containz', 'contains');
      await expectDiagnostics(SUITE, [BROKEN[0]!], 'assertion fixed in the editor');
      assert.equal(doc.isDirty, true);
    } finally {
      await revertAndClose(doc);
    }
    await expectDiagnostics(SUITE, BROKEN, 'reverted');
  });

  it('a suite whose prompt is renamed away reports it', async () => {
    writeWs(SUITE, 'prompt: no/such\ncases:\n  - name: one\n');
    await expectDiagnostics(
      SUITE,
      [{ code: 'suite-unknown-prompt', severity: 'error', range: [0, 8, 0, 15] }],
      'unknown prompt',
    );
  });
});
