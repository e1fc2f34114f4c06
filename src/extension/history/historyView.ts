import * as path from 'node:path';
import * as vscode from 'vscode';
import { relativeTime } from '../../core/format/relativeTime';
import { GitError } from '../../core/git/git';
import { listLabels, type LabelTarget } from '../../core/history/labels';
import { promptHistory, type PromptHistory, type VersionEntry } from '../../core/history/versions';
import { DisposableStore } from '../lifecycle';
import type { WorkspaceRegistry } from '../workspaces';
import { errorMessage } from '../../core/text/errorMessage';

export type HistoryNode =
  | { kind: 'working'; history: PromptHistory }
  | { kind: 'version'; history: PromptHistory; version: VersionEntry; previous?: VersionEntry; labels: string[] };

export type VersionNode = Extract<HistoryNode, { kind: 'version' }>;

/** What the view shows: one prompt's versions, or why there are none. */
export interface HistoryState {
  file?: string;
  promptId?: string;
  root?: string;
  history?: PromptHistory;
  labels: LabelTarget[];
  /** Shown above the list: a notice (shallow clone…) or why there is no history. */
  message?: string;
}

/**
 * The History view's data: follows the active prompt (or the one picked in the
 * Prompts view) and lists its versions newest first, "working copy" on top when
 * the file has uncommitted changes, labels as badges. Loads are serialised so a
 * slow git call never overwrites a newer answer.
 */
export class HistoryProvider implements vscode.TreeDataProvider<HistoryNode>, vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly changed = this.store.add(new vscode.EventEmitter<void>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly loaded = this.store.add(new vscode.EventEmitter<HistoryState>());
  /** Fires after each load, with what the view now shows. */
  readonly onDidLoad = this.loaded.event;
  state: HistoryState = { labels: [], message: 'Open a prompt to see its versions.' };
  private generation = 0;
  private pending?: AbortController;
  /** The file asked for last; `state` catches up with it when its load finishes. */
  private target: string | undefined;
  private latest: Promise<HistoryState> = Promise.resolve(this.state);

  constructor(private readonly registry: WorkspaceRegistry) {}

  /** The prompt the view follows: the one asked for last, even while its versions are loading. */
  get file(): string | undefined {
    return this.target;
  }

  /**
   * Shows `file`'s versions (or reloads them); resolves once the view has the answer. When a
   * newer request (another prompt, a reload after a commit) overtakes this one, it resolves with
   * that request's answer, which is what the view shows, never with the state from before.
   */
  show(file: string | undefined): Promise<HistoryState> {
    this.target = file;
    const gen = ++this.generation;
    this.pending?.abort();
    const ac = (this.pending = new AbortController());
    const answer = this.load(file, ac.signal).then((next) => {
      if (gen !== this.generation) return this.latest;
      this.state = next;
      this.changed.fire();
      this.loaded.fire(next);
      return next;
    });
    this.latest = answer;
    return answer;
  }

  /** Loads the followed prompt's versions again (a commit, a checkout, a tag moved). */
  reload(): Promise<HistoryState> {
    return this.show(this.target);
  }

  private async load(file: string | undefined, signal: AbortSignal): Promise<HistoryState> {
    if (!file) return { labels: [], message: 'Open a prompt to see its versions.' };
    const ws = this.registry.forFile(file);
    const prompt = ws?.get(file);
    const base = { file, promptId: prompt?.id, root: ws?.root, labels: [] as LabelTarget[] };
    try {
      const history = await promptHistory(file, { signal });
      const labels = prompt && ws ? await listLabels(ws.root, prompt.id).catch(() => []) : [];
      const notices = history.notices.length ? `${path.basename(file)}: ${history.notices.join('; ')}` : undefined;
      return { ...base, history, labels, message: notices };
    } catch (e) {
      const why =
        e instanceof GitError
          ? e.kind === 'no-git'
            ? 'Git is not installed, so there is no history.'
            : e.kind === 'untrusted'
              ? 'History needs a trusted workspace: git is not run here, because a repository can set git up to run programs. Trust the workspace to see versions.'
              : e.kind === 'not-a-repo'
                ? `${path.basename(file)} is not in a git repository, so it has no versions.`
                : `git: ${e.message}`
          : String(errorMessage(e) ?? e);
      return { ...base, message: why };
    }
  }

  getChildren(node?: HistoryNode): HistoryNode[] {
    return node ? [] : nodesOf(this.state);
  }

  getTreeItem(node: HistoryNode): vscode.TreeItem {
    if (node.kind === 'working') {
      const item = new vscode.TreeItem('working copy', vscode.TreeItemCollapsibleState.None);
      item.description = node.history.working === 'untracked' ? 'not committed yet' : 'uncommitted changes';
      item.iconPath = new vscode.ThemeIcon('edit');
      item.contextValue = 'workingCopy';
      item.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.file(node.history.file)] };
      return item;
    }
    const v = node.version;
    const item = new vscode.TreeItem(`v${v.version}  ${v.subject}`, vscode.TreeItemCollapsibleState.None);
    item.id = `${node.history.file}@${v.sha}`;
    item.description = versionDescription(node);
    item.iconPath = new vscode.ThemeIcon(node.labels.length ? 'tag' : 'git-commit');
    item.contextValue = `version${node.previous ? ' hasPrevious' : ''}${node.labels.length ? ' labeled' : ''}`;
    const tip = new vscode.MarkdownString(undefined, true);
    tip.appendMarkdown(
      `**v${v.version}** · \`${v.sha.slice(0, 10)}\` · ${escapeMd(v.author)} · ${new Date(v.date).toLocaleString()}\n\n`,
    );
    if (node.labels.length) tip.appendMarkdown(`$(tag) ${node.labels.map(escapeMd).join(', ')}\n\n`);
    tip.appendCodeblock(v.message.trimEnd(), 'text');
    if (v.gitPath !== node.history.versions[0]?.gitPath) tip.appendMarkdown(`\n\nthen at \`${v.gitPath}\``);
    item.tooltip = tip;
    item.command = { command: 'promptRegistry.history.open', title: 'Open This Version', arguments: [node] };
    return item;
  }

  dispose(): void {
    this.pending?.abort();
    this.store.dispose();
  }
}

/** The view's entries for a loaded state: "working copy" when the file has uncommitted changes, then the versions. */
export function nodesOf(state: HistoryState): HistoryNode[] {
  const h = state.history;
  if (!h) return [];
  const byCommit = new Map<string, string[]>();
  for (const l of state.labels) byCommit.set(l.commit, [...(byCommit.get(l.commit) ?? []), l.label]);
  const nodes: HistoryNode[] =
    h.working !== 'clean' && h.working !== 'deleted' ? [{ kind: 'working', history: h }] : [];
  h.versions.forEach((v, i) =>
    nodes.push({
      kind: 'version',
      history: h,
      version: v,
      previous: h.versions[i + 1],
      labels: byCommit.get(v.sha) ?? [],
    }),
  );
  return nodes;
}

/** "⟨production⟩ · Ada Reviewer · 2 hours ago": the line beside a version, in the view and in quick picks. */
export function versionDescription(node: { version: VersionEntry; labels: string[] }): string {
  const badges = node.labels.map((l) => `⟨${l}⟩`).join(' ');
  return [badges, node.version.author, relativeTime(node.version.date)].filter(Boolean).join(' · ');
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
