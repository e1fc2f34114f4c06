/**
 * The message of a label tag. Moving a tag drops the old tag object, so each
 * new tag carries the whole move log as trailer lines (oldest first), plus
 * the target it points at, so readers need no history walk:
 *
 *   Publish greet v3 as production
 *
 *   Prompt-Registry-Id: greet
 *   Prompt-Registry-Label: production
 *   Prompt-Registry-Version: 3
 *   Prompt-Registry-Blob: <blob sha>
 *   Prompt-Registry-Path: prompts/greet.md
 *   Prompt-Registry-Move: publish v1 <commit> 2026-01-01T00:01:00Z Ann <ann@example.com>
 *   Prompt-Registry-Move: publish v3 <commit> 2026-01-02T00:00:00Z Bob <bob@example.com>
 */

export interface LabelMove {
  action: 'publish' | 'rollback';
  commit: string;
  /** The version number when it was known (not in a shallow clone). */
  version?: number;
  /** "Name <email>" of whoever moved the label. */
  by: string;
  /** ISO 8601. */
  date: string;
}

export interface LabelMessage {
  id?: string;
  label?: string;
  version?: number;
  blobSha?: string;
  gitPath?: string;
  moves: LabelMove[];
}

const MOVE = /^Prompt-Registry-Move: (publish|rollback) (?:v(\d+)|-) ([0-9a-f]{40,64}) (\S+) (.*)$/;

export function formatLabelMessage(m: Required<Omit<LabelMessage, 'version'>> & { version?: number }): string {
  const last = m.moves[m.moves.length - 1]!;
  const v = (n?: number) => (n === undefined ? '-' : `v${n}`);
  const title =
    last.action === 'rollback'
      ? `Roll back ${m.id} ${m.label} to ${v(m.version)}`
      : `Publish ${m.id} ${v(m.version)} as ${m.label}`;
  const trailers = [
    `Prompt-Registry-Id: ${m.id}`,
    `Prompt-Registry-Label: ${m.label}`,
    ...(m.version === undefined ? [] : [`Prompt-Registry-Version: ${m.version}`]),
    `Prompt-Registry-Blob: ${m.blobSha}`,
    `Prompt-Registry-Path: ${m.gitPath}`,
    ...m.moves.map((x) => `Prompt-Registry-Move: ${x.action} ${v(x.version)} ${x.commit} ${x.date} ${x.by}`),
  ];
  return `${title}\n\n${trailers.join('\n')}\n`;
}

/** Reads the trailers back; lines it does not know (a hand-written message) are ignored. */
export function parseLabelMessage(text: string): LabelMessage {
  const out: LabelMessage = { moves: [] };
  for (const line of text.split('\n')) {
    const move = MOVE.exec(line);
    if (move) {
      out.moves.push({
        action: move[1] as LabelMove['action'],
        version: move[2] ? Number(move[2]) : undefined,
        commit: move[3]!,
        date: move[4]!,
        by: move[5]!,
      });
      continue;
    }
    const kv = /^Prompt-Registry-(Id|Label|Version|Blob|Path): (.*)$/.exec(line);
    if (!kv) continue;
    const value = kv[2]!;
    if (kv[1] === 'Id') out.id = value;
    else if (kv[1] === 'Label') out.label = value;
    else if (kv[1] === 'Version') out.version = /^\d+$/.test(value) ? Number(value) : undefined;
    else if (kv[1] === 'Blob') out.blobSha = value;
    else out.gitPath = value;
  }
  return out;
}

/** The published versions a rollback can return to: publish pushes, rollback pops; the last is current. */
export function publishedStack(moves: LabelMove[]): LabelMove[] {
  const stack: LabelMove[] = [];
  for (const m of moves) {
    if (m.action === 'publish') stack.push(m);
    else {
      stack.pop();
      // A rollback lands on the entry below; a log edited by hand may disagree, and the move wins.
      if (stack[stack.length - 1]?.commit !== m.commit) stack.push(m);
    }
  }
  return stack;
}
