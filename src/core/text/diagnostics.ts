import type { Range } from './lineIndex';

export type Severity = 'error' | 'warning' | 'info';

/** Stable codes: tools, quick fixes and docs key on these strings. */
export type DiagnosticCode =
  | 'yaml-syntax'
  | 'invalid-field'
  | 'unknown-field'
  | 'provider-change'
  | 'missing-model'
  | 'unknown-model'
  | 'ambiguous-model'
  | 'provider-not-configured'
  | 'inactive-model'
  | 'model-not-enabled'
  | 'model-retiring'
  | 'undeclared-variable'
  | 'unused-input'
  | 'duplicate-id'
  | 'template-syntax'
  | 'not-text'
  | 'file-too-large'
  | 'catalog-invalid'
  | 'config-invalid'
  | 'default-model-invalid'
  | 'fallback-model-invalid'
  | 'enabled-model-unknown'
  | 'suite-invalid'
  | 'suite-unknown-prompt'
  | 'suite-unknown-assertion'
  | 'suite-unknown-var';

export interface RelatedLocation {
  /** Absolute path. */
  file: string;
  range: Range;
  message: string;
}

export interface Diagnostic {
  severity: Severity;
  code: DiagnosticCode;
  message: string;
  range: Range;
  /** Facts a quick fix needs (suggested model ids, the variable name, …). */
  data?: Record<string, unknown>;
  related?: RelatedLocation[];
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    a.code.localeCompare(b.code)
  );
}
