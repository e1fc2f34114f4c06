import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { catalogPath } from '../core/catalog/store';
import { CONFIG_FILE } from '../core/config/load';
import { SuiteWorkspace } from '../core/workspace/suiteWorkspace';
import { PromptWorkspace } from '../core/workspace/promptWorkspace';
import { KeyedDebouncer } from './debounce';
import { DisposableStore, MutableDisposable } from './lifecycle';

export const TYPING_DEBOUNCE_MS = 250;
/** Signals that the watcher may have missed something (window focus, a burst of creates or deletes) become one rescan. */
export const RESCAN_DEBOUNCE_MS = 300;

type FileChange = 'created' | 'changed' | 'deleted';

type FolderEvent =
  | { kind: 'file'; file: string; deleted: boolean }
  | { kind: 'suite'; file: string; deleted: boolean }
  | { kind: 'folder'; dir: string; deleted: boolean }
  | { kind: 'config' }
  | { kind: 'catalog' };

/**
 * One core PromptWorkspace per workspace folder, kept in step with editors and
 * the file system. The rule: a document with unsaved changes wins over the file
 * on disk; otherwise the disk is the truth (a clean editor shows the same text).
 * Fires `onDidChange` after anything that can change diagnostics.
 */
export class WorkspaceRegistry implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly folders = new Map<string, FolderState>();
  private readonly changed = this.store.add(new vscode.EventEmitter<PromptWorkspace>());
  readonly onDidChange = this.changed.event;
  private readonly typing = this.store.add(
    new KeyedDebouncer<vscode.TextDocument>(TYPING_DEBOUNCE_MS, (doc) => this.takeDocument(doc)),
  );
  private readonly rescans = this.store.add(
    new KeyedDebouncer<'rescan'>(RESCAN_DEBOUNCE_MS, () => this.reconcile(this.takeRescanReasons())),
  );
  private readonly rescanReasons = new Set<string>();

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.store.add(
      vscode.Disposable.from(
        vscode.workspace.onDidChangeWorkspaceFolders((e) => {
          for (const f of e.removed) this.removeFolder(f);
          for (const f of e.added) this.addFolder(f);
        }),
        vscode.workspace.onDidChangeTextDocument((e) => {
          if (e.contentChanges.length) this.typing.trigger(e.document);
        }),
        // Saving makes the disk the truth again; no need to wait for the watcher.
        vscode.workspace.onDidSaveTextDocument((doc) => {
          this.typing.cancel(doc);
          this.takeDocument(doc);
        }),
        vscode.workspace.onDidCloseTextDocument((doc) => {
          this.typing.cancel(doc);
          this.takeDocument(doc, true);
        }),
        // Files changed outside VS Code (a terminal, another tool) while it was in the background.
        vscode.window.onDidChangeWindowState((s) => {
          if (s.focused) this.scheduleRescan('window focus');
        }),
      ),
    );
  }

  /** Scans every folder. Deferred by the caller so activation itself stays fast. */
  start(): void {
    if (this.store.isDisposed) return;
    for (const f of vscode.workspace.workspaceFolders ?? []) this.addFolder(f);
  }

  /**
   * The file watcher can miss files: VS Code's recursive watcher may start after the first
   * scan (a file written in between is never reported), a file written into a new folder
   * before the watcher follows it is never reported (parcel-bundler/watcher#97), and events
   * can be dropped under load. So the index is reconciled with the disk (a stamp-based
   * rescan, cheap) on signals that something may have been missed, coalesced into one.
   */
  scheduleRescan(reason: string): void {
    if (this.store.isDisposed) return;
    this.rescanReasons.add(reason);
    this.rescans.trigger('rescan');
  }

  private takeRescanReasons(): string {
    const text = [...this.rescanReasons].join(', ');
    this.rescanReasons.clear();
    return text;
  }

  /** Rescans every folder now; fires onDidChange for those whose files changed. Returns how many changed. */
  reconcile(reason: string): number {
    let changed = 0;
    for (const s of this.folders.values()) {
      const before = snapshot(s);
      s.ws.scan();
      s.suites.scan();
      const files = differences(before, snapshot(s));
      if (!files.length) continue;
      changed++;
      const names = files
        .slice(0, 5)
        .map((f) => s.ws.files.relative(f) ?? f)
        .join(', ');
      this.log.info(
        `${s.folder.name}: rescan (${reason}) updated ${files.length} file(s) the watcher had not reported (yet): ${names}${files.length > 5 ? ', …' : ''}`,
      );
      this.changed.fire(s.ws);
    }
    this.log.trace(`rescan (${reason}): ${changed} folder(s) changed`);
    return changed;
  }

  /**
   * Re-reads prompt-registry.yaml now (an editor's unsaved text wins), for
   * commands that must not act on a config the file watcher has not caught up with.
   */
  reloadConfig(ws: PromptWorkspace): void {
    const state = this.stateOf(ws);
    if (state) this.onFolderEvent(state, { kind: 'config' });
  }

  /** Tells listeners that `ws` changed through a path the registry did not see (a refresh it triggered). */
  notifyChanged(ws: PromptWorkspace): void {
    this.changed.fire(ws);
  }

  all(): PromptWorkspace[] {
    return [...this.folders.values()].map((s) => s.ws);
  }

  /** The folder whose root is `root`, if it is still open. */
  byRoot(root: string | undefined): PromptWorkspace | undefined {
    return root === undefined ? undefined : this.folders.get(root)?.ws;
  }

  /** The test suites of a folder, kept in step like its prompts. */
  suitesOf(ws: PromptWorkspace): SuiteWorkspace | undefined {
    return this.stateOf(ws)?.suites;
  }

  /** The prompt file `uri` is, and its folder: a file on disk that the folder's prompt globs take in. */
  promptFileAt(uri: vscode.Uri | undefined): { ws: PromptWorkspace; file: string } | undefined {
    if (uri?.scheme !== 'file') return undefined;
    const file = uri.fsPath;
    const ws = this.forFile(file);
    return ws?.files.contains(file) ? { ws, file } : undefined;
  }

  forFile(file: string): PromptWorkspace | undefined {
    let best: FolderState | undefined;
    for (const s of this.folders.values()) {
      if (isInside(s.ws.root, file) && (!best || s.ws.root.length > best.ws.root.length)) best = s;
    }
    return best?.ws;
  }

  private stateOf(ws: PromptWorkspace): FolderState | undefined {
    return [...this.folders.values()].find((s) => s.ws === ws);
  }

  private addFolder(folder: vscode.WorkspaceFolder): void {
    if (folder.uri.scheme !== 'file' || this.folders.has(folder.uri.fsPath)) return;
    const started = Date.now();
    const ws = new PromptWorkspace(folder.uri.fsPath);
    const state = new FolderState(ws, folder, this.log, (what, change) => this.onFolderEvent(state, what, change));
    this.folders.set(folder.uri.fsPath, state);
    ws.scan();
    state.suites.scan();
    for (const doc of vscode.workspace.textDocuments) if (doc.isDirty) this.takeDocument(doc);
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

  private onFolderEvent(state: FolderState, what: FolderEvent, change?: FileChange): void {
    const ws = state.ws;
    // The first event from VS Code's recursive watcher (the glob watchers; the config one is a
    // separate, non-recursive watcher that works from the start) shows it is live: anything written
    // before it came up was missed. A create or delete often comes in a burst (checkout, unzip)
    // whose other events may be lost.
    if (change !== undefined) {
      if (!state.heard || change !== 'changed')
        this.scheduleRescan(state.heard ? `files ${change}` : 'the file watcher is live');
      state.heard = true;
    }
    switch (what.kind) {
      case 'config':
        this.applyConfig(state, dirtyText(path.join(ws.root, CONFIG_FILE)));
        break;
      case 'catalog':
        ws.reloadCatalog();
        this.log.info(
          `${state.folder.name}: reloaded the model catalog (${ws.modelCatalog?.models.length ?? 0} models)`,
        );
        break;
      case 'folder':
        // The watcher reports a folder, not the files in it: a deleted folder takes its
        // prompts along; one that arrives whole (git checkout, unzip) is looked into.
        if (what.deleted) {
          if (ws.removeUnder(what.dir) + state.suites.removeUnder(what.dir) === 0) return;
        } else if (isDirectory(what.dir)) {
          ws.scan();
          state.suites.scan();
        } else return;
        break;
      case 'file':
        if (dirtyText(what.file) !== undefined) return; // unsaved edits win until saved or reverted
        if (what.deleted) ws.remove(what.file);
        else ws.refreshFile(what.file);
        break;
      case 'suite':
        if (dirtyText(what.file) !== undefined) return;
        if (what.deleted) state.suites.remove(what.file);
        else state.suites.refreshFile(what.file);
        break;
    }
    this.changed.fire(ws);
  }

  private applyConfig(state: FolderState, text: string | undefined): void {
    if (state.ws.reloadConfig(text)) {
      state.ws.scan();
      state.suites.scan();
      state.watchPrompts();
    }
    this.log.info(`${state.folder.name}: ${text === undefined ? 'reloaded' : 'applied unsaved'} ${CONFIG_FILE}`);
  }

  /** Brings a document's state into the index: its unsaved text, or the disk once it is clean or closed. */
  private takeDocument(doc: vscode.TextDocument, closed = false): void {
    if (doc.uri.scheme !== 'file') return;
    const file = doc.uri.fsPath;
    const ws = this.forFile(file);
    const state = ws && this.stateOf(ws);
    if (!ws || !state) return;
    const text = !closed && doc.isDirty ? doc.getText() : undefined;
    if (file === path.join(ws.root, CONFIG_FILE)) this.applyConfig(state, text);
    else if (ws.files.contains(file)) {
      if (text !== undefined) ws.setOverlay(file, text);
      else ws.clearOverlay(file);
    } else if (state.suites.contains(file)) {
      if (text !== undefined) state.suites.setOverlay(file, text);
      else state.suites.clearOverlay(file);
    } else return;
    this.changed.fire(ws);
  }

  dispose(): void {
    this.store.dispose();
    for (const s of this.folders.values()) s.dispose();
    this.folders.clear();
  }
}

