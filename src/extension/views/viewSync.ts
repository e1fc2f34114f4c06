import * as vscode from 'vscode';
import { GROUPINGS, PromptTreeModel, type Grouping, type PromptTreeNode } from '../../core/views/promptTree';
import { DisposableStore } from '../lifecycle';
import type { WorkspaceRegistry } from '../workspaces';

/** Bursts of changes (a branch switch, a bulk assign) become one view refresh. */
export const VIEW_DEBOUNCE_MS = 100;
const GROUPING_KEY = 'promptRegistry.grouping';

export interface ViewListener {
  /** `undefined`: refresh everything; otherwise only these nodes. */
  refresh(nodes?: readonly PromptTreeNode[]): void;
}

/**
 * Keeps the core tree model in step with the registry for both views. Nothing
 * is derived until a view first asks for its children, so a user who never
 * opens the views pays nothing; after that each (debounced) change updates
 * the model once and tells each view what to refresh.
 */
export class ViewSync implements vscode.Disposable {
  readonly tree = new PromptTreeModel();
  private started = false;
  private stale = true;
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners: { prompts?: ViewListener; models?: ViewListener } = {};
  private readonly store = new DisposableStore();
  private readonly updated = this.store.add(new vscode.EventEmitter<void>());
  /** After the model caught up with a change; tests wait on it. */
  readonly onDidUpdate = this.updated.event;

  constructor(
    private readonly registry: WorkspaceRegistry,
    private readonly log: vscode.LogOutputChannel,
    private readonly state?: vscode.Memento,
  ) {
    const saved = state?.get<Grouping>(GROUPING_KEY);
    if (saved && GROUPINGS.includes(saved)) this.tree.setGrouping(saved);
    void vscode.commands.executeCommand('setContext', 'promptRegistry.grouping', this.tree.grouping);
    this.store.add(registry.onDidChange(() => this.schedule()));
  }

  listen(which: 'prompts' | 'models', l: ViewListener): void {
    this.listeners[which] = l;
  }

  /** First call from a view: derive everything now, as that view is asking for its children. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.flush(false);
  }

  get grouping(): Grouping {
    return this.tree.grouping;
  }

  setGrouping(g: Grouping): void {
    if (g === this.tree.grouping) return;
    this.flush();
    this.tree.setGrouping(g);
    void vscode.commands.executeCommand('setContext', 'promptRegistry.grouping', g);
    void this.state?.update(GROUPING_KEY, g);
    this.listeners.prompts?.refresh();
  }

  /** Applies pending changes now (commands that act on the views' content call it first). */
  flush(notify = true): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.stale || !this.started) return;
    this.stale = false;
    const t = performance.now();
    const change = this.tree.update(this.registry.all());
    this.log.trace(
      `views: updated in ${(performance.now() - t).toFixed(1)} ms (${change.all ? 'everything' : `${change.nodes.length} nodes`})`,
    );
    if (notify) {
      this.listeners.prompts?.refresh(change.all ? undefined : change.nodes);
      this.listeners.models?.refresh();
    }
    this.updated.fire();
  }

  private schedule(): void {
    this.stale = true;
    if (!this.started || this.timer) return;
    this.timer = setTimeout(() => this.flush(), VIEW_DEBOUNCE_MS);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.store.dispose();
  }
}
