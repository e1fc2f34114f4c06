import { execFileSync } from 'node:child_process';
// Shared helpers for the integration suites: paths in the fixture workspace, Prompt Registry's
// diagnostics in a comparable shape, waiting for them (never fixed sleeps), and editor/file
// changes that are always undone.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'prompt-registry.prompt-registry';
export const SOURCE = 'prompt-registry';

/** How long to wait for the extension to react (debounce, file watcher, re-validation). Generous: CI boxes are slow. */
export const WAIT_MS = Number(process.env.PR_TEST_WAIT_MS || 10000);

// ---------------------------------------------------------------------------------------------
// Workspace paths

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');
  return folder.uri.fsPath;
}

/** Absolute path of a workspace-relative path written with forward slashes. */
export function wsPath(rel: string): string {
  return path.join(workspaceRoot(), ...rel.split('/'));
}

export function wsUri(rel: string): vscode.Uri {
  return vscode.Uri.file(wsPath(rel));
}

export function readWs(rel: string): string {
  return fs.readFileSync(wsPath(rel), 'utf8');
}

export function writeWs(rel: string, text: string): void {
  const file = wsPath(rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

export function removeWs(rel: string): void {
  fs.rmSync(wsPath(rel), { force: true, recursive: true });
}

// ---------------------------------------------------------------------------------------------
// Diagnostics

export type Severity = 'error' | 'warning' | 'info' | 'hint';
/** 0-based [startLine, startCharacter, endLine, endCharacter], as VS Code counts. */
export type Span = [number, number, number, number];

/** The parts of a diagnostic the tests compare exactly. */
export interface DiagKey {
  code: string;
  severity: Severity;
  range: Span;
}

export interface Expected extends DiagKey {
  /** Checked against the message once codes, severities and ranges match. */
  message?: RegExp;
}

const SEVERITY: Record<vscode.DiagnosticSeverity, Severity> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'info',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

export function span(r: vscode.Range): Span {
  return [r.start.line, r.start.character, r.end.line, r.end.character];
}

/** 0-based span of `needle` in `text` (a single line), at its first occurrence after `after` when given. */
export function spanOf(text: string, needle: string, after = ''): Span {
  const from = after ? text.indexOf(after) : 0;
  assert.ok(from >= 0, `"${after}" not found`);
  const at = text.indexOf(needle, from);
  assert.ok(at >= 0, `"${needle}" not found`);
  const before = text.slice(0, at).split(/\r\n|\r|\n/);
  const line = before.length - 1;
  const character = before[line]!.length;
  return [line, character, line, character + needle.length];
}

function codeOf(d: vscode.Diagnostic): string {
  const c = d.code;
  if (c === undefined) return '<none>';
  return typeof c === 'object' ? String(c.value) : String(c);
}

export function keyOf(d: vscode.Diagnostic): DiagKey {
  return { code: codeOf(d), severity: SEVERITY[d.severity], range: span(d.range) };
}

function compareKeys(a: DiagKey, b: DiagKey): number {
  for (let i = 0; i < 4; i++) if (a.range[i]! !== b.range[i]!) return a.range[i]! - b.range[i]!;
  return a.code.localeCompare(b.code) || a.severity.localeCompare(b.severity);
}

/** Prompt Registry's diagnostics on a file (other sources are ignored), sorted by position then code. */
export function ours(rel: string | vscode.Uri): vscode.Diagnostic[] {
  const uri = typeof rel === 'string' ? wsUri(rel) : rel;
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === SOURCE)
    .sort((a, b) => compareKeys(keyOf(a), keyOf(b)));
}

export function keys(rel: string | vscode.Uri): DiagKey[] {
  return ours(rel).map(keyOf);
}

/** Whether `rel` has exactly these diagnostics right now (code, severity, range; any order). */
export function hasExactly(rel: string, expected: DiagKey[]): boolean {
  return sameKeys(keys(rel), expected.map(stripMessage).sort(compareKeys));
}

function stripMessage(e: Expected): DiagKey {
  return { code: e.code, severity: e.severity, range: e.range };
}

function sameKeys(actual: DiagKey[], expected: DiagKey[]): boolean {
  return JSON.stringify(actual) === JSON.stringify([...expected].sort(compareKeys));
}

function describeAll(): string {
  const lines: string[] = [];
  for (const [uri, diags] of vscode.languages.getDiagnostics()) {
    const mine = diags.filter((d) => d.source === SOURCE);
    if (!mine.length) continue;
    const rel = path.relative(workspaceRoot(), uri.fsPath).split(path.sep).join('/');
    for (const d of mine) lines.push(`  ${rel} ${JSON.stringify(keyOf(d))} ${d.message}`);
  }
  return lines.length ? lines.sort().join('\n') : '  (none)';
}

/**
 * Resolves when `probe` returns something other than undefined/false, re-checking on every
 * diagnostics change and at least every 100 ms; rejects after `timeoutMs` with `what`.
 */
export async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise<void>((resolve) => {
      const sub = vscode.languages.onDidChangeDiagnostics(() => done());
      const timer = setTimeout(() => done(), Math.min(100, left));
      function done(): void {
        sub.dispose();
        clearTimeout(timer);
        resolve();
      }
    });
  }
}

