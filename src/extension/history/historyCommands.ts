import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  describe as describeTarget,
  DEFAULT_LABEL,
  LabelError,
  labelNameProblem,
  publish,
  type LabelRefusal,
} from '../../core/history/labels';
import type { VersionEntry } from '../../core/history/versions';
import type { DisposableStore } from '../lifecycle';
import type { HistoryNode, HistoryProvider } from './historyView';
import { fileName, readVersion, versionUri } from './versionContent';
import { errorMessage } from '../../core/text/errorMessage';

type VersionNode = Extract<HistoryNode, { kind: 'version' }>;

const uriOf = (n: VersionNode, v: VersionEntry = n.version) =>
  versionUri({ top: n.history.top, gitPath: v.gitPath, blobSha: v.blobSha, label: `v${v.version}` });

/** What the History view's items do: open, compare, restore, publish. Each returns what it did, for tests. */
export function registerHistoryCommands(
  store: DisposableStore,
  provider: HistoryProvider,
  log: vscode.LogOutputChannel,
): void {
  const selected = (n?: HistoryNode): VersionNode | undefined => (n?.kind === 'version' ? n : undefined);

  const open = async (n?: HistoryNode) => {
    const node = selected(n);
    if (!node) return undefined;
    const doc = await vscode.workspace.openTextDocument(uriOf(node));
    await vscode.window.showTextDocument(doc, { preview: true });
    return doc.uri;
  };

  const compareWithPrevious = async (n?: HistoryNode) => {
    const node = selected(n);
    if (!node?.previous) return undefined;
    const name = fileName(node.version.gitPath);
    const title = `${name} (v${node.previous.version}) ↔ ${name} (v${node.version.version})`;
    await vscode.commands.executeCommand('vscode.diff', uriOf(node, node.previous), uriOf(node), title);
    return title;
  };

  const compareWithWorking = async (n?: HistoryNode) => {
    const node = selected(n);
    if (!node) return undefined;
    const name = path.basename(node.history.file);
    const title = `${fileName(node.version.gitPath)} (v${node.version.version}) ↔ ${name} (working copy)`;
    await vscode.commands.executeCommand('vscode.diff', uriOf(node), vscode.Uri.file(node.history.file), title);
    return title;
  };

  /** One undoable edit that replaces the file's text with the version's; saved, never committed. */
  const restore = async (n?: HistoryNode, opts: { confirm?: boolean } = {}) => {
    const node = selected(n);
    if (!node) return false;
    const name = path.basename(node.history.file);
    if (opts.confirm !== false && node.history.working !== 'clean') {
      const ok = await vscode.window.showWarningMessage(
        `Restore v${node.version.version} of ${name}? Its uncommitted changes are replaced (Undo brings them back).`,
        { modal: true },
        'Restore',
      );
      if (ok !== 'Restore') return false;
    }
    const text = await readVersion({ top: node.history.top, blobSha: node.version.blobSha });
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(node.history.file));
    if (doc.getText() === text) {
      void vscode.window.showInformationMessage(`${name} already has the content of v${node.version.version}.`);
      return true;
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
    if (!(await vscode.workspace.applyEdit(edit))) {
      void vscode.window.showErrorMessage(
        `Could not restore v${node.version.version} of ${name}: the editor refused the change. Nothing was written.`,
      );
      return false;
    }
    // A save can fail (the file changed on disk since the editor read it): then nothing was restored on disk.
    if (!(await doc.save())) {
      log.warn(
        `Restore ${name} to v${node.version.version}: the editor could not save the file; the restored text is unsaved`,
      );
      void vscode.window.showErrorMessage(
        `Could not save ${name} after restoring v${node.version.version}; the restored text is in the editor, unsaved (Undo reverts it).`,
      );
      await vscode.window.showTextDocument(doc);
      return false;
    }
    await vscode.window.showTextDocument(doc);
    log.info(`Restored ${name} to v${node.version.version} (${node.version.sha.slice(0, 7)}); not committed`);
    vscode.window.setStatusBarMessage(
      `Restored ${name} to v${node.version.version}: review and commit it (Undo reverts)`,
      5000,
    );
    return true;
  };

  const publishVersion = async (n?: HistoryNode, label?: string) => {
    const node = selected(n);
    const { root, promptId } = provider.state;
    if (!node || !root || !promptId) return undefined;
    const chosen = label ?? (await pickLabel(provider.state.labels.map((l) => l.label)));
    if (!chosen) return undefined;
    try {
      const r = await publish(root, promptId, { label: chosen, version: node.version.version });
      for (const w of r.warnings) log.warn(`publish ${promptId}: ${w}`);
      const what = r.changed
        ? `${chosen} of "${promptId}" now points at ${describeTarget(r.target)}${r.previous ? ` (was ${describeTarget(r.previous)})` : ''}`
        : `${chosen} of "${promptId}" already points at ${describeTarget(r.target)}`;
      void vscode.window.showInformationMessage(`${what}. Push it with: git push --force origin ${r.target.tag}`);
      await provider.reload();
      return r;
    } catch (e) {
      const message = e instanceof LabelError ? labelErrorText(e) : `git: ${errorMessage(e)}`;
      void vscode.window.showErrorMessage(`Publish failed: ${message}`);
      return undefined;
    }
  };

  store.add(
    vscode.Disposable.from(
      vscode.commands.registerCommand('promptRegistry.history.open', open),
      vscode.commands.registerCommand('promptRegistry.history.compareWithPrevious', compareWithPrevious),
      vscode.commands.registerCommand('promptRegistry.history.compareWithWorkingCopy', compareWithWorking),
      vscode.commands.registerCommand('promptRegistry.history.restore', restore),
      vscode.commands.registerCommand('promptRegistry.history.publish', publishVersion),
      vscode.commands.registerCommand('promptRegistry.history.refresh', () => provider.reload()),
    ),
  );
}

const REMEDY: Record<LabelRefusal, string> = {
  uncommitted: ': commit them first, or publish a committed version from the History view',
  deleted: ': publish a committed version from the History view',
  'has-errors': '. Publish another version',
  'shallow-history': ': run "git fetch --unshallow"',
};

function labelErrorText(e: LabelError): string {
  return e.refusal ? `${e.message}${REMEDY[e.refusal]}` : e.message;
}

async function pickLabel(existing: string[]): Promise<string | undefined> {
  const labels = [...new Set([DEFAULT_LABEL, ...existing])];
  const items: vscode.QuickPickItem[] = [
    ...labels.map((l) => ({ label: l, description: existing.includes(l) ? 'move this label here' : 'new label' })),
    { label: '$(add) Another label…' },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Publish this version as…',
    placeHolder: 'A label names the version your app loads (e.g. production)',
  });
  if (!picked) return undefined;
  if (!picked.label.startsWith('$(add)')) return picked.label;
  return vscode.window
    .showInputBox({
      title: 'Publish: label name',
      placeHolder: 'staging',
      validateInput: (v) => labelNameProblem(v.trim()),
    })
    .then((v) => v?.trim() || undefined);
}
