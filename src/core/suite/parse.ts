import type { Diagnostic, DiagnosticCode, Severity } from '../text/diagnostics';
import { compileSchema } from '../schema/jsonSchema';
import { toRegExp } from '../text/regex';
import { stripBom } from '../text/bom';
import { LineIndex, type Range } from '../text/lineIndex';
import { closest } from '../text/similar';
import { checkObject } from '../schema/check';
import { fastLoad } from '../yaml/fastLoad';
import { findSpan, parseYaml, type YamlPath } from '../yaml/sourceMap';
import {
  ASSERTION_TYPES,
  assertionShape,
  caseShape,
  defaultsShape,
  suiteShape,
  type BaseAssertionType,
} from './schema';
import type { Assertion, ParsedSuite, SuiteCase } from './types';

export const SUITE_SUFFIX = '.suite.yaml';

const EXAMPLE = '{type: contains, value: "refund"}';

/**
 * Parses a suite file. Never throws: every problem becomes a diagnostic at its
 * place in the file. Values come from js-yaml (fast); `yaml`'s source ranges
 * are built only when a diagnostic or an editor asks for a range, as for
 * prompts: a 1,000-case suite parses in a fraction of the time.
 */
export function parseSuite(input: string, file?: string): ParsedSuite {
  const text = stripBom(input);
  const lines = new LineIndex(text);
  let full: ReturnType<typeof parseYaml> | undefined;
  const spans = () => (full ??= parseYaml(text)).spans;
  const headerRange = lines.lineRange(0);
  const diagnostics: Diagnostic[] = [];
  const rangeOf = (path: YamlPath, key = false): Range => {
    const s = findSpan(spans(), path);
    if (!s) return headerRange;
    const span = key && s.key ? s.key : s.value;
    // A block mapping's node runs to the next line; underline only its text.
    let end = span[1];
    while (end > span[0] && /\s/.test(text[end - 1]!)) end--;
    return lines.rangeAt(span[0], end);
  };
  const report = (severity: Severity, code: DiagnosticCode, message: string, path: YamlPath, onKey = false) => {
    const caseIndex = path[0] === 'cases' && typeof path[1] === 'number' ? path[1] : undefined;
    diagnostics.push({
      severity,
      code,
      message,
      range: rangeOf(path, onKey),
      ...(caseIndex !== undefined ? { data: { caseIndex } } : {}),
    });
  };
  const suite: ParsedSuite = {
    file,
    text,
    defaults: { vars: {}, assert: [] },
    cases: [],
    diagnostics,
    headerRange,
    rangeOf: (p, key) => rangeOf(p, key),
  };

  const fast = fastLoad(text);
  let root: unknown;
  if (fast.ok) {
    root = fast.value;
  } else {
    // Report what `yaml` says, so messages match the editor's YAML tooling; js-yaml's word only if `yaml` disagrees.
    full = parseYaml(text);
    if (full.errors.length) {
      for (const e of full.errors)
        diagnostics.push({
          severity: 'error',
          code: 'yaml-syntax',
          message: `YAML: ${e.message}`,
          range: lines.rangeAt(e.start, e.end),
        });
    } else {
      diagnostics.push({
        severity: 'error',
        code: 'yaml-syntax',
        message: `YAML: ${fast.message}`,
        range: lines.rangeAt(fast.offset, fast.offset + 1),
      });
    }
    return suite;
  }
  if (root === undefined || root === null) {
    report('error', 'suite-invalid', 'Suite is empty: add "cases:" with at least one {name, vars, assert}', []);
    return suite;
  }
  if (typeof root !== 'object' || Array.isArray(root)) {
    report(
      'error',
      'suite-invalid',
      'A suite must be a mapping with "cases:" (and optionally prompt, model, defaults)',
      [],
    );
    return suite;
  }

  const top = checkObject(suiteShape, root as Record<string, unknown>);
  for (const issue of top.issues) reportIssue(issue, report);
  const data = top.data;
  suite.description = data.description as string | undefined;
  suite.prompt = data.prompt as string | undefined;
  suite.model = typeof data.model === 'string' ? data.model.trim() : undefined;

  const defaults = (root as Record<string, unknown>).defaults;
  if (defaults !== undefined && defaults !== null) {
    if (typeof defaults !== 'object' || Array.isArray(defaults)) {
      report('error', 'suite-invalid', 'Invalid "defaults": expected a mapping with vars and assert', ['defaults']);
    } else {
      const d = checkObject(defaultsShape, defaults as Record<string, unknown>, ['defaults']);
      for (const issue of d.issues) reportIssue(issue, report);
      suite.defaults.vars = (d.data.vars as Record<string, unknown> | undefined) ?? {};
      suite.defaults.assert = parseAssertions(
        d.data.assert as unknown[] | undefined,
        ['defaults', 'assert'],
        true,
        report,
        rangeOf,
      );
    }
  }

  const cases = (root as Record<string, unknown>).cases;
  if (cases === undefined || cases === null) {
    report(
      'error',
      'suite-invalid',
      `Suite has no cases: add "cases:" with a list of {name, vars, assert}, e.g. - {name: refund, vars: {…}, assert: [${EXAMPLE}]}`,
      'cases' in (root as object) ? ['cases'] : [],
    );
  } else if (!Array.isArray(cases)) {
    report('error', 'suite-invalid', 'Invalid "cases": expected a list of {name, vars, assert}', ['cases']);
  } else if (cases.length === 0) {
    report('error', 'suite-invalid', 'Suite has no cases: "cases" is an empty list', ['cases']);
  } else {
    const seen = new Map<string, number>();
    cases.forEach((raw, index) => {
      const c = parseCase(raw, index, report, rangeOf);
      const first = seen.get(c.name);
      if (first !== undefined) {
        report(
          'error',
          'suite-invalid',
          `Case name "${c.name}" is also used by case ${first + 1}; names must be unique within a suite`,
          ['cases', index, 'name'],
        );
      } else {
        seen.set(c.name, index);
      }
      suite.cases.push(c);
    });
  }
  return suite;
}

