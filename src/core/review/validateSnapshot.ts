import { CATALOG_FILE } from '../catalog/store';
import { CONFIG_FILE } from '../config/load';
import { compareDiagnostics, type Diagnostic } from '../text/diagnostics';
import { NO_CATALOG_NOTICE } from '../workspace/promptWorkspace';
import { validatePolicy } from '../validation/validatePolicy';
import { validatePrompt } from '../validation/validatePrompt';
import type { Snapshot } from './snapshot';

/** One problem in a review, 1-based like the CLI's check output. */
export interface Problem {
  /** Registry-relative path. */
  file: string;
  line: number;
  column: number;
  severity: Diagnostic['severity'];
  code: string;
  message: string;
}

export interface SnapshotValidation {
  /** Problems per registry-relative prompt path; every prompt has an entry. */
  byPath: Map<string, Problem[]>;
  /** prompt-registry.yaml and catalog problems. */
  workspace: Problem[];
  notices: string[];
}

/**
 * The checks `prompt-registry check` runs, on the files as committed at a ref:
 * each prompt against the config and catalog of that ref, duplicate ids, and
 * the model policy. Test suites are not checked here.
 */
export function validateSnapshot(s: Snapshot, now: Date): SnapshotValidation {
  const ctx = { config: s.config.config, catalog: s.catalog, now };
  const idCount = new Map<string, string[]>();
  for (const p of s.prompts) idCount.set(p.id, [...(idCount.get(p.id) ?? []), p.path]);
  const byPath = new Map<string, Problem[]>();
  for (const p of s.prompts) {
    const diags = validatePrompt(p.prompt, ctx)
      .filter((d) => d.severity !== 'info')
      .sort(compareDiagnostics);
    const problems = diags.map((d) => toProblem(p.path, d));
    const others = idCount.get(p.id)!.filter((f) => f !== p.path);
    if (others.length) {
      const range = (p.prompt.idExplicit ? p.prompt.rangeOf('id')?.value : undefined) ?? p.prompt.headerRange;
      problems.push(
        toProblem(p.path, {
          severity: 'error',
          code: 'duplicate-id',
          range,
          message: `Prompt id "${p.id}" is also used by ${others.join(', ')}; ids must be unique`,
        }),
      );
    }
    byPath.set(p.path, problems);
  }
  const policy = validatePolicy(s.config, s.catalog);
  const workspace = [
    ...[...s.config.diagnostics, ...policy.diagnostics].map((d) => toProblem(CONFIG_FILE, d)),
    ...s.catalogDiagnostics.map((d) => toProblem(CATALOG_FILE.split('\\').join('/'), d)),
  ].filter((p) => p.severity !== 'info');
  const notices = [...s.config.notices, ...policy.notices];
  if (!s.catalog)
    notices.push(s.catalogExists ? 'The model catalog is invalid, so model checks were skipped.' : NO_CATALOG_NOTICE);
  return { byPath, workspace, notices };
}

function toProblem(file: string, d: Diagnostic): Problem {
  return {
    file,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    severity: d.severity,
    code: d.code,
    message: d.message,
  };
}
