import * as path from 'node:path';
import * as vscode from 'vscode';
import { relativeTime } from '../../core/format/relativeTime';
import { describe as describeTarget, labelHistory, rollbackTarget, type LabelState } from '../../core/history/labels';
import { errorMessage } from '../../core/text/errorMessage';
import type { HistoryApi } from '../history';
import { nodesOf, versionDescription, type HistoryState, type VersionNode } from '../history/historyView';
import type { DisposableStore } from '../lifecycle';
import type { Notifier } from '../notifier';
import { quickPicks } from '../quickPicks';
import { pickPromptFile } from './pickPrompt';
import type { WorkspaceRegistry } from '../workspaces';

/** Set while the active editor is a registry prompt whose versions git has (the palette's `when` clauses). */
export const ACTIVE_IN_GIT = 'promptRegistry.activeInGit';

/** What the tests read: the value last given to the ACTIVE_IN_GIT context key (VS Code cannot be asked). */
export interface HistoryPaletteApi {
  activeInGit(): boolean;
}

interface VersionItem extends vscode.QuickPickItem {
  node: VersionNode;
}

/** The active prompt's freshly loaded versions, newest first. */
interface Loaded {
  name: string;
  state: HistoryState;
  versions: VersionNode[];
}

/**
 * The History view's operations from the command palette, on the active prompt (or one picked when no prompt
 * is open): Compare With Previous Version, Restore a Version…, Publish… and Roll Back Label…. A quick pick
 * chooses the version (or label);
 * then the same actions as the view's items run. Nothing here needs the view to be open.
 */
export function registerHistoryPalette(
  store: DisposableStore,
  registry: WorkspaceRegistry,
  history: HistoryApi,
  notifier: Notifier,
): HistoryPaletteApi {
  const { provider, actions } = history;

  // Set only when it flips: the registry changes on every keystroke.
  let lastInGit: boolean | undefined;
  const activePrompt = () => registry.promptFileAt(vscode.window.activeTextEditor?.document.uri)?.file;
  const updateContext = () => {
    const file = activePrompt();
    const inGit = !!file && provider.state.file === file && !!provider.state.history;
    if (inGit === lastInGit) return;
    lastInGit = inGit;
    void vscode.commands.executeCommand('setContext', ACTIVE_IN_GIT, inGit);
  };

  /** Reloads the active prompt's history; says why and resolves undefined when there is nothing to act on. */
  const load = async (doing: string): Promise<Loaded | undefined> => {
    // No prompt in the editor: ask which one.
    const file = activePrompt() ?? (await pickPromptFile(registry, `Which prompt? (to ${doing})`));
    if (!file) {
      if (!registry.all().some((ws) => ws.prompts().length)) void notifier.info(`There is no prompt to ${doing}.`);
      return undefined;
    }
    const name = path.basename(file);
    const state = await provider.show(file);
    // Another prompt was asked for while this one loaded: act on neither.
    if (state.file !== file) return undefined;
    if (!state.history) {
      void notifier.warn(state.message ?? `${name} has no history.`);
      return undefined;
    }
    const versions = nodesOf(state).filter((n): n is VersionNode => n.kind === 'version');
    if (!versions.length) {
      void notifier.info(`${name} has no committed versions yet: commit it first.`);
      return undefined;
    }
    return { name, state, versions };
  };

  const pickVersion = async (nodes: VersionNode[], title: string, placeholder: string) => {
    const items: VersionItem[] = nodes.map((node) => ({
      node,
      label: `v${node.version.version}  ${node.version.subject}`,
      description: versionDescription(node),
      detail: `${node.version.sha.slice(0, 7)} · ${new Date(node.version.date).toLocaleString()}`,
    }));
    return (await quickPicks.pick(items, { title, placeholder }))?.[0]?.node;
  };

  const compareWithPrevious = async () => {
    const got = await load('compare its versions');
    if (!got) return undefined;
    const comparable = got.versions.filter((n) => n.previous);
    if (!comparable.length) {
      void notifier.info(`${got.name} has only one version: there is nothing to compare it with.`);
      return undefined;
    }
    const node = await pickVersion(
      comparable,
      `Compare ${got.name} with its previous version`,
      'The version to compare with the one before it',
    );
    return node && actions.compareWithPrevious(node);
  };

  const restoreVersion = async () => {
    const got = await load('restore one of its versions');
    if (!got) return undefined;
    const node = await pickVersion(
      got.versions,
      `Restore a version of ${got.name}`,
      'Its text replaces the file (saved, not committed; Undo reverts)',
    );
    return node ? actions.restore(node) : undefined;
  };

  const publishVersion = async () => {
    const got = await load('publish one of its versions');
    if (!got) return undefined;
    const label = await actions.pickLabel(`Publish ${got.state.promptId}: which label?`);
    if (!label) return undefined;
    const node = await pickVersion(got.versions, `Publish ${got.state.promptId} as ${label}`, 'The version to publish');
    return node && actions.publish(node, label);
  };

  const rollbackLabel = async () => {
    const got = await load('roll back one of its labels');
    if (!got) return undefined;
    const { root, promptId } = got.state;
    if (!root || !promptId) return undefined;
    let labels: LabelState[];
    try {
      labels = await labelHistory(root, promptId);
    } catch (e) {
      void notifier.error(`Roll back failed: git: ${errorMessage(e)}`);
      return undefined;
    }
    if (!labels.length) {
      void notifier.info(`"${promptId}" has no labels yet: publish a version first.`);
      return undefined;
    }
    const backs = labels.flatMap((l) => {
      const back = rollbackTarget(l);
      return back ? [{ state: l, back }] : [];
    });
    if (!backs.length) {
      void notifier.info(
        `No label of "${promptId}" has an earlier published version to roll back to (${labels.map((l) => `${l.label} is at ${describeTarget(l)}`).join(', ')}).`,
      );
      return undefined;
    }
    const [chosen] =
      (await quickPicks.pick(
        backs.map((b) => ({ ...b, label: b.state.label, description: `now at ${describeTarget(b.state)}` })),
        { title: `Roll back a label of ${promptId}`, placeholder: 'The label to move back' },
      )) ?? [];
    if (!chosen) return undefined;
    // Core moves a label back one published step; this pick shows where that is before anything is written.
    const subject = got.versions.find((n) => n.version.sha === chosen.back.commit)?.version.subject;
    const target = await quickPicks.pick(
      [
        {
          label: `${describeTarget(chosen.back)}${subject ? `  ${subject}` : ''}`,
          description: `published by ${chosen.back.by.replace(/\s*<.*>$/, '')} · ${relativeTime(chosen.back.date)}`,
          detail: `${chosen.label} moves from ${describeTarget(chosen.state)} back to ${describeTarget(chosen.back)}`,
        },
      ],
      { title: `Roll back ${chosen.label} of ${promptId} to…`, placeholder: 'The version published before' },
    );
    return target ? actions.rollback(chosen.label) : undefined;
  };

  store.add(
    vscode.Disposable.from(
      provider.onDidLoad(updateContext),
      vscode.window.onDidChangeActiveTextEditor(updateContext),
      registry.onDidChange(updateContext),
      vscode.commands.registerCommand('promptRegistry.palette.compareWithPrevious', compareWithPrevious),
      vscode.commands.registerCommand('promptRegistry.palette.restoreVersion', restoreVersion),
      vscode.commands.registerCommand('promptRegistry.palette.publish', publishVersion),
      vscode.commands.registerCommand('promptRegistry.palette.rollbackLabel', rollbackLabel),
    ),
  );
  updateContext();
  return { activeInGit: () => !!lastInGit };
}