/** What a folder's index holds, by file: entries are replaced, never mutated, when a file changes, so identity tells. */
function snapshot(s: FolderState): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const x of [...s.ws.prompts(), ...s.suites.suites()]) if (x.file) out.set(x.file, x);
  return out;
}

/** The files added, removed or replaced between two snapshots. */
function differences(a: Map<string, unknown>, b: Map<string, unknown>): string[] {
  const out = [...b.keys()].filter((f) => a.get(f) !== b.get(f));
  for (const f of a.keys()) if (!b.has(f)) out.push(f);
  return out;
}

/** The file watchers of one folder; prompt watchers follow the configured globs. */
class FolderState implements vscode.Disposable {
  private readonly store = new DisposableStore();
  /** Replaced when the configured globs change. */
  private readonly promptWatchers = this.store.add(new MutableDisposable<vscode.Disposable>());
  readonly suites: SuiteWorkspace;
  /** Whether an event from the recursive (glob) watchers arrived yet. */
  heard = false;

  constructor(
    readonly ws: PromptWorkspace,
    readonly folder: vscode.WorkspaceFolder,
    private readonly log: vscode.LogOutputChannel,
    private readonly emit: (e: FolderEvent, change?: FileChange) => void,
  ) {
    this.suites = new SuiteWorkspace(ws);
    this.store.add(watch(folder, CONFIG_FILE, () => this.emit({ kind: 'config' })));
    this.store.add(
      watch(folder, path.relative(ws.root, catalogPath(ws.root)).split(path.sep).join('/'), () =>
        this.emit({ kind: 'catalog' }),
      ),
    );
    this.watchPrompts();
  }

