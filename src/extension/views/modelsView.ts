import * as path from 'node:path';
import * as vscode from 'vscode';
import { modelGroups, type ModelItem } from '../../core/views/modelList';
import type { PromptWorkspace } from '../../core/workspace/promptWorkspace';
import { DisposableStore } from '../lifecycle';
import type { WorkspaceRegistry } from '../workspaces';
import { plural } from '../../core/text/plural';
import { appendLines } from './presentation';
import type { ViewSync } from './viewSync';

export interface WorkspaceNode {
  kind: 'workspace';
  ws: PromptWorkspace;
}
export interface ProviderNode {
  kind: 'provider';
  ws: PromptWorkspace;
  provider: string;
  models: ModelNode[];
  parent?: WorkspaceNode;
}
export interface ModelNode {
  kind: 'model';
  ws: PromptWorkspace;
  item: ModelItem;
  parent: ProviderNode;
}
export type ModelsNode = WorkspaceNode | ProviderNode | ModelNode;

/**
 * The Models view: the catalog by provider with policy marks and usage counts.
 * A catalog has hundreds of models at most, so each change rebuilds the rows,
 * lazily, when the view next asks.
 */
export class ModelsProvider implements vscode.TreeDataProvider<ModelsNode>, vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly changed = this.store.add(new vscode.EventEmitter<ModelsNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private cache = new Map<PromptWorkspace, ProviderNode[]>();

  constructor(
    private readonly registry: WorkspaceRegistry,
    private readonly sync: ViewSync,
  ) {}

  refresh(): void {
    this.cache = new Map();
    this.changed.fire(undefined);
  }

  getChildren(node?: ModelsNode): ModelsNode[] {
    this.sync.start();
    if (!node) {
      const all = this.registry.all().filter((ws) => ws.modelCatalog);
      return all.length > 1 ? all.map((ws) => ({ kind: 'workspace', ws })) : all.length ? this.providers(all[0]!) : [];
    }
    if (node.kind === 'workspace') return this.providers(node.ws, node);
    if (node.kind === 'provider') return node.models;
    return [];
  }

  getParent(node: ModelsNode): ModelsNode | undefined {
    return node.kind === 'workspace' ? undefined : node.parent;
  }

  private providers(ws: PromptWorkspace, parent?: WorkspaceNode): ProviderNode[] {
    let out = this.cache.get(ws);
    if (!out) {
      const catalog = ws.modelCatalog;
      const usage = this.sync.tree.index(ws)?.usage() ?? new Map();
      out = catalog
        ? modelGroups(catalog, ws.settings, usage).map((g) => {
            const p: ProviderNode = { kind: 'provider', ws, provider: g.provider, models: [], parent };
            p.models = g.models.map((item) => ({ kind: 'model', ws, item, parent: p }));
            return p;
          })
        : [];
      this.cache.set(ws, out);
    }
    return out;
  }

  getTreeItem(node: ModelsNode): vscode.TreeItem {
    if (node.kind === 'workspace') {
      const item = new vscode.TreeItem(path.basename(node.ws.root), vscode.TreeItemCollapsibleState.Expanded);
      item.id = `models|${node.ws.root}`;
      item.iconPath = new vscode.ThemeIcon('root-folder');
      return item;
    }
    if (node.kind === 'provider') {
      const item = new vscode.TreeItem(node.provider, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `models|${node.ws.root}|${node.provider}`;
      item.iconPath = new vscode.ThemeIcon('cloud');
      const active = node.models.filter((m) => m.item.row.available).length;
      item.description =
        active === node.models.length
          ? plural(active, 'model')
          : `${plural(active, 'model')}, ${node.models.length - active} no longer available`;
      item.contextValue = 'provider';
      return item;
    }
    const { item: m, ws } = node;
    const item = new vscode.TreeItem(m.label, vscode.TreeItemCollapsibleState.None);
    item.id = `models|${ws.root}|${m.row.model.provider}/${m.row.model.id}`;
    item.description = m.description;
    item.contextValue = m.contextValue;
    item.iconPath =
      m.state === 'inactive'
        ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'))
        : m.state === 'disabled'
          ? new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'))
          : m.row.isDefault
            ? new vscode.ThemeIcon('star-full', new vscode.ThemeColor('charts.yellow'))
            : new vscode.ThemeIcon('symbol-enum');
    const md = new vscode.MarkdownString('', true);
    item.tooltip = appendLines(md, m.tooltip);
    return item;
  }

  dispose(): void {
    this.store.dispose();
  }
}
