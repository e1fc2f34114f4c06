import * as path from 'node:path';
import * as vscode from 'vscode';
import { quickPicks } from '../quickPicks';
import type { CaseReport } from '../testing/testController';

/** Which failed case "Show Failures" opened, and whether VS Code's peek showed its message. */
export interface FailureShown {
  id: string;
  peeked: boolean;
}

// VS Code's internal test id: the controller, then each ancestor's id, joined with NUL (TestId in the workbench).
const CONTROLLER_ID = 'promptRegistry';
const workbenchTestId = (caseItemId: string) =>
  [CONTROLLER_ID, caseItemId.slice(0, caseItemId.lastIndexOf('#')), caseItemId].join('\0');

/**
 * "Show Failures": the one failed case's peek at once, or a pick of the failed cases (name, suite, first
 * message) that opens the chosen one's peek. Falls back to the run's output when the peek cannot open.
 */
export async function showFailures(
  failed: CaseReport[],
  relative: (file: string) => string,
): Promise<FailureShown | undefined> {
  let chosen = failed[0];
  if (failed.length > 1) {
    const items = failed.map((r) => {
      const hash = r.id.lastIndexOf('#');
      return {
        label: `$(error) ${r.id.slice(hash + 1)}`,
        description: relative(r.id.slice(0, hash)) || path.basename(r.id.slice(0, hash)),
        detail: r.messages[0]?.message,
        report: r,
      };
    });
    chosen = (await quickPicks.pick(items, { title: `Show Failures: ${failed.length} failed cases` }))?.[0]?.report;
  }
  if (!chosen) return undefined;
  const peeked =
    (await vscode.commands.executeCommand<boolean>('vscode.peekTestError', workbenchTestId(chosen.id))) === true;
  if (!peeked) await vscode.commands.executeCommand('testing.showMostRecentOutput');
  return { id: chosen.id, peeked };
}
