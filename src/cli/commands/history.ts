import { GitError } from '../../core/git/git';
import { registryLocation } from '../../core/workspace/promptsAtRef';
import { LabelError, listLabels } from '../../core/history/labels';
import { historyForId, UnknownPromptError, type PromptHistory } from '../../core/history/versions';
import { labelErrorText } from '../format/labelError';
import { style } from '../style';
import { EXIT, UsageError } from '../usage';

import type { CliContext, Print } from '../context';

/**
 * Runs a history or label command: unknown ids and bad arguments become usage
 * errors (exit 2); git problems and refusals are one line on stderr (exit 1).
 */
export async function historyCommand(err: Print, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (
      e instanceof UnknownPromptError ||
      (e instanceof LabelError && e.kind === 'usage') ||
      (e instanceof GitError && e.kind === 'bad-ref')
    )
      throw new UsageError(e.message);
    if (e instanceof GitError || e instanceof LabelError) {
      err(`prompt-registry: ${e instanceof LabelError ? labelErrorText(e) : e.message}`);
      return EXIT.problems;
    }
    throw e;
  }
}

/** The path of a git path from the registry root (where prompt-registry.yaml is), as `list` shows files. */
export async function rootRelative(root: string): Promise<(gitPath: string) => string> {
  const { prefix } = await registryLocation(root);
  return (gitPath) => (prefix && gitPath.startsWith(`${prefix}/`) ? gitPath.slice(prefix.length + 1) : gitPath);
}

export function runHistory(ctx: CliContext, { id, json }: { id: string; json: boolean }): Promise<number> {
  const { root, out, err } = ctx;
  return historyCommand(err, async () => {
    // Independent git calls run beside the history's; its own error is the one reported.
    const relative = rootRelative(root);
    relative.catch(() => undefined);
    const labels = json ? undefined : labelsBySha(root, id);
    const history = await historyForId(root, id);
    const rel = await relative;
    for (const n of history.notices) err(style.yellow(`${id}: ${n}`));
    if (json) {
      out(
        JSON.stringify(
          history.versions.map((v) => ({
            version: v.version,
            sha: v.sha,
            author: v.author,
            date: v.date,
            subject: v.subject,
            blobSha: v.blobSha,
            path: rel(v.gitPath),
          })),
          null,
          2,
        ),
      );
      return EXIT.ok;
    }
    printTable(history, await labels!, rel, out);
    return EXIT.ok;
  });
}

async function labelsBySha(root: string, id: string): Promise<Map<string, string[]>> {
  const by = new Map<string, string[]>();
  // Labels decorate the table; a broken label tag must not hide the history.
  const labels = await listLabels(root, id).catch(() => []);
  for (const l of labels) by.set(l.commit, [...(by.get(l.commit) ?? []), l.label]);
  return by;
}

function printTable(h: PromptHistory, labels: Map<string, string[]>, rel: (p: string) => string, out: Print): void {
  const newestPath = h.versions[0]?.gitPath;
  const authorWidth = Math.min(24, Math.max(6, ...h.versions.map((v) => v.author.length)));
  out(
    style.bold(
      `${'VERSION'.padEnd(8)} ${'COMMIT'.padEnd(7)}  ${'DATE'.padEnd(16)}  ${'AUTHOR'.padEnd(authorWidth)}  SUBJECT`,
    ),
  );
  if (h.working !== 'clean')
    out(style.yellow(`${'working copy'.padEnd(34)}${h.working === 'modified' ? 'uncommitted changes' : h.working}`));
  for (const v of h.versions) {
    const badges = (labels.get(v.sha) ?? []).map((l) => style.green(`[${l}]`));
    const moved = v.gitPath !== newestPath ? style.dim(`(${rel(v.gitPath)})`) : '';
    const author =
      v.author.length > authorWidth ? `${v.author.slice(0, authorWidth - 1)}…` : v.author.padEnd(authorWidth);
    out(
      [
        `v${v.version}`.padEnd(8),
        v.sha.slice(0, 7),
        ` ${v.date.slice(0, 16).replace('T', ' ')}`,
        ` ${author}`,
        ` ${v.subject}`,
        ...badges,
        moved,
      ]
        .filter(Boolean)
        .join(' '),
    );
  }
  if (h.versions.length === 0) out(style.dim('no committed versions'));
}
