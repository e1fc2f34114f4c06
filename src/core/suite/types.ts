import type { Diagnostic } from '../text/diagnostics';
import type { Range } from '../text/lineIndex';
import type { BaseAssertionType } from './schema';

export interface Assertion {
  /** As written, e.g. `not-contains`. */
  type: string;
  /** The check itself, e.g. `contains`. */
  base: BaseAssertionType;
  negate: boolean;
  value?: unknown;
  threshold?: number;
  /** Where it is written, so reports can point at it. */
  range: Range;
  fromDefaults: boolean;
}

export interface SuiteCase {
  /** Position in `cases`. */
  index: number;
  name: string;
  description?: string;
  /** The case's own vars; `caseVars` merges the defaults in. */
  vars: Record<string, unknown>;
  /** The case's own assertions; `caseAssertions` puts the defaults first. */
  assert: Assertion[];
  model?: string;
  /** The whole `cases[i]` entry. */
  range: Range;
  /** The name's value (the Testing view and CodeLens anchor here). */
  nameRange: Range;
}

/** A `*.suite.yaml` after parsing: what validated, with positions, and the problems as diagnostics. */
export interface ParsedSuite {
  file?: string;
  /** The text the ranges refer to (BOM removed). */
  text: string;
  description?: string;
  /** The explicit `prompt` id; absent means the sibling prompt with the same base name. */
  prompt?: string;
  model?: string;
  defaults: { vars: Record<string, unknown>; assert: Assertion[] };
  cases: SuiteCase[];
  /**
   * Problems found in the file alone. A diagnostic with `data.caseIndex` blocks
   * only that case; any other error blocks the whole suite.
   */
  diagnostics: Diagnostic[];
  /** Where to point for the file as a whole (its first line). */
  headerRange: Range;
  /**
   * Range of a value (or, with `key`, of its key) by path, e.g. ['cases', 0, 'vars', 'ticket'];
   * the nearest recorded ancestor otherwise.
   */
  rangeOf(path: (string | number)[], key?: boolean): Range;
}

export function caseVars(suite: ParsedSuite, c: SuiteCase): Record<string, unknown> {
  return { ...suite.defaults.vars, ...c.vars };
}

export function caseAssertions(suite: ParsedSuite, c: SuiteCase): Assertion[] {
  return [...suite.defaults.assert, ...c.assert];
}

/**
 * Problems that make a run meaningless, so it is not started. Model problems
 * (unknown, inactive…) are reported but do not block: the catalog may be
 * stale, and the provider has the final word.
 */
const BLOCKING: ReadonlySet<string> = new Set([
  'yaml-syntax',
  'not-text',
  'file-too-large',
  'suite-invalid',
  'suite-unknown-prompt',
  'suite-unknown-assertion',
]);

/** Errors that stop one case from running (or, without a case index, the whole suite). */
export function blockingErrors(diagnostics: Diagnostic[], caseIndex?: number): Diagnostic[] {
  return diagnostics.filter(
    (d) =>
      d.severity === 'error' &&
      BLOCKING.has(d.code) &&
      (caseIndex === undefined ? d.data?.caseIndex === undefined : d.data?.caseIndex === caseIndex),
  );
}
