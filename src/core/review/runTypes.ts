import type { Totals } from '../run/results';

/** One suite's results at each ref; a side is absent when the suite did not exist or was not affected there. */
export interface SuiteComparison {
  /** Registry-relative suite path. */
  suite: string;
  promptId?: string;
  base?: Totals;
  head?: Totals;
  /** Errors that stopped the suite (file:line:col message). */
  baseProblems: string[];
  headProblems: string[];
}

export interface RunComparison {
  /** The provider every case ran on (`--provider`), when one was forced. */
  provider?: string;
  suites: SuiteComparison[];
  base: Totals;
  head: Totals;
  /** Every case at HEAD passed and no suite there was stopped. */
  headPassed: boolean;
  cancelled: boolean;
}
