import * as path from 'node:path';
import type { ModelStatus } from './modelStatus';
import { NO_MODEL_KEY, PromptIndex, type PromptInfo, type ViewSource } from './promptIndex';

export type Grouping = 'folder' | 'model' | 'tag';
export const GROUPINGS: readonly Grouping[] = ['folder', 'model', 'tag'];

export type GroupKind = 'workspace' | 'folder' | 'model' | 'tag';

export interface GroupNode {
  readonly kind: 'group';
  /** Stable across updates, unique in the tree: the TreeItem id. */
  readonly id: string;
  readonly groupKind: GroupKind;
  /** The folder name, model key, tag or workspace root. */
  readonly key: string;
  readonly label: string;
  /** Prompts under it, nested folders included. A workspace group does not count. */
  count: number;
  readonly parent?: GroupNode;
  readonly ws: ViewSource;
  /** Model groups: the model's state, shared by every prompt in the group. */
  readonly status?: ModelStatus;
}

export interface PromptNode {
  readonly kind: 'prompt';
  readonly id: string;
  /** Absolute path: what commands on tree elements (Change Model…) read. */
  readonly file: string;
  /** Replaced in place when the prompt changes but stays where it is, so the view refreshes just this row. */
  info: PromptInfo;
  readonly parent?: GroupNode;
  readonly ws: ViewSource;
}

export type PromptTreeNode = GroupNode | PromptNode;

/** What to refresh after an update: everything, or these nodes (their items, and a group's children). */
export interface TreeChange {
  all: boolean;
  nodes: PromptTreeNode[];
}

export const UNTAGGED_KEY = '\u0000untagged';

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

class Group {
  readonly subgroups = new Map<string, Group>();
  readonly prompts = new Map<string, PromptNode>();
  /** Sorted children, built when first asked for and dropped when they change. */
  children?: PromptTreeNode[];
  detached = false;
  constructor(
    readonly node: GroupNode | undefined,
    readonly parent: Group | undefined,
  ) {}

  /** The count lives on the node, where the adapter shows it; the root has none. */
  count(): number {
    return this.node?.count ?? 0;
  }
}

/** What one update touched: groups whose children changed, and each touched group's count before. */
interface Tracker {
  structural: Set<Group>;
  counts: Map<Group, number>;
  /** Rows changed in place. */
  rows: Set<PromptNode>;
}

interface Segment {
  kind: GroupKind;
  key: string;
}

/**
 * The Prompts view's content, without VS Code: prompts grouped by folder,
 * model or tag. Group membership is kept up to date incrementally from each
 * workspace's PromptIndex; a group's sorted children are built only when the
 * view asks for them (it is expanded) and rebuilt only when they change.
 */
export class PromptTreeModel {
  private current: Grouping = 'folder';
  private readonly indexes = new Map<ViewSource, PromptIndex>();
  private root = new Group(undefined, undefined);
  private readonly tops = new Map<ViewSource, Group>();
  private readonly groupOf = new WeakMap<GroupNode, Group>();
  /** How many child lists were built; tests and benchmarks read it. */
  childrenBuilt = 0;

  constructor(private readonly now: () => Date = () => new Date()) {}

  get grouping(): Grouping {
    return this.current;
  }

  /** Regroups everything; the caller refreshes the whole view. */
  setGrouping(g: Grouping): void {
    if (g === this.current) return;
    this.current = g;
    this.rebuild();
  }

  index(ws: ViewSource): PromptIndex | undefined {
    return this.indexes.get(ws);
  }

