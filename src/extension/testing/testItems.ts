import * as path from 'node:path';
import * as vscode from 'vscode';
import { blockingErrors, type ParsedSuite } from '../../core/suite/types';
import type { PromptWorkspace } from '../../core/workspace/promptWorkspace';
import { toRange } from '../convert';
import type { WorkspaceRegistry } from '../workspaces';

export interface ItemData {
  root: string;
  file: string;
  /** Set for a case item. */
  caseName?: string;
}

export const caseId = (file: string, name: string) => `${file}#${name}`;

/**
 * The Testing view's items: one per suite file, one child per case, kept in step
 * with the registry and updated in place (ids are stable, so results stay put).
 * A suite with a problem that stops it keeps its item, marked with the error,
 * so a half-typed file does not make the suite vanish from the view.
 */
export class SuiteTestItems {
  private readonly data = new WeakMap<vscode.TestItem, ItemData>();

  constructor(
    private readonly controller: vscode.TestController,
    private readonly registry: WorkspaceRegistry,
  ) {}

  dataOf(item: vscode.TestItem): ItemData | undefined {
    return this.data.get(item);
  }

  syncAll(): void {
    for (const ws of this.registry.all()) this.sync(ws);
  }

  sync(ws: PromptWorkspace): void {
    const suites = this.registry.suitesOf(ws);
    const seen = new Set<string>();
    for (const s of suites?.suites() ?? []) {
      if (!s.file) continue;
      seen.add(s.file);
      const uri = vscode.Uri.file(s.file);
      let item = this.controller.items.get(s.file);
      if (!item) {
        item = this.controller.createTestItem(s.file, path.basename(s.file), uri);
        this.data.set(item, { root: ws.root, file: s.file });
        this.controller.items.add(item);
      }
      const label = suites!.promptFor(s)?.id ?? path.basename(s.file);
      if (item.label !== label) item.label = label;
      const rel = ws.files.relative(s.file) ?? s.file;
      if (item.description !== rel) item.description = rel;
      setRange(item, toRange(s.headerRange));
      const stop = blockingErrors(s.diagnostics)[0];
      const error = stop
        ? `${rel}:${stop.range.start.line + 1}:${stop.range.start.character + 1} ${stop.message}`
        : undefined;
      if (item.error !== error) item.error = error;
      this.syncCases(item, s, uri, ws.root);
    }
    const live = this.registry.all().includes(ws);
    this.controller.items.forEach((item) => {
      const d = this.data.get(item);
      if (d?.root === ws.root && (!live || !seen.has(d.file))) this.controller.items.delete(item.id);
    });
  }

  private syncCases(parent: vscode.TestItem, s: ParsedSuite, uri: vscode.Uri, root: string): void {
    const ids = new Set<string>();
    for (const k of s.cases) {
      const id = caseId(s.file!, k.name);
      if (ids.has(id)) continue; // a duplicate name is a diagnostic; the first one keeps the id
      ids.add(id);
      let child = parent.children.get(id);
      if (!child) {
        child = this.controller.createTestItem(id, k.name, uri);
        this.data.set(child, { root, file: s.file!, caseName: k.name });
        parent.children.add(child);
      }
      setRange(child, toRange(k.nameRange));
    }
    parent.children.forEach((c) => {
      if (!ids.has(c.id)) parent.children.delete(c.id);
    });
  }

  /** An item by id: a suite file's path, or "<file>#<case name>". */
  get(id: string): vscode.TestItem | undefined {
    const hash = id.lastIndexOf('#');
    const suite = this.controller.items.get(hash < 0 ? id : id.slice(0, hash)) ?? this.controller.items.get(id);
    return suite?.id === id ? suite : suite?.children.get(id);
  }

  /** The suite items whose prompt is `promptFile`. */
  suitesOfPrompt(promptFile: string): vscode.TestItem[] {
    const ws = this.registry.forFile(promptFile);
    const suites = ws && this.registry.suitesOf(ws);
    const out: vscode.TestItem[] = [];
    for (const s of suites?.suites() ?? []) {
      const item = s.file && suites!.promptFor(s)?.file === promptFile ? this.controller.items.get(s.file) : undefined;
      if (item) out.push(item);
    }
    return out;
  }

  /** The requested case items (a suite item stands for all its cases), minus the excluded ones. */
  casesOf(request: vscode.TestRunRequest): vscode.TestItem[] {
    const roots: vscode.TestItem[] = [];
    if (request.include) roots.push(...request.include);
    else this.controller.items.forEach((i) => roots.push(i));
    const excluded = new Set((request.exclude ?? []).map((i) => i.id));
    const out = new Map<string, vscode.TestItem>();
    for (const r of roots) {
      if (excluded.has(r.id)) continue;
      if (this.data.get(r)?.caseName !== undefined) out.set(r.id, r);
      else
        r.children.forEach((c) => {
          if (!excluded.has(c.id)) out.set(c.id, c);
        });
    }
    return [...out.values()];
  }
}

function setRange(item: vscode.TestItem, range: vscode.Range): void {
  if (!item.range || !item.range.isEqual(range)) item.range = range;
}
