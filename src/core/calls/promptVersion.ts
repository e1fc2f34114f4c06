import { execFile } from 'node:child_process';
import { checkGitGate } from '../git/git';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stripBom } from '../text/bom';

export interface PromptVersion {
  /** The git blob sha of the prompt file as rendered, as `git hash-object` computes it. */
  blob: string;
  /** HEAD, when the file there is byte-identical to what was rendered (a clean file). */
  commit?: string;
}

/** sha1 of "blob <length>\0<content>": git's object id for a file's bytes. */
export function gitBlobSha(content: Uint8Array): string {
  return createHash('sha1').update(`blob ${content.byteLength}\0`).update(content).digest('hex');
}

/**
 * The version of a prompt as rendered. `text` is what was rendered (the file,
 * or an editor's unsaved text). The file's own bytes are hashed when they
 * match, so a BOM or CRLF line ends give the same sha as git.
 */
export async function promptVersion(file: string, text: string): Promise<PromptVersion> {
  let bytes: Uint8Array = Buffer.from(text, 'utf8');
  try {
    const disk = await fs.promises.readFile(file);
    if (stripBom(disk.toString('utf8')) === text) bytes = disk;
  } catch {
    // Deleted since it was parsed: hash the text we have.
  }
  const blob = gitBlobSha(bytes);
  const head = await gitHeadFor(file);
  return head && head.blob === blob ? { blob, commit: head.commit } : { blob };
}

/** HEAD's commit and the blob of `file` in it, or undefined without git, outside a repository, or for an untracked file. */
function gitHeadFor(file: string): Promise<{ commit: string; blob: string } | undefined> {
  return new Promise((resolve) => {
    try {
      checkGitGate();
    } catch {
      return resolve(undefined); // the version is recorded by blob alone
    }
    // An argument array, never a shell: the path is data, whatever characters it holds.
    execFile(
      'git',
      ['rev-parse', 'HEAD', `HEAD:./${path.basename(file)}`],
      { cwd: path.dirname(file), timeout: 5000, windowsHide: true },
      (err, stdout) => {
        if (err) return resolve(undefined);
        const [commit, blob] = stdout.trim().split(/\r?\n/);
        resolve(commit && blob && /^[0-9a-f]{40,64}$/.test(commit) ? { commit, blob } : undefined);
      },
    );
  });
}