  watchPrompts(): void {
    const globs = this.ws.files.globs;
    const bases = [...new Set(this.ws.files.bases())];
    this.promptWatchers.value = vscode.Disposable.from(
      ...globs.map((g) =>
        watch(this.folder, g, (uri, change) =>
          this.emit({ kind: 'file', file: uri.fsPath, deleted: change === 'deleted' }, change),
        ),
      ),
      ...this.suites
        .globs()
        .map((g) =>
          watch(this.folder, g, (uri, change) =>
            this.emit({ kind: 'suite', file: uri.fsPath, deleted: change === 'deleted' }, change),
          ),
        ),
      // Folders under the globs' fixed prefixes: created or deleted as a whole.
      ...bases.map((b) =>
        watch(
          this.folder,
          b ? `${b}/**` : '**',
          (uri, change) => this.emit({ kind: 'folder', dir: uri.fsPath, deleted: change === 'deleted' }, change),
          { change: false },
        ),
      ),
    );
    this.log.debug(`${this.folder.name}: watching ${globs.join(', ')}`);
  }

  dispose(): void {
    this.store.dispose();
  }
}

function watch(
  folder: vscode.WorkspaceFolder,
  glob: string,
  on: (uri: vscode.Uri, change: FileChange) => void,
  opts: { change?: boolean } = {},
): vscode.Disposable {
  const w = vscode.workspace.createFileSystemWatcher(
    new vscode.RelativePattern(folder, glob),
    false,
    opts.change === false,
    false,
  );
  return vscode.Disposable.from(
    w,
    w.onDidCreate((u) => on(u, 'created')),
    w.onDidChange((u) => on(u, 'changed')),
    w.onDidDelete((u) => on(u, 'deleted')),
  );
}

/** The unsaved text of an open document, or undefined when it is not open or matches the disk. */
function dirtyText(file: string): string | undefined {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
  return doc?.isDirty ? doc.getText() : undefined;
}

function isDirectory(p: string): boolean {
  return fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

function isInside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return !rel.startsWith('..') && !path.isAbsolute(rel);
}
