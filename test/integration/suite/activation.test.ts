// Smoke test: the harness put Prompt Registry into a real extension host, opened the
// fixture workspace, and the extension activated from its activationEvents.
import * as assert from 'node:assert';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'prompt-registry.prompt-registry';

describe('activation', () => {
  it('is installed and active in the opened workspace', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed`);
    assert.strictEqual(ext.isActive, true, `${EXTENSION_ID} is not active`);
  });

  it('activated without throwing', async () => {
    // isActive is also true after a failed activate(); activate() rethrows that failure.
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  });

  it('has the fixture workspace open (also given as PR_TEST_WORKSPACE)', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.strictEqual(folders.length, 1, 'expected exactly one workspace folder');
    const workspace = process.env.PR_TEST_WORKSPACE;
    assert.ok(workspace, 'PR_TEST_WORKSPACE is not set');
    assert.strictEqual(path.resolve(folders[0]!.uri.fsPath), path.resolve(workspace));
  });
});