type Report = (severity: Severity, code: DiagnosticCode, message: string, path: YamlPath, onKey?: boolean) => void;

function reportIssue(
  issue: { path: (string | number)[]; kind: 'unknown-key' | 'invalid'; message: string },
  report: Report,
): void {
  if (issue.kind === 'unknown-key') report('warning', 'unknown-field', issue.message, issue.path, true);
  else report('error', 'suite-invalid', issue.message, issue.path);
}

function parseCase(
  raw: unknown,
  index: number,
  report: Report,
  rangeOf: (p: YamlPath, key?: boolean) => Range,
): SuiteCase {
  const path = ['cases', index];
  const fallbackName = `case ${index + 1}`;
  let namePath: YamlPath = path;
  const out: SuiteCase = {
    index,
    name: fallbackName,
    vars: {},
    assert: [],
    // Computed on first use: a clean suite never builds source ranges until an editor asks.
    get range() {
      return rangeOf(path);
    },
    get nameRange() {
      return rangeOf(namePath);
    },
  };
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    report('error', 'suite-invalid', `Case ${index + 1} must be a mapping: {name, vars, assert}`, path);
    return out;
  }
  const r = checkObject(caseShape, raw as Record<string, unknown>, path);
  for (const issue of r.issues) reportIssue(issue, report);
  if (typeof r.data.name === 'string') {
    out.name = r.data.name.trim();
    namePath = [...path, 'name'];
  } else if (!('name' in raw)) {
    report('error', 'suite-invalid', `Case ${index + 1} has no "name": add one, e.g. "name: refund request"`, path);
  }
  out.description = r.data.description as string | undefined;
  out.vars = (r.data.vars as Record<string, unknown> | undefined) ?? {};
  out.model = typeof r.data.model === 'string' ? r.data.model.trim() : undefined;
  out.assert = parseAssertions(r.data.assert as unknown[] | undefined, [...path, 'assert'], false, report, rangeOf);
  return out;
}

function parseAssertions(
  list: unknown[] | undefined,
  path: YamlPath,
  fromDefaults: boolean,
  report: Report,
  rangeOf: (p: YamlPath) => Range,
): Assertion[] {
  const out: Assertion[] = [];
  (list ?? []).forEach((raw, i) => {
    const a = parseAssertion(raw, [...path, i], fromDefaults, report, rangeOf);
    if (a) out.push(a);
  });
  return out;
}