  /** Catches up with the workspaces (the same list, in the same order, as last time is the cheap case). */
  update(sources: readonly ViewSource[]): TreeChange {
    const known = [...this.indexes.keys()];
    const same = sources.length === known.length && sources.every((s, i) => known[i] === s);
    if (!same) {
      const kept = new Map(this.indexes);
      this.indexes.clear();
      for (const s of sources) this.indexes.set(s, kept.get(s) ?? new PromptIndex(s, this.now));
    }
    const changes = [...this.indexes.values()].map((ix) => ({ ix, change: ix.update() }));
    if (!same || changes.some((c) => c.change.reset)) {
      this.rebuild();
      return { all: true, nodes: [] };
    }
    const t: Tracker = { structural: new Set(), counts: new Map(), rows: new Set() };
    for (const { ix, change } of changes) {
      const top = this.tops.get(ix.ws)!;
      const added = new Map(change.added.map((i) => [i.file, i]));
      for (const old of change.removed) {
        const next = added.get(old.file);
        if (next && this.replaceInPlace(top, old, next, t)) added.delete(old.file);
        else this.remove(top, old, t);
      }
      for (const info of added.values()) this.insert(top, info, t);
    }
    const dirty = new Set<Group>(t.structural);
    for (const [g, before] of t.counts) if (g.count() !== before) dirty.add(g);
    if (dirty.has(this.root)) return { all: true, nodes: [] };
    const nodes: PromptTreeNode[] = [];
    // A group that started at 0 is new: its parent's refresh brings it in.
    for (const g of dirty)
      if (g.node && t.counts.get(g) !== 0 && !g.detached && !isBelowDetached(g)) nodes.push(g.node);
    for (const row of t.rows) {
      const g = row.parent ? this.groupOf.get(row.parent) : this.root;
      if (g && !t.structural.has(g)) nodes.push(row);
    }
    return { all: false, nodes };
  }

  /** The children of `node` (the top level when undefined), sorted; empty for a node that is gone. */
  children(node?: GroupNode): PromptTreeNode[] {
    const g = node ? this.groupOf.get(node) : this.root;
    if (!g || g.detached || isBelowDetached(g)) return [];
    if (!g.children) {
      this.childrenBuilt++;
      g.children = this.sortChildren(g);
    }
    return g.children;
  }

  parent(node: PromptTreeNode): GroupNode | undefined {
    return node.parent;
  }

  /** The group of a model (by catalog model key, "provider/id") when grouping by model. */
  modelGroup(ws: ViewSource, modelKey: string): GroupNode | undefined {
    if (this.current !== 'model') return undefined;
    return this.tops.get(ws)?.subgroups.get(modelKey)?.node;
  }

  private rebuild(): void {
    this.root.detached = true;
    this.root = new Group(undefined, undefined);
    this.tops.clear();
    const multi = this.indexes.size > 1;
    for (const [ws, ix] of this.indexes) {
      const top = multi ? this.addGroup(this.root, { kind: 'workspace', key: ws.root }, ws, undefined) : this.root;
      this.tops.set(ws, top);
      for (const info of ix.infos()) this.insert(top, info);
    }
  }

  private segmentsOf(info: PromptInfo): Segment[][] {
    switch (this.current) {
      case 'folder':
        return [info.folders.map((key) => ({ kind: 'folder' as const, key }))];
      case 'model':
        return [[{ kind: 'model', key: info.modelKey }]];
      case 'tag': {
        const tags = [...new Set(info.tags)];
        return tags.length
          ? tags.map((key) => [{ kind: 'tag' as const, key }])
          : [[{ kind: 'tag', key: UNTAGGED_KEY }]];
      }
    }
  }

  private insert(top: Group, info: PromptInfo, t?: Tracker): void {
    const ws = this.wsOf(top);
    for (const segments of this.segmentsOf(info)) {
      let g = top;
      for (const seg of segments) {
        let next = g.subgroups.get(seg.key);
        if (!next) {
          next = this.addGroup(g, seg, ws, info);
          t?.structural.add(g);
        }
        g = next;
        if (t && !t.counts.has(g)) t.counts.set(g, g.count());
        g.node!.count++;
      }
      g.prompts.set(info.file, {
        kind: 'prompt',
        id: `${g.node?.id ?? this.topId(ws)}|${info.file}`,
        file: info.file,
        info,
        parent: g.node,
        ws,
      });
      g.children = undefined;
      t?.structural.add(g);
    }
  }

  /**
   * A changed prompt that keeps its groups and its place in them only needs its
   * row refreshed: swap the info into the existing nodes. False when it moves.
   */
  private replaceInPlace(top: Group, old: PromptInfo, next: PromptInfo, t: Tracker): boolean {
    if (old.sortKey !== next.sortKey) return false;
    const before = this.segmentsOf(old);
    const after = this.segmentsOf(next);
    if (JSON.stringify(before) !== JSON.stringify(after)) return false;
    const rows: PromptNode[] = [];
    for (const segments of after) {
      let g: Group | undefined = top;
      for (const seg of segments) g = g?.subgroups.get(seg.key);
      const row = g?.prompts.get(next.file);
      if (!row || row.info !== old) return false;
      rows.push(row);
    }
    for (const row of rows) {
      row.info = next;
      t.rows.add(row);
    }
    return true;
  }

