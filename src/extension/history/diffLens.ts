import * as path from 'node:path';
import * as vscode from 'vscode';
import { parsePrompt } from '../../core/prompt/parse';
import { semanticDiff, summarizeDiff, type SemanticDiff } from '../../core/review/semanticDiff';
import { DisposableStore } from '../lifecycle';
import type { WorkspaceRegistry } from '../workspaces';
import { parseVersionUri } from './versionContent';

/** The prompt file a document is, or was: its path on disk, or the file a version came from. */
function promptFileOf(uri: vscode.Uri): string | undefined {
  if (uri.scheme === 'file') return uri.fsPath;
  const v = parseVersionUri(uri);
  if (v) return path.join(v.top, ...v.gitPath.split('/'));
  // VS Code's git diff ("Open Changes"): git:/abs/path?{"path": …, "ref": …}
  if (uri.scheme === 'git') return uri.fsPath;
  return undefined;
}

/** The left side of every open diff whose right side is `uri`. */
function originalsOf(uri: vscode.Uri): vscode.Uri[] {
  const out: vscode.Uri[] = [];
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      if (tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === uri.toString())
        out.push(tab.input.original);
    }
  }
  return out;
}

/**
 * At the top of the right side of a diff between two versions of a prompt (History
 * comparisons, or VS Code's own git diffs), what changed, field by field:
 * "model gpt-4o → gpt-5 · input price −75 % · temperature 0.2 → 0.7 · +1 input (tone)".
 * A hover on the first line always shows it; the CodeLens shows where diff editors
 * render lenses (VS Code's `diffEditor.codeLens`, off by default).
 */
export class SemanticDiffLens implements vscode.CodeLensProvider, vscode.HoverProvider, vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly changed = this.store.add(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly registry: WorkspaceRegistry) {
    const selector: vscode.DocumentSelector = [
      { scheme: 'file', language: 'markdown' },
      { scheme: 'prompt-registry-version' },
      { scheme: 'git', language: 'markdown' },
    ];
    this.store.add(vscode.window.tabGroups.onDidChangeTabs(() => this.changed.fire()));
    this.store.add(vscode.languages.registerCodeLensProvider(selector, this));
    this.store.add(vscode.languages.registerHoverProvider(selector, this));
  }

  async provideHover(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    if (position.line !== 0) return undefined;
    const d = await this.diffFor(doc);
    if (!d) return undefined;
    const md = new vscode.MarkdownString('**What changed in this prompt** (left → right)\n\n');
    md.appendMarkdown(
      summarizeDiff(d)
        .split(' · ')
        .map((part) => `- ${part.replace(/[\\`*_[\]<>]/g, '\\$&')}`)
        .join('\n'),
    );
    return new vscode.Hover(md, doc.lineAt(0).range);
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const d = await this.diffFor(doc);
    if (!d) return [];
    const summary = summarizeDiff(d);
    return [
      new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
        title: `$(git-compare) ${summary}`,
        command: '',
        tooltip: 'What changed in this prompt, field by field (prices from the model catalog)',
      }),
    ];
  }

  /** The semantic diff shown for `doc` as the right side of an open diff, if it is a prompt there. */
  async diffFor(doc: vscode.TextDocument): Promise<SemanticDiff | undefined> {
    const source = promptFileOf(doc.uri);
    const at = source !== undefined ? this.registry.promptFileAt(vscode.Uri.file(source)) : undefined;
    if (!at) return undefined;
    const { ws, file } = at;
    const original = originalsOf(doc.uri)[0];
    if (!original) return undefined;
    let before: string;
    try {
      before = (await vscode.workspace.openTextDocument(original)).getText();
    } catch {
      return undefined; // the left side is gone (a deleted ref): no summary rather than a wrong one
    }
    const defaultId = ws.files.idFor(file);
    const parse = (text: string) => parsePrompt(text, { file, defaultId });
    return semanticDiff(parse(before), parse(doc.getText()), ws.modelCatalog);
  }

  dispose(): void {
    this.store.dispose();
  }
}