/**
 * Waits until Prompt Registry's diagnostics on `rel` are exactly `expected` (code, severity and
 * 0-based range; order does not matter), then checks the expected messages. On timeout it fails
 * with a diff of the last state, and a dump of every file's diagnostics.
 */
/** waitFor with an async probe (a command that must be executed to observe the state). */
export async function waitForAsync<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = WAIT_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() >= deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function expectDiagnostics(
  rel: string,
  expected: Expected[],
  what = '',
  timeoutMs = WAIT_MS,
): Promise<vscode.Diagnostic[]> {
  const want = expected.map(stripMessage).sort(compareKeys);
  try {
    await waitFor(`${rel}: ${JSON.stringify(want)}`, () => sameKeys(keys(rel), want), timeoutMs);
  } catch (e) {
    assert.deepStrictEqual(
      keys(rel),
      want,
      `${what ? `${what}: ` : ''}${rel} did not get the expected diagnostics within ${timeoutMs} ms (${(e as Error).message}).\nAll Prompt Registry diagnostics now:\n${describeAll()}`,
    );
  }
  const got = ours(rel);
  for (const e of expected) {
    if (!e.message) continue;
    const d = got.find((g) => JSON.stringify(keyOf(g)) === JSON.stringify(stripMessage(e)));
    assert.ok(d, `lost ${e.code} on ${rel}`);
    assert.match(d.message, e.message, `${rel}: message of ${e.code}`);
  }
  return got;
}

/**
 * Asserts that `rel` keeps exactly `expected` for `ms` (it must already have them): for
 * checking that no late update (a debounced re-validation, a second file event) undoes a result.
 */
