import * as path from 'node:path';
import * as vscode from 'vscode';
import { catalogPath } from '../core/catalog/store';
import { CONFIG_FILE } from '../core/config/load';
import { PromptWorkspace } from '../core/workspace/promptWorkspace';
import { KeyedDebouncer } from './debounce';

export const TYPING_DEBOUNCE_MS = 250;

/**
 * One core PromptWorkspace per workspace folder, kept in step with editors and
 * the file system. Fires `onDidChange` after anything that can change diagnostics.
 */
export class WorkspaceRegistry implements vscode.Disposable {
  private readonly folders = new Map<string, FolderState>();
  private readonly changed = new vscode.EventEmitter<PromptWorkspace>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private readonly typing: KeyedDebouncer<vscode.TextDocument>;
  private disposed = false;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.typing = new KeyedDebouncer(TYPING_DEBOUNCE_MS, (doc) => this.takeDocument(doc));
    this.disposables.push(
      this.typing,
      vscode.workspace.onDidChangeWorkspaceFolders((e) => {
        for (const f of e.removed) this.removeFolder(f);
        for (const f of e.added) this.addFolder(f);
      }),
      vscode.workspace.onDidOpenTextDocument((doc) => this.takeDocument(doc)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length) this.typing.trigger(e.document);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => this.releaseDocument(doc)),
    );
  }

  /** Scans every folder. Deferred by the caller so activation itself stays fast. */
  start(): void {
    if (this.disposed) return;
    for (const f of vscode.workspace.workspaceFolders ?? []) this.addFolder(f);
  }

  /**
   * Re-reads prompt-registry.yaml now (an open editor's unsaved text wins), for
   * commands that must not act on a config the file watcher has not caught up with.
   */
  reloadConfig(ws: PromptWorkspace): void {
    const state = [...this.folders.values()].find((s) => s.ws === ws);
    if (state) this.onFolderEvent(state, { kind: 'config' });
  }

  /** Tells listeners that `ws` changed through a path the registry did not see (a refresh it triggered). */
  notifyChanged(ws: PromptWorkspace): void {
    this.changed.fire(ws);
  }

  all(): PromptWorkspace[] {
    return [...this.folders.values()].map((s) => s.ws);
  }

  forFile(file: string): PromptWorkspace | undefined {
    let best: FolderState | undefined;
    for (const s of this.folders.values()) {
      if (isInside(s.ws.root, file) && (!best || s.ws.root.length > best.ws.root.length)) best = s;
    }
    return best?.ws;
  }

  private addFolder(folder: vscode.WorkspaceFolder): void {
    if (folder.uri.scheme !== 'file' || this.folders.has(folder.uri.fsPath)) return;
    const started = Date.now();
    const ws = new PromptWorkspace(folder.uri.fsPath);
    const state = new FolderState(ws, folder, this.log, (what) => this.onFolderEvent(state, what));
    this.folders.set(folder.uri.fsPath, state);
    ws.scan();
    for (const doc of vscode.workspace.textDocuments) this.takeDocument(doc);
    this.log.info(`${folder.name}: ${ws.fileCount} prompt files indexed in ${Date.now() - started} ms`);
    for (const n of ws.notices()) this.log.info(`${folder.name}: ${n}`);
    this.changed.fire(ws);
  }

  private removeFolder(folder: vscode.WorkspaceFolder): void {
    const s = this.folders.get(folder.uri.fsPath);
    if (!s) return;
    this.folders.delete(folder.uri.fsPath);
    s.dispose();
    this.changed.fire(s.ws);
  }

  private onFolderEvent(state: FolderState, what: { kind: 'file'; file: string; deleted: boolean } | { kind: 'config' } | { kind: 'catalog' }): void {
    const ws = state.ws;
    if (what.kind === 'config') {
      const doc = openDocument(path.join(ws.root, CONFIG_FILE));
      if (ws.reloadConfig(doc?.isDirty ? doc.getText() : undefined)) {
        ws.scan();
        state.watchPrompts();
      }
      this.log.info(`${state.folder.name}: reloaded ${CONFIG_FILE}`);
    } else if (what.kind === 'catalog') {
      ws.reloadCatalog();
      this.log.info(`${state.folder.name}: reloaded the model catalog (${ws.catalog.catalog?.models.length ?? 0} models)`);
    } else if (what.deleted) {
      ws.remove(what.file);
    } else if (!openDocument(what.file)) {
      ws.refreshFile(what.file);
    }
    this.changed.fire(ws);
  }

  private takeDocument(doc: vscode.TextDocument): void {
    if (doc.uri.scheme !== 'file') return;
    const ws = this.forFile(doc.uri.fsPath);
    if (!ws) return;
    if (doc.uri.fsPath === path.join(ws.root, CONFIG_FILE)) {
      if (ws.reloadConfig(doc.getText())) ws.scan();
    } else if (ws.files.contains(doc.uri.fsPath)) {
      ws.setOverlay(doc.uri.fsPath, doc.getText());
    } else {
      return;
    }
    this.changed.fire(ws);
  }

  private releaseDocument(doc: vscode.TextDocument): void {
    this.typing.cancel(doc);
    if (doc.uri.scheme !== 'file') return;
    const ws = this.forFile(doc.uri.fsPath);
    if (!ws) return;
    if (doc.uri.fsPath === path.join(ws.root, CONFIG_FILE)) ws.reloadConfig();
    else ws.clearOverlay(doc.uri.fsPath);
    this.changed.fire(ws);
  }

  dispose(): void {
    this.disposed = true;
    for (const s of this.folders.values()) s.dispose();
    this.folders.clear();
    for (const d of this.disposables) d.dispose();
  }
}

type FolderEvent = { kind: 'file'; file: string; deleted: boolean } | { kind: 'config' } | { kind: 'catalog' };

/** The file watchers of one folder; prompt watchers follow the configured globs. */
class FolderState implements vscode.Disposable {
  private promptWatchers: vscode.Disposable[] = [];
  private readonly fixedWatchers: vscode.Disposable[];

  constructor(readonly ws: PromptWorkspace, readonly folder: vscode.WorkspaceFolder, private readonly log: vscode.LogOutputChannel, private readonly emit: (e: FolderEvent) => void) {
    this.fixedWatchers = [
      watch(folder, CONFIG_FILE, () => this.emit({ kind: 'config' })),
      watch(folder, path.relative(ws.root, catalogPath(ws.root)).split(path.sep).join('/'), () => this.emit({ kind: 'catalog' })),
    ];
    this.watchPrompts();
  }

  watchPrompts(): void {
    for (const d of this.promptWatchers) d.dispose();
    this.promptWatchers = this.ws.files.globs.map((g) =>
      watch(this.folder, g, (uri, deleted) => this.emit({ kind: 'file', file: uri.fsPath, deleted })),
    );
    this.log.debug(`${this.folder.name}: watching ${this.ws.files.globs.join(', ')}`);
  }

  dispose(): void {
    for (const d of [...this.promptWatchers, ...this.fixedWatchers]) d.dispose();
  }
}

function watch(folder: vscode.WorkspaceFolder, glob: string, on: (uri: vscode.Uri, deleted: boolean) => void): vscode.Disposable {
  const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, glob));
  const subs = [w, w.onDidCreate((u) => on(u, false)), w.onDidChange((u) => on(u, false)), w.onDidDelete((u) => on(u, true))];
  return vscode.Disposable.from(...subs);
}

function openDocument(file: string): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
}

function isInside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return !rel.startsWith('..') && !path.isAbsolute(rel);
}
