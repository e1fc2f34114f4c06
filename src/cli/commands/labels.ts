import { describe, labelHistory, publish, rollback, type LabelMoveResult } from '../../core/history/labels';
import { promptFileForId } from '../../core/history/findPrompt';
import { style } from '../style';
import { EXIT, UsageError } from '../usage';
import { historyCommand, rootRelative } from './history';

import type { CliContext, Print } from '../context';

export interface PublishArgs {
  label?: string;
  version?: string;
  ref?: string;
  force?: boolean;
}

export function runPublish(ctx: CliContext, o: PublishArgs & { id: string }): Promise<number> {
  const { root, out, err } = ctx;
  const { id } = o;
  return historyCommand(err, async () => {
    let version: number | undefined;
    if (o.version !== undefined) {
      if (!/^[1-9]\d*$/.test(o.version))
        throw new UsageError(`--version takes a version number (1, 2, …), got "${o.version}"`);
      version = Number(o.version);
    }
    const r = await publish(root, id, { label: o.label, version, ref: o.ref, force: o.force });
    for (const w of r.warnings) err(style.yellow(`warning: ${w}`));
    report(r, 'Published', out);
    return EXIT.ok;
  });
}

export function runRollback(ctx: CliContext, { id, label }: { id: string; label?: string }): Promise<number> {
  const { root, out, err } = ctx;
  return historyCommand(err, async () => {
    report(await rollback(root, id, { label }), 'Rolled back', out);
    return EXIT.ok;
  });
}

function report(r: LabelMoveResult, verb: string, out: Print): void {
  const t = r.target;
  if (!r.changed) {
    out(`${t.label} of ${t.id} already points at ${describe(t)}; nothing changed.`);
    return;
  }
  const was = r.previous ? ` (was ${describe(r.previous)})` : '';
  out(`${verb} ${t.id}: ${t.label} → ${describe(t)}${was}.`);
  out(style.dim(`Share it: git push --force origin refs/tags/${t.tag}`));
}

export function runLabels(ctx: CliContext, { id, json }: { id: string; json: boolean }): Promise<number> {
  const { root, out, err } = ctx;
  return historyCommand(err, async () => {
    const labels = await labelHistory(root, id);
    // No labels yet is normal; an id that never existed is a mistake.
    if (labels.length === 0) await promptFileForId(root, id);
    const rel = await rootRelative(root);
    if (json) {
      out(
        JSON.stringify(
          labels.map(({ object: _object, gitPath, ...l }) => ({ ...l, path: rel(gitPath) })),
          null,
          2,
        ),
      );
      return EXIT.ok;
    }
    if (labels.length === 0) {
      out(`${id} has no labels. Publish one: prompt-registry publish ${id} [--label production]`);
      return EXIT.ok;
    }
    for (const l of labels) {
      out(`${style.bold(l.label)}  ${describe(l)}  ${rel(l.gitPath)}  ${style.dim(`${l.date} by ${l.by}`)}`);
      for (const m of [...l.moves].reverse())
        out(style.dim(`  ${m.date}  ${m.action.padEnd(8)}  ${describe(m)}  ${m.by}`));
    }
    return EXIT.ok;
  });
}
