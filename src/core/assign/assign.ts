import * as fs from 'node:fs';
import type { Catalog } from '../catalog/types';
import { isRetired, resolveModel } from '../catalog/lookup';
import type { ResolvedConfig } from '../config/load';
import { writeFileAtomicallySync } from '../fs/atomic';
import { setPromptModel } from '../prompt/editFrontMatter';
import type { TextEdit } from '../yaml/edit';
import { errorMessage } from '../text/errorMessage';

export type AssignOutcome =
  | { file: string; status: 'updated'; from?: string; edits: TextEdit[]; text: string }
  | { file: string; status: 'unchanged'; from?: string }
  | { file: string; status: 'failed'; reason: string };

/** Why `model` may not be assigned in this workspace, or undefined when it may. */
export function targetProblem(
  model: string,
  catalog: Catalog | undefined,
  config: ResolvedConfig,
  now: Date = new Date(),
): string | undefined {
  if (!model.trim()) return 'the model id is empty';
  if (catalog) {
    const r = resolveModel(model, catalog);
    if (r.kind === 'unknown')
      return `"${model}" is not in the model catalog${r.suggestions.length ? ` (did you mean ${r.suggestions.map((s) => `"${s}"`).join(', ')}?)` : ''}`;
    if (r.kind === 'ambiguous')
      return `"${model}" is offered by several providers; write ${r.candidates.map((c) => `${c.provider}/${c.id}`).join(' or ')}`;
    if (!r.model.active) return `"${model}" is no longer available`;
    if (isRetired(r.model, now)) return `"${model}" is no longer available (shut down on ${r.model.deprecationDate})`;
  }
  const enabled = config.enabledModels;
  if (enabled && !enabled.includes(model)) return `"${model}" is not enabled in this workspace (models.enabled)`;
  return undefined;
}

/**
 * Plans setting `model` on one prompt given its current text: which bytes
 * change, or why it cannot. Pure, so the CLI (files) and the editor (open
 * documents with unsaved text) share it.
 */
export function planAssign(file: string, text: string, model: string): AssignOutcome {
  if (text.includes('\0')) return { file, status: 'failed', reason: 'not a text file' };
  const r = setPromptModel(text, model);
  if (!r.ok) return { file, status: 'failed', reason: r.error };
  const from = typeof r.previous === 'string' ? r.previous : undefined;
  if (from === model) return { file, status: 'unchanged', from };
  return { file, status: 'updated', from, edits: r.edits, text: r.text };
}

/** Reads, plans and atomically writes each file; a failure in one never stops the others. */
export async function assignModelToFiles(
  files: string[],
  model: string,
  opts: { dryRun?: boolean } = {},
): Promise<AssignOutcome[]> {
  const out: AssignOutcome[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      out.push({
        file,
        status: 'failed',
        reason: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file was deleted' : `cannot read: ${errorMessage(e)}`,
      });
      continue;
    }
    const planned = planAssign(file, text, model);
    if (planned.status === 'updated' && !opts.dryRun) {
      try {
        // Synchronous and without fsync: a thousand files in well under a second; the rename still
        // guarantees no reader ever sees half a file.
        writeFileAtomicallySync(file, planned.text);
      } catch (e) {
        out.push({ file, status: 'failed', reason: `cannot write: ${errorMessage(e)}` });
        continue;
      }
    }
    out.push(planned);
  }
  return out;
}

export function summarize(outcomes: AssignOutcome[]): {
  updated: number;
  unchanged: number;
  failed: number;
  line: string;
} {
  const counts = {
    updated: outcomes.filter((o) => o.status === 'updated').length,
    unchanged: outcomes.filter((o) => o.status === 'unchanged').length,
    failed: outcomes.filter((o) => o.status === 'failed').length,
  };
  return { ...counts, line: summaryLine(counts) };
}

/** "N updated, M failed", the summary both the CLI and the editor print. */
export function summaryLine(c: { updated: number; unchanged: number; failed: number }): string {
  return `${c.updated} updated, ${c.failed} failed${c.unchanged ? `, ${c.unchanged} already on that model` : ''}`;
}
