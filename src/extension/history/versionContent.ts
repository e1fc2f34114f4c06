import * as path from 'node:path';
import * as vscode from 'vscode';
import { readObjects } from '../../core/git/git';
import { stripBom } from '../../core/text/bom';

export const VERSION_SCHEME = 'prompt-registry-version';

/** What a version URI names: a blob in a repository, shown under its file name so the language mode is right. */
export interface VersionRef {
  top: string;
  gitPath: string;
  blobSha: string;
  /** "v3", or a short sha for an unnumbered version. */
  label: string;
}

export function versionUri(v: VersionRef): vscode.Uri {
  // The path carries the file name (tab title, markdown mode); the query is the blob to read.
  return vscode.Uri.from({
    scheme: VERSION_SCHEME,
    path: `/${v.label}/${v.gitPath}`,
    query: JSON.stringify({ top: v.top, blob: v.blobSha, gitPath: v.gitPath }),
  });
}

export function parseVersionUri(uri: vscode.Uri): VersionRef | undefined {
  if (uri.scheme !== VERSION_SCHEME) return undefined;
  try {
    const q = JSON.parse(uri.query) as { top?: unknown; blob?: unknown; gitPath?: unknown };
    if (typeof q.top !== 'string' || typeof q.blob !== 'string' || typeof q.gitPath !== 'string') return undefined;
    return { top: q.top, blobSha: q.blob, gitPath: q.gitPath, label: uri.path.split('/')[1] ?? '' };
  } catch {
    return undefined;
  }
}

/** Reads a version's text from git (a blob never changes, so it is cached by sha). */
export async function readVersion(v: Pick<VersionRef, 'top' | 'blobSha'>): Promise<string> {
  const bytes = (await readObjects(v.top, [v.blobSha])).get(v.blobSha);
  if (!bytes) throw new Error(`git has no object ${v.blobSha.slice(0, 7)} in ${v.top}`);
  return stripBom(bytes.toString('utf8'));
}

/** Read-only documents for prompt versions: "Open This Version" and the left side of comparisons. */
export class VersionContentProvider implements vscode.TextDocumentContentProvider {
  private readonly cache = new Map<string, string>();

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const v = parseVersionUri(uri);
    if (!v) throw new Error(`not a prompt version: ${uri.toString()}`);
    const hit = this.cache.get(v.blobSha);
    if (hit !== undefined) return hit;
    const text = await readVersion(v);
    if (this.cache.size > 200) this.cache.clear();
    this.cache.set(v.blobSha, text);
    return text;
  }

  static register(): vscode.Disposable {
    return vscode.workspace.registerTextDocumentContentProvider(VERSION_SCHEME, new VersionContentProvider());
  }
}

export function fileName(gitPath: string): string {
  return path.posix.basename(gitPath);
}
