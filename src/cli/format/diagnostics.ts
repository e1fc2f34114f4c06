import { compareDiagnostics, type Diagnostic, type Severity } from '../../core/text/diagnostics';
import { style } from '../style';
import { plural } from '../../core/text/plural';

/** One diagnostic in the CLI's 1-based, repo-relative shape (the `--format json` item). */
export interface CliDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  code: string;
  message: string;
}

export function toCli(file: string, d: Diagnostic): CliDiagnostic {
  return {
    file,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.character + 1,
    severity: d.severity,
    code: d.code,
    message: d.message,
  };
}

export function flatten(byFile: Map<string, Diagnostic[]>, rel: (abs: string) => string): CliDiagnostic[] {
  const out: CliDiagnostic[] = [];
  for (const file of [...byFile.keys()].sort((a, b) => rel(a).localeCompare(rel(b)))) {
    for (const d of [...byFile.get(file)!].sort(compareDiagnostics)) out.push(toCli(rel(file), d));
  }
  return out;
}

const SEVERITY_STYLE: Record<Severity, (s: string) => string> = {
  error: style.red,
  warning: style.yellow,
  info: style.blue,
};

export function formatText(items: CliDiagnostic[]): string[] {
  return items.map(
    (d) =>
      `${d.file}:${d.line}:${d.column} ${SEVERITY_STYLE[d.severity](d.severity)} ${style.dim(d.code)} ${d.message}`,
  );
}

/** GitHub workflow commands, so a pull request's diff shows each problem inline. */
export function formatGithub(items: CliDiagnostic[]): string[] {
  const level: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };
  return items.map((d) => {
    const props = [
      `file=${escapeProperty(d.file)}`,
      `line=${d.line}`,
      `col=${d.column}`,
      `endLine=${d.endLine}`,
      `endColumn=${d.endColumn}`,
      `title=${escapeProperty(d.code)}`,
    ].join(',');
    return `::${level[d.severity]} ${props}::${escapeData(d.message)}`;
  });
}

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function summary(items: CliDiagnostic[], files: number, suites = 0): string {
  const n = { error: 0, warning: 0, info: 0 };
  for (const d of items) n[d.severity]++;
  const counts = `${plural(n.error, 'error')}, ${plural(n.warning, 'warning')}, ${n.info} info`;
  const mark = n.error ? style.red('✖') : n.warning ? style.yellow('⚠') : style.green('✔');
  return `${mark} ${counts} in ${plural(files, 'prompt file')}${suites ? ` and ${plural(suites, 'suite file')}` : ''}`;
}