/** One assertion, with its value checked for its type here, so a typo shows in the editor rather than mid-run. */
function parseAssertion(
  raw: unknown,
  path: YamlPath,
  fromDefaults: boolean,
  report: Report,
  rangeOf: (p: YamlPath) => Range,
): Assertion | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    report('error', 'suite-invalid', `An assertion is a mapping such as ${EXAMPLE}`, path);
    return undefined;
  }
  const r = checkObject(assertionShape, raw as Record<string, unknown>, [...path]);
  for (const issue of r.issues) reportIssue(issue, report);
  const type = r.data.type as string | undefined;
  if (type === undefined) {
    if (!('type' in raw)) report('error', 'suite-invalid', `Assertion has no "type", e.g. ${EXAMPLE}`, path);
    return undefined;
  }
  const kind = classify(type);
  if (typeof kind === 'string') {
    report('error', 'suite-unknown-assertion', kind, [...path, 'type']);
    return undefined;
  }
  const value = (raw as Record<string, unknown>).value;
  const valuePath = 'value' in raw ? [...path, 'value'] : path;
  const problem = valueProblem(kind.base, value);
  if (problem) {
    report(problem.severity, 'suite-invalid', `${type}: ${problem.message}`, valuePath);
    if (problem.severity === 'error') return undefined;
  }
  const threshold = r.data.threshold as number | undefined;
  if (threshold !== undefined && kind.base !== 'llm-rubric') {
    report('warning', 'suite-invalid', `"threshold" is only used by llm-rubric; ${type} ignores it`, [
      ...path,
      'threshold',
    ]);
  }
  return {
    type,
    base: kind.base,
    negate: kind.negate,
    value,
    threshold,
    get range() {
      return rangeOf(path);
    },
    fromDefaults,
  };
}

/** The base type and negation of a written type, or why it is not one. */
export function classify(type: string): { base: BaseAssertionType; negate: boolean } | string {
  if (type === 'not-llm-rubric') return 'llm-rubric cannot be negated: write the rubric the answer must meet instead';
  if (!ASSERTION_TYPES.includes(type)) {
    const hint = closest(type, ASSERTION_TYPES);
    return `Unknown assertion type "${type}"${hint ? `. Did you mean "${hint}"?` : ''} (known: ${ASSERTION_TYPES.filter((t) => !t.startsWith('not-') || t === 'not-contains').join(', ')}; prefix not- to negate)`;
  }
  if (type === 'not-contains') return { base: 'contains', negate: true };
  const negate = type.startsWith('not-');
  return { base: (negate ? type.slice(4) : type) as BaseAssertionType, negate };
}

function valueProblem(base: BaseAssertionType, value: unknown): { severity: Severity; message: string } | undefined {
  const isScalar = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
  switch (base) {
    case 'equals':
      return value === undefined
        ? {
            severity: 'error',
            message: 'needs a "value": the exact expected answer (text, or a mapping/list compared as JSON)',
          }
        : undefined;
    case 'contains':
    case 'icontains':
    case 'starts-with':
      return isScalar && String(value) !== ''
        ? undefined
        : { severity: 'error', message: 'needs a "value": the text to look for' };
    case 'regex': {
      if (typeof value !== 'string' || value === '')
        return { severity: 'error', message: 'needs a "value": a pattern such as "^\\\\d+$" or "/refund/i"' };
      const re = toRegExp(value);
      return typeof re === 'string' ? { severity: 'error', message: `the pattern does not compile: ${re}` } : undefined;
    }
    case 'is-json':
      return value === undefined
        ? undefined
        : { severity: 'warning', message: 'takes no "value"; it is ignored (use json-schema to check the shape)' };
    case 'json-schema': {
      if (value === undefined) return undefined;
      const v = compileSchema(value);
      return typeof v === 'string' ? { severity: 'error', message: `the schema is not valid: ${v}` } : undefined;
    }
    case 'max-latency-ms':
    case 'max-cost-usd':
    case 'max-tokens':
      if (value === undefined) return { severity: 'error', message: 'needs a "value": a number ≥ 0 (the limit)' };
      return typeof value === 'number' && Number.isFinite(value) && value >= 0
        ? undefined
        : { severity: 'error', message: `"value" must be a number ≥ 0 (the limit), got ${JSON.stringify(value)}` };
    case 'llm-rubric':
      return typeof value === 'string' && value.trim() !== ''
        ? undefined
        : { severity: 'error', message: 'needs a "value": the rubric the grader checks the answer against' };
  }
}