  private remove(top: Group, info: PromptInfo, t: Tracker): void {
    for (const segments of this.segmentsOf(info)) {
      const chain: Group[] = [top];
      for (const seg of segments) {
        const next = chain[chain.length - 1]!.subgroups.get(seg.key);
        if (!next) break;
        chain.push(next);
      }
      if (chain.length !== segments.length + 1) continue;
      const leaf = chain[chain.length - 1]!;
      if (!leaf.prompts.delete(info.file)) continue;
      leaf.children = undefined;
      t.structural.add(leaf);
      for (let i = chain.length - 1; i >= 1; i--) {
        const g = chain[i]!;
        if (!t.counts.has(g)) t.counts.set(g, g.count());
        g.node!.count--;
        if (g.node!.count === 0) {
          g.detached = true;
          g.parent!.subgroups.delete(g.node!.key);
          g.parent!.children = undefined;
          t.structural.add(g.parent!);
        }
      }
    }
  }

  private addGroup(parent: Group, seg: Segment, ws: ViewSource, first: PromptInfo | undefined): Group {
    const id = JSON.stringify([
      this.current,
      ...(seg.kind === 'workspace' ? [] : [ws.root]),
      ...this.keysOf(parent),
      seg.key,
    ]);
    const node: GroupNode = {
      kind: 'group',
      id,
      groupKind: seg.kind,
      key: seg.key,
      label: groupLabel(seg, first),
      count: 0,
      parent: parent.node,
      ws,
      status: seg.kind === 'model' ? first?.status : undefined,
    };
    const g = new Group(node, parent);
    this.groupOf.set(node, g);
    parent.subgroups.set(seg.key, g);
    parent.children = undefined;
    return g;
  }

  private keysOf(g: Group): string[] {
    const out: string[] = [];
    for (let x: Group | undefined = g; x?.node && x.node.groupKind !== 'workspace'; x = x.parent)
      out.unshift(x.node.key);
    return out;
  }

  private wsOf(top: Group): ViewSource {
    for (const [ws, g] of this.tops) if (g === top) return ws;
    throw new Error('unknown workspace group');
  }

  private topId(ws: ViewSource): string {
    return JSON.stringify([this.current, ws.root]);
  }

  private sortChildren(g: Group): PromptTreeNode[] {
    const groups = [...g.subgroups.values()].map((s) => s.node!);
    if (groups[0]?.groupKind !== 'workspace') groups.sort(compareGroups);
    const prompts = [...g.prompts.values()].sort(comparePrompts);
    return [...groups, ...prompts];
  }
}

function isBelowDetached(g: Group): boolean {
  for (let x = g.parent; x; x = x.parent) if (x.detached) return true;
  return false;
}

function comparePrompts(a: PromptNode, b: PromptNode): number {
  const x = a.info.sortKey;
  const y = b.info.sortKey;
  if (x !== y) return x < y ? -1 : 1;
  return a.info.relPath < b.info.relPath ? -1 : a.info.relPath > b.info.relPath ? 1 : 0;
}

/** Named groups first, alphabetically; "No model" and "Untagged" last. */
function compareGroups(a: GroupNode, b: GroupNode): number {
  const la = a.key === NO_MODEL_KEY || a.key === UNTAGGED_KEY;
  const lb = b.key === NO_MODEL_KEY || b.key === UNTAGGED_KEY;
  if (la !== lb) return la ? 1 : -1;
  return collator.compare(a.label, b.label) || a.key.localeCompare(b.key);
}

function groupLabel(seg: Segment, first: PromptInfo | undefined): string {
  switch (seg.kind) {
    case 'workspace':
      return path.basename(seg.key);
    case 'model': {
      if (seg.key === NO_MODEL_KEY) return 'No model';
      const s = first?.status;
      if (!s) return seg.key;
      // A configured label wins; otherwise the catalog's display name reads better than an id.
      return s.label !== s.ref ? s.label : (s.model?.displayName ?? s.label);
    }
    case 'tag':
      return seg.key === UNTAGGED_KEY ? 'Untagged' : seg.key;
    default:
      return seg.key;
  }
}
