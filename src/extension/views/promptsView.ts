import * as vscode from 'vscode';
import type { GroupNode, PromptNode, PromptTreeModel, PromptTreeNode } from '../../core/views/promptTree';
import { modelFacts } from '../../core/views/modelStatus';
import { NO_MODEL_KEY } from '../../core/views/promptIndex';
import { plural } from '../../core/text/plural';
import { appendLines, escapeMarkdown, promptTooltipMarkdown, stateIcon } from './presentation';
import { DisposableStore } from '../lifecycle';
import type { ViewSync } from './viewSync';

/** The Prompts view: a thin adapter from the core PromptTreeModel to TreeItems. */
export class PromptsProvider implements vscode.TreeDataProvider<PromptTreeNode>, vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly changed = this.store.add(new vscode.EventEmitter<PromptTreeNode | PromptTreeNode[] | undefined>());
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly sync: ViewSync) {}

  get model(): PromptTreeModel {
    return this.sync.tree;
  }

  /** Called by ViewSync after an update: everything, or only the rows and groups that changed. */
  refresh(nodes?: readonly PromptTreeNode[]): void {
    if (!nodes) this.changed.fire(undefined);
    else if (nodes.length) this.changed.fire([...nodes]);
  }

  getChildren(node?: PromptTreeNode): PromptTreeNode[] {
    this.sync.start();
    if (node?.kind === 'prompt') return [];
    return this.sync.tree.children(node);
  }

  getParent(node: PromptTreeNode): GroupNode | undefined {
    return node.parent;
  }

  getTreeItem(node: PromptTreeNode): vscode.TreeItem {
    return node.kind === 'prompt' ? promptItem(node) : groupItem(node);
  }

  /** Tooltips are built on hover: a refreshed group of 5,000 rows then costs 5,000 labels, not 5,000 Markdown documents. */
  resolveTreeItem(item: vscode.TreeItem, node: PromptTreeNode): vscode.TreeItem {
    if (node.kind === 'prompt') item.tooltip = promptTooltipMarkdown(node.info);
    return item;
  }

  dispose(): void {
    this.store.dispose();
  }
}

function promptItem(node: PromptNode): vscode.TreeItem {
  const info = node.info;
  const uri = vscode.Uri.file(node.file);
  const item = new vscode.TreeItem(info.label, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.description = info.description;
  // resourceUri lets VS Code decorate the label with the file's problems, as the Explorer does.
  item.resourceUri = uri;
  item.iconPath = stateIcon(info.status.severity, 'comment-discussion');
  // Screen readers get the state the icon shows.
  const s = info.status;
  item.accessibilityInformation = {
    label: `${info.label}, model ${info.description}${s.severity !== 'ok' && s.message ? `, ${s.severity}: ${s.message}` : ''}`,
  };
  item.contextValue = 'prompt';
  item.command = { command: 'vscode.open', title: 'Open Prompt', arguments: [uri] };
  return item;
}

function groupItem(node: GroupNode): vscode.TreeItem {
  const item = new vscode.TreeItem(
    node.label,
    node.groupKind === 'workspace'
      ? vscode.TreeItemCollapsibleState.Expanded
      : vscode.TreeItemCollapsibleState.Collapsed,
  );
  item.id = node.id;
  item.contextValue = `group-${node.groupKind}`;
  const count = plural(node.count, 'prompt');
  switch (node.groupKind) {
    case 'workspace':
      item.iconPath = new vscode.ThemeIcon('root-folder');
      item.tooltip = node.ws.root;
      break;
    case 'folder':
      item.iconPath = vscode.ThemeIcon.Folder;
      item.description = count;
      break;
    case 'tag':
      item.iconPath = new vscode.ThemeIcon('tag');
      item.description = count;
      break;
    case 'model': {
      const s = node.status;
      item.iconPath = stateIcon(s?.severity ?? 'error', 'symbol-enum');
      const id = s?.model?.id ?? s?.ref;
      item.description = id && id !== node.label ? `${id} · ${count}` : count;
      if (node.key === NO_MODEL_KEY) {
        item.tooltip = 'Prompts without a model, or whose front matter could not be read';
      } else if (s) {
        const md = new vscode.MarkdownString('', true);
        if (s.message && s.severity !== 'ok') md.appendMarkdown(`$(${s.severity}) ${escapeMarkdown(s.message)}\n\n`);
        appendLines(md, s.model ? modelFacts(s.model, s.label) : []);
        item.tooltip = md;
      }
      break;
    }
  }
  return item;
}
