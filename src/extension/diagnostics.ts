import * as vscode from 'vscode';
import type { Diagnostic } from '../core/text/diagnostics';
import type { PromptWorkspace } from '../core/workspace/promptWorkspace';
import { DIAGNOSTIC_SOURCE, toDiagnostic } from './convert';
import { DisposableStore } from './lifecycle';
import type { WorkspaceRegistry } from './workspaces';

/**
 * Publishes diagnostics for every prompt and suite file, open or not. Only files whose
 * diagnostics changed are republished: the core hands back the same array for
 * an unchanged file, so one edit among 5,000 prompts costs one update.
 */
export class DiagnosticsPublisher implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly collection = this.store.add(vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE));
  private readonly published = new Map<PromptWorkspace, Map<string, Diagnostic[]>>();

  constructor(private readonly registry: WorkspaceRegistry) {
    this.store.add(registry.onDidChange((ws) => this.publish(ws)));
  }

  private publish(ws: PromptWorkspace): void {
    const before = this.published.get(ws) ?? new Map<string, Diagnostic[]>();
    const live = this.registry.all().includes(ws);
    const now = live
      ? new Map([...ws.validate(), ...(this.registry.suitesOf(ws)?.validate() ?? [])])
      : new Map<string, Diagnostic[]>();
    for (const [file, diags] of now) {
      const old = before.get(file);
      // Prompt diagnostics keep their array when unchanged; suite ones are rebuilt, so compare those by value.
      if (old !== diags && !(old && sameDiagnostics(old, diags)))
        this.collection.set(vscode.Uri.file(file), diags.map(toDiagnostic));
    }
    for (const file of before.keys()) if (!now.has(file)) this.collection.delete(vscode.Uri.file(file));
    if (live) this.published.set(ws, now);
    else this.published.delete(ws);
  }

  dispose(): void {
    this.store.dispose();
  }
}

function sameDiagnostics(a: Diagnostic[], b: Diagnostic[]): boolean {
  return a.length === b.length && JSON.stringify(a) === JSON.stringify(b);
}
