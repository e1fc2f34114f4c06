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
export const WAIT_MS = Number(process.env.PR_TEST_WAIT_MS || 15000);

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
  return lines.length ? lines.join('\n') : '  (none)';
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
export async function expectDiagnostics(rel: string, expected: Expected[], what = '', timeoutMs = WAIT_MS): Promise<vscode.Diagnostic[]> {
  const want = expected.map(stripMessage).sort(compareKeys);
  try {
    await waitFor(`${rel}: ${JSON.stringify(want)}`, () => sameKeys(keys(rel), want), timeoutMs);
  } catch (e) {
    assert.deepStrictEqual(keys(rel), want, `${what ? `${what}: ` : ''}${rel} did not get the expected diagnostics within ${timeoutMs} ms (${(e as Error).message}).\nAll Prompt Registry diagnostics now:\n${describeAll()}`);
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

/** Every file with at least one Prompt Registry diagnostic, workspace-relative, sorted. */
export function filesWithDiagnostics(): string[] {
  const out: string[] = [];
  for (const [uri, diags] of vscode.languages.getDiagnostics()) {
    if (diags.some((d) => d.source === SOURCE)) out.push(path.relative(workspaceRoot(), uri.fsPath).split(path.sep).join('/'));
  }
  return out.sort();
}

// ---------------------------------------------------------------------------------------------
// Editors

export async function openEditor(rel: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(wsUri(rel));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** Replaces the `occurrence`-th (0-based) `search` in the document, unsaved. Returns the range of the new text. */
export async function replaceInDocument(doc: vscode.TextDocument, search: string, replacement: string, occurrence = 0): Promise<vscode.Range> {
  const text = doc.getText();
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(search, at + 1);
    assert.ok(at >= 0, `"${search}" (occurrence ${occurrence}) not found in ${doc.uri.fsPath}`);
  }
  const start = doc.positionAt(at);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(start, doc.positionAt(at + search.length)), replacement);
  assert.ok(await vscode.workspace.applyEdit(edit), `applyEdit failed on ${doc.uri.fsPath}`);
  return new vscode.Range(start, doc.positionAt(at + replacement.length));
}

/** Reverts and closes the document's editor (no save), and waits until the extension host has closed it. */
export async function revertAndClose(doc: vscode.TextDocument): Promise<void> {
  if (doc.isClosed) return;
  await vscode.window.showTextDocument(doc, { preview: false });
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  await waitFor(`${doc.uri.fsPath} to close`, () => doc.isClosed || !vscode.workspace.textDocuments.includes(doc), WAIT_MS);
}

/** Reverts and closes every editor; used after each test so no unsaved text leaks into the next one. */
export async function revertAndCloseAll(): Promise<void> {
  for (const doc of [...vscode.workspace.textDocuments]) {
    if (doc.uri.scheme === 'file' && doc.isDirty) {
      await vscode.window.showTextDocument(doc, { preview: false });
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
