import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';

/**
 * Puts a `git` on PATH that holds every `git update-ref` until `parties` of them have arrived, then
 * lets them through one at a time. Two label moves started together have then both read the label
 * before either writes it: the interleaving a real race needs, every run, with no timing in the test.
 * Restores PATH on `release()`.
 */
export function holdRefUpdates(parties: number): { release: () => void; arrived: () => number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pr-git-barrier-'));
  const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  const script = [
    '#!/bin/sh',
    `B='${dir}'`,
    'if [ "$1" = "update-ref" ]; then',
    '  : > "$B/arrived.$$"',
    // A cap, so a move that never comes fails the test instead of hanging it.
    '  n=0',
    `  while [ "$(ls "$B" | grep -c '^arrived\\.')" -lt ${parties} ] && [ $n -lt 2000 ]; do sleep 0.01; n=$((n+1)); done`,
    // One at a time (mkdir is atomic; flock is not on every system).
    '  until mkdir "$B/lock" 2>/dev/null; do sleep 0.01; done',
    `  '${realGit}' "$@"; rc=$?`,
    '  rmdir "$B/lock"',
    '  exit $rc',
    'fi',
    `exec '${realGit}' "$@"`,
    '',
  ].join('\n');
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.writeFileSync(path.join(dir, 'bin', 'git'), script, { mode: 0o755 });
  const oldPath = process.env.PATH;
  process.env.PATH = `${path.join(dir, 'bin')}${path.delimiter}${oldPath ?? ''}`;
  return {
    arrived: () => fs.readdirSync(dir).filter((f) => f.startsWith('arrived.')).length,
    release: () => {
      process.env.PATH = oldPath;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
