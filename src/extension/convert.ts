import * as vscode from 'vscode';
import type { Diagnostic, Severity } from '../core/text/diagnostics';
import type { Range } from '../core/text/lineIndex';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function toRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

export const DIAGNOSTIC_SOURCE = 'prompt-registry';

/** The core's diagnostic as VS Code shows it; `data` stays reachable for quick fixes. */
export interface PromptDiagnostic extends vscode.Diagnostic {
  data?: Record<string, unknown>;
}

export function toDiagnostic(d: Diagnostic): PromptDiagnostic {
  const out: PromptDiagnostic = new vscode.Diagnostic(toRange(d.range), d.message, SEVERITY[d.severity]);
  out.code = d.code;
  out.source = DIAGNOSTIC_SOURCE;
  if (d.related?.length) {
    out.relatedInformation = d.related.map(
      (r) =>
        new vscode.DiagnosticRelatedInformation(
          new vscode.Location(vscode.Uri.file(r.file), toRange(r.range)),
          r.message,
        ),
    );
  }
  if (d.data) out.data = d.data;
  return out;
}
