// No vscode import: the wording is unit-tested in plain Node.
import type { RunOutcome } from '../../core/app/runOutcome';
import { formatUsd } from '../../core/format/numbers';

/** "38 passed, 2 failed on gpt-4o-mini · $0.012 · 8.1 s" */
export function wordOutcome(o: RunOutcome): string {
  const counts = [
    `${o.passed} passed`,
    ...(o.failed ? [`${o.failed} failed`] : []),
    ...(o.skipped ? [`${o.skipped} skipped`] : []),
  ];
  const on = o.models.length ? ` on ${o.models.join(', ')}` : '';
  const cost = o.costUsd !== undefined ? ` · ${formatUsd(o.costUsd)}` : '';
  return `${counts.join(', ')}${on}${cost} · ${(o.durationMs / 1000).toFixed(1)} s`;
}

/** "12/40 cases · 1 failed", the progress notification's line while a run goes. */
export function wordProgress(p: { done: number; total: number; failed: number }): string {
  return `${p.done}/${p.total} ${p.total === 1 ? 'case' : 'cases'}${p.failed ? ` · ${p.failed} failed` : ''}`;
}