export async function expectUnchangedFor(rel: string, expected: DiagKey[], ms: number, what = ''): Promise<void> {
  const want = expected.map(stripMessage).sort(compareKeys);
  const until = Date.now() + ms;
  for (;;) {
    assert.deepStrictEqual(
      keys(rel),
      want,
      `${what ? `${what}: ` : ''}${rel} changed within ${ms} ms.\nAll Prompt Registry diagnostics now:\n${describeAll()}`,
    );
    if (Date.now() >= until) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every file with at least one Prompt Registry diagnostic, workspace-relative, sorted. */
export function filesWithDiagnostics(): string[] {
  const out: string[] = [];
  for (const [uri, diags] of vscode.languages.getDiagnostics()) {
    if (diags.some((d) => d.source === SOURCE))
      out.push(path.relative(workspaceRoot(), uri.fsPath).split(path.sep).join('/'));
  }
  return out.sort();
}

// ---------------------------------------------------------------------------------------------
// Editors
//
// Editors are opened with the `vscode.open` command, as a user would, not with
// workspace.openTextDocument: a document opened through that API stays open in the extension
// host for minutes after its editor closes, so onDidCloseTextDocument would not fire when
// the tests close the editor.

/**
 * Opens `rel` in an editor and returns it once it is the active one and, unless it has unsaved
 * changes, shows what is on disk (a reload after a recent change on disk may still be due).
 */
export async function openEditor(rel: string): Promise<vscode.TextEditor> {
  const uri = wsUri(rel);
  await vscode.commands.executeCommand('vscode.open', uri, { preview: false });
  const editor = await waitFor(`an editor on ${rel}`, () => {
    const e = vscode.window.activeTextEditor;
    return e && e.document.uri.fsPath === uri.fsPath ? e : undefined;
  });
  await waitFor(`the editor of ${rel} to show the file on disk`, () => {
    if (editor.document.isDirty) return true;
    try {
      return editor.document.getText() === fs.readFileSync(uri.fsPath, 'utf8');
    } catch {
      return true; // deleted: nothing to compare with
    }
  });
  return editor;
}

/**
 * Replaces the `occurrence`-th (0-based) `search` in the document, unsaved, and returns the
 * range of the new text. VS Code rejects an edit made while the document is being reloaded
 * from disk; then it is retried on the current text.
 */
export async function replaceInDocument(
  doc: vscode.TextDocument,
  search: string,
  replacement: string,
  occurrence = 0,
): Promise<vscode.Range> {
  for (let attempt = 1; ; attempt++) {
    const text = doc.getText();
    let at = -1;
    for (let i = 0; i <= occurrence; i++) {
      at = text.indexOf(search, at + 1);
      assert.ok(at >= 0, `"${search}" (occurrence ${occurrence}) not found in ${doc.uri.fsPath}`);
    }
    const start = doc.positionAt(at);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(start, doc.positionAt(at + search.length)), replacement);
    if (await vscode.workspace.applyEdit(edit)) {
      assert.ok(doc.getText().includes(replacement), `the edit did not reach ${doc.uri.fsPath}`);
      return new vscode.Range(start, doc.positionAt(at + replacement.length));
    }
    assert.ok(attempt < 3, `applyEdit was rejected ${attempt} times on ${doc.uri.fsPath}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Whether some editor tab shows this file. */
export function hasTab(uri: vscode.Uri): boolean {
  return vscode.window.tabGroups.all.some((g) =>
    g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.fsPath === uri.fsPath),
  );
}

/**
 * Reverts the document's unsaved changes and closes its editor, without saving. The document
 * itself then closes in the extension host too, unless something else still holds it (VS Code
 * keeps a document opened with workspace.openTextDocument for minutes, e.g. after an
 * extension's in-place edit); callers that need the close check `doc.isClosed`.
 */
export async function revertAndClose(doc: vscode.TextDocument): Promise<void> {
  if (doc.isClosed) return;
  await vscode.window.showTextDocument(doc, { preview: false });
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  await waitFor(`the editor of ${doc.uri.fsPath} to close, reverted`, () => !doc.isDirty && !hasTab(doc.uri));
}

/** Reverts every unsaved file editor and closes all editors; used after each test so no unsaved text leaks into the next. */
export async function revertAndCloseAll(): Promise<void> {
  for (const doc of [...vscode.workspace.textDocuments]) {
    if (doc.uri.scheme === 'file' && doc.isDirty && !doc.isClosed) {
      await vscode.window.showTextDocument(doc, { preview: false });
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Whether a file of the workspace is open in the extension host (in an editor or not). */
export function isOpen(rel: string): boolean {
  const file = wsPath(rel);
  return vscode.workspace.textDocuments.some((d) => d.uri.scheme === 'file' && d.uri.fsPath === file && !d.isClosed);
}

/**
 * The extension re-reads an open document 250 ms after its last change (TYPING_DEBOUNCE_MS in
 * src/extension/workspaces.ts). Tracks when each open document last changed, so a test can
 * wait until no such re-read is pending before it acts.
 */
export const TYPING_DEBOUNCE_MS = 250;
const lastChange = new Map<string, number>();
let tracking: vscode.Disposable | undefined;

export function trackDocumentChanges(): vscode.Disposable {
  tracking ??= vscode.workspace.onDidChangeTextDocument((e) => {
    if (e.contentChanges.length) lastChange.set(e.document.uri.fsPath, Date.now());
  });
  return new vscode.Disposable(() => {
    tracking?.dispose();
    tracking = undefined;
  });
}

/** Resolves once `rel`'s document (if open) has not changed for well over the extension's debounce. */
export async function documentSettled(rel: string): Promise<void> {
  const file = wsPath(rel);
  const quiet = TYPING_DEBOUNCE_MS + 500;
  await waitFor(`${rel} to be quiet for ${quiet} ms`, () => Date.now() - (lastChange.get(file) ?? 0) > quiet);
}

// ---------------------------------------------------------------------------------------------
// Settings

/**
 * In a browser (code-server) VS Code's default for files.autoSave is "afterDelay" (1 s), which
 * would save the "unsaved" edits of the typing tests. Turns it off in user settings; returns the undo.
 */
export async function autoSaveOff(): Promise<() => Promise<void>> {
  const files = vscode.workspace.getConfiguration('files');
  const before = files.inspect<string>('autoSave')?.globalValue;
  await files.update('autoSave', 'off', vscode.ConfigurationTarget.Global);
  await waitFor('files.autoSave to be off', () => vscode.workspace.getConfiguration('files').get('autoSave') === 'off');
  return async () => {
    await vscode.workspace.getConfiguration('files').update('autoSave', before, vscode.ConfigurationTarget.Global);
  };
}

// ---------------------------------------------------------------------------------------------
// File system

/**
 * Creates a folder in the workspace and resolves once VS Code's file watcher has reported it.
 * On Linux the watcher adds an inotify watch to a new folder when it sees it; a file written
 * into the folder before that is never reported (parcel-bundler/watcher#97). Waiting for the
 * folder's own event makes "new file in a new folder" deterministic.
 */
export async function mkdirWatched(rel: string): Promise<void> {
  const uri = wsUri(rel);
  const folder = vscode.workspace.workspaceFolders![0]!;
  const parent = path.posix.dirname(rel);
  const watcher = vscode.workspace.createFileSystemWatcher(
    new vscode.RelativePattern(folder, `${parent === '.' ? '' : `${parent}/`}*`),
    false,
    true,
    true,
  );
  try {
    let seen = false;
    watcher.onDidCreate((u) => {
      if (u.fsPath === uri.fsPath) seen = true;
    });
    fs.mkdirSync(uri.fsPath);
    await waitFor(`the file watcher to report the new folder ${rel}`, () => seen);
  } finally {
    watcher.dispose();
  }
}

/** What the extension API says about a model picker that opened (src/extension/modelPicker.ts). */
export interface PickerShown {
  title: string;
  refs: string[];
}

/**
 * Starts listening for the next model picker, before the command that opens it runs: the promise resolves
 * once that picker is open with its items, so the quick-open commands that drive it reach it. Rejects after
 * `timeoutMs` naming `what`.
 */
export function nextModelPicker(what: string, timeoutMs = WAIT_MS): Promise<PickerShown> {
  const api = vscode.extensions.getExtension(EXTENSION_ID)!.exports as {
    modelPicker: { onDidShow: vscode.Event<PickerShown> };
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for the model picker of ${what}`));
    }, timeoutMs);
    const sub = api.modelPicker.onDidShow((shown) => {
      clearTimeout(timer);
      sub.dispose();
      resolve(shown);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Refresh decisions and notifications (the extension API: catalogSync.onDidDecide, notifier.show)

/** What the extension API reports for each refresh decision (src/extension/catalogSync.ts RefreshDecisionEvent). */
export interface RefreshDecisionSeen {
  root: string;
  stage: 'schedule' | 'refresh';
  trigger: 'manual' | 'automatic';
  providers: string[];
  decision: { kind: 'run'; providers: string[] } | { kind: 'skipped'; reason: string };
}

/**
 * Records every refresh decision from now on; `next(what, match)` resolves with the first recorded (or later) one
 * that matches. Dispose when done.
 */
export function recordRefreshDecisions(timeoutMs = WAIT_MS): vscode.Disposable & {
  seen: RefreshDecisionSeen[];
  next(what: string, match: (d: RefreshDecisionSeen) => boolean): Promise<RefreshDecisionSeen>;
} {
  const api = vscode.extensions.getExtension(EXTENSION_ID)!.exports as {
    catalogSync: { onDidDecide: vscode.Event<RefreshDecisionSeen> };
  };
  const seen: RefreshDecisionSeen[] = [];
  const waiters: { match: (d: RefreshDecisionSeen) => boolean; resolve: (d: RefreshDecisionSeen) => void }[] = [];
  const sub = api.catalogSync.onDidDecide((d) => {
    seen.push(d);
    for (const w of [...waiters]) if (w.match(d)) w.resolve(d);
  });
  return {
    seen,
    dispose: () => sub.dispose(),
    next: (what, match) => {
      const already = seen.find(match);
      if (already) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(
            new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; decisions seen: ${JSON.stringify(seen)}`),
          );
        }, timeoutMs);
        const w = {
          match,
          resolve: (d: RefreshDecisionSeen) => {
            clearTimeout(timer);
            waiters.splice(waiters.indexOf(w), 1);
            resolve(d);
          },
        };
        waiters.push(w);
      });
    },
  };
}

/** One notification the extension showed through its notifier. */
export interface Shown {
  severity: 'info' | 'warning' | 'error';
  message: string;
  actions: string[];
}

/**
 * Replaces the extension's notifier (src/extension/notifier.ts) until disposed: every message is recorded
 * instead of shown, and `answer` picks the button (undefined: dismissed). `next(what, match)` resolves with the
 * first recorded (or later) message that matches.
 */
export function captureNotifications(
  answer: (m: Shown) => string | undefined = () => undefined,
  timeoutMs = WAIT_MS,
): vscode.Disposable & { shown: Shown[]; next(what: string, match: (m: Shown) => boolean): Promise<Shown> } {
  type Show = (severity: Shown['severity'], message: string, actions: string[]) => Thenable<string | undefined>;
  const notifier = (vscode.extensions.getExtension(EXTENSION_ID)!.exports as { notifier: { show: Show } }).notifier;
  const original = notifier.show;
  const shown: Shown[] = [];
  const waiters = new Set<() => void>();
  notifier.show = (severity, message, actions) => {
    const m = { severity, message, actions };
    shown.push(m);
    for (const w of [...waiters]) w();
    return Promise.resolve(answer(m));
  };
  return {
    shown,
    dispose: () => {
      notifier.show = original;
    },
    next: (what, match) =>
      new Promise((resolve, reject) => {
        const check = (): boolean => {
          const m = shown.find(match);
          if (!m) return false;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(m);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; shown: ${JSON.stringify(shown)}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      }),
  };
}

/** One modal the extension asked through its notifier (src/extension/notifier.ts `ask`). */
export interface Asked {
  message: string;
  detail?: string;
  actions: string[];
}

/**
 * Replaces the extension's modal confirmations (notifier.ask) until disposed: each is recorded and answered with
 * `answer` (undefined: Cancel), since a modal cannot be pressed from the extension host.
 */
export function answerModals(answer: (m: Asked) => string | undefined): vscode.Disposable & { asked: Asked[] } {
  type Ask = (message: string, detail: string | undefined, actions: string[]) => Thenable<string | undefined>;
  const notifier = (vscode.extensions.getExtension(EXTENSION_ID)!.exports as { notifier: { ask: Ask } }).notifier;
  const original = notifier.ask;
  const asked: Asked[] = [];
  notifier.ask = (message, detail, actions) => {
    const m = { message, detail, actions };
    asked.push(m);
    return Promise.resolve(answer(m));
  };
  return {
    asked,
    dispose: () => {
      notifier.ask = original;
    },
  };
}

/** A model picker's items as the extension API reports them (modelPicker.onDidShow), with what each one says. */
export interface PickerItemsShown extends PickerShown {
  items: { ref: string; description: string; detail: string }[];
}

/**
 * git in the workspace folder with a clock of its own: each call is an hour after the one before from `startIso`,
 * so commit dates and their order are stable.
 */
export function workspaceGit(startIso: string): (...args: string[]) => string {
  let clock = Date.parse(startIso) / 1000;
  return (...args) => {
    clock += 3600;
    const when = `${clock} +0000`;
    return execFileSync('git', args, {
      cwd: workspaceRoot(),
      encoding: 'utf8',
      env: { ...process.env, GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when },
    }).trim();
  };
}
