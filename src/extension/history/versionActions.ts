import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  describe as describeTarget,
  DEFAULT_LABEL,
  LabelError,
  labelNameProblem,
  publish,
  rollback,
  type LabelMoveResult,
  type LabelRefusal,
} from '../../core/history/labels';
import type { VersionEntry } from '../../core/history/versions';
import { errorMessage } from '../../core/text/errorMessage';
import { openCurrentDocument, readDisk, saveEdited, staleText } from '../currentDocument';
import type { Notifier } from '../notifier';
import { quickPicks } from '../quickPicks';
import type { HistoryProvider, VersionNode } from './historyView';
import { fileName, readVersion, versionUri } from './versionContent';

/**
 * What can be done with a version, whoever chose it: the History view's items and the palette's quick picks
 * both call these. Each returns what it did (for tests), undefined or false when it did nothing.
 */
export interface VersionActions {
  open(node: VersionNode): Promise<vscode.Uri>;
  compareWithPrevious(node: VersionNode): Promise<string | undefined>;
  compareWithWorking(node: VersionNode): Promise<string>;
  restore(node: VersionNode, opts?: { confirm?: boolean }): Promise<boolean>;
  /** Asks for the label when none is given. */
  publish(node: VersionNode, label?: string): Promise<LabelMoveResult | undefined>;
  /** Moves `label` of the shown prompt back to the version published before the current one. */
  rollback(label: string): Promise<LabelMoveResult | undefined>;
  /** The label quick pick: the existing labels and production, or a new name. */
  pickLabel(title: string): Promise<string | undefined>;
}

const uriOf = (n: VersionNode, v: VersionEntry = n.version) =>
  versionUri({ top: n.history.top, gitPath: v.gitPath, blobSha: v.blobSha, label: `v${v.version}` });

export function versionActions(
  provider: HistoryProvider,
  log: vscode.LogOutputChannel,
  notifier: Notifier,
): VersionActions {
  const open = async (node: VersionNode) => {
    const doc = await vscode.workspace.openTextDocument(uriOf(node));
    await vscode.window.showTextDocument(doc, { preview: true });
    return doc.uri;
  };

  const compareWithPrevious = async (node: VersionNode) => {
    if (!node.previous) return undefined;
    const name = fileName(node.version.gitPath);
    const title = `${name} (v${node.previous.version}) ↔ ${name} (v${node.version.version})`;
    await vscode.commands.executeCommand('vscode.diff', uriOf(node, node.previous), uriOf(node), title);
    return title;
  };

  const compareWithWorking = async (node: VersionNode) => {
    const name = path.basename(node.history.file);
    const title = `${fileName(node.version.gitPath)} (v${node.version.version}) ↔ ${name} (working copy)`;
    await vscode.commands.executeCommand('vscode.diff', uriOf(node), vscode.Uri.file(node.history.file), title);
    return title;
  };

  /** One undoable edit that replaces the file's text with the version's; saved, never committed. */
  const restore = async (node: VersionNode, opts: { confirm?: boolean } = {}) => {
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
    const current = await openCurrentDocument(vscode.Uri.file(node.history.file));
    if (!current.ok) {
      void notifier.error(`Could not restore v${node.version.version}: ${staleText(name)}`);
      return false;
    }
    const doc = current.doc;
    if (doc.getText() === text) {
      void notifier.info(`${name} already has the content of v${node.version.version}.`);
      return true;
    }
    const before = doc.getText();
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
    if (!(await vscode.workspace.applyEdit(edit))) {
      void notifier.error(
        `Could not restore v${node.version.version} of ${name}: the editor refused the change. Nothing was written.`,
      );
      return false;
    }
    const saved = await saveEdited(doc, text);
    if (!saved) {
      log.warn(
        `Restore ${name} to v${node.version.version}: the editor could not save the file; the restored text is unsaved ` +
          `(editor ${doc.isDirty ? 'dirty' : 'clean'}, editor text ${doc.getText() === text ? 'is' : 'is not'} the version, ` +
          `disk ${await diskState(doc.uri, text, before)})`,
      );
      void notifier.error(
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

  /** Runs a label move on the shown prompt, reports it, and reloads the labels; errors are worded, not thrown. */
  const moveLabel = async (
    what: 'Publish' | 'Roll back',
    move: (root: string, promptId: string) => Promise<LabelMoveResult>,
  ) => {
    const { root, promptId } = provider.state;
    if (!root || !promptId) return undefined;
    try {
      const r = await move(root, promptId);
      for (const w of r.warnings) log.warn(`${what.toLowerCase()} ${promptId}: ${w}`);
      const l = `${r.target.label} of "${promptId}"`;
      const was = r.previous ? ` (was ${describeTarget(r.previous)})` : '';
      const said = !r.changed
        ? `${l} already points at ${describeTarget(r.target)}`
        : what === 'Publish'
          ? `${l} now points at ${describeTarget(r.target)}${was}`
          : `${l} rolled back to ${describeTarget(r.target)}${was}`;
      void notifier.info(`${said}. Push it with: git push --force origin ${r.target.tag}`);
      await provider.reload();
      return r;
    } catch (e) {
      const message = e instanceof LabelError ? labelErrorText(e) : `git: ${errorMessage(e)}`;
      void notifier.error(`${what} failed: ${message}`);
      return undefined;
    }
  };

  const pickLabel = async (title: string) => {
    const existing = new Map(provider.state.labels.map((l) => [l.label, l]));
    const labels = [...new Set([DEFAULT_LABEL, ...existing.keys()])];
    const another = { label: '$(add) Another label…' };
    const at = (l: string) => existing.get(l);
    const [picked] =
      (await quickPicks.pick(
        [
          ...labels.map((l) => ({ label: l, description: at(l) ? `now at ${describeTarget(at(l)!)}` : 'new label' })),
          another,
        ],
        { title, placeholder: 'A label names the version your app loads (e.g. production)' },
      )) ?? [];
    if (!picked) return undefined;
    if (picked !== another) return picked.label;
    return vscode.window
      .showInputBox({
        title: `${title}: label name`,
        placeHolder: 'staging',
        validateInput: (v) => labelNameProblem(v.trim()),
      })
      .then((v) => v?.trim() || undefined);
  };

  return {
    open,
    compareWithPrevious,
    compareWithWorking,
    restore,
    publish: async (node, label) => {
      const chosen = label ?? (await pickLabel('Publish this version as…'));
      if (!chosen) return undefined;
      return moveLabel('Publish', (root, id) => publish(root, id, { label: chosen, version: node.version.version }));
    },
    rollback: (label) => moveLabel('Roll back', (root, id) => rollback(root, id, { label })),
    pickLabel,
  };
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

async function diskState(uri: vscode.Uri, text: string, before: string): Promise<string> {
  const disk = await readDisk(uri);
  return disk === undefined
    ? 'unreadable'
    : disk === text
      ? 'has the version'
      : disk === before
        ? 'has the text before'
        : 'has other text';
}
