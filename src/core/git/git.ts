import { execFile, spawn } from 'node:child_process';

export type GitErrorKind = 'no-git' | 'not-a-repo' | 'bad-ref' | 'failed' | 'untrusted';

export class GitError extends Error {
  constructor(
    message: string,
    readonly kind: GitErrorKind = 'failed',
  ) {
    super(message);
  }
}

export interface GitOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Extra environment (author, dates) for commands that write. */
  env?: Record<string, string>;
  /** Written to git's stdin (e.g. a tag object for `git mktag`). */
  input?: string;
}

function toGitError(err: { code?: unknown; message: string }, stderr: string): GitError {
  if (err.code === 'ENOENT') return new GitError('git is not installed (or not on PATH)', 'no-git');
  const first = (stderr || err.message).trim().split('\n')[0] ?? 'git failed';
  if (/not a git repository/i.test(first)) return new GitError('not a git repository', 'not-a-repo');
  return new GitError(first.replace(/^fatal: /, ''));
}

/**
 * Whether git may run at all, set by the host. A repository's own config can make git run programs
 * (core.fsmonitor on status, core.hooksPath hooks on a tag write, filter drivers), so a host that has not been
 * told to trust the folder (VS Code's restricted mode) runs no git, as VS Code's own git extension does.
 */
let mayRunGit: () => boolean = () => true;

export function setGitGate(allowed: () => boolean): void {
  mayRunGit = allowed;
}

/** Throws GitError 'untrusted' when the host does not allow git here; every git process starts behind it. */
export function checkGitGate(): void {
  if (!mayRunGit())
    throw new GitError(
      "git is not run in an untrusted workspace (a repository's settings can make git run programs)",
      'untrusted',
    );
}

/** Runs git with an argument array (never a shell), so refs and paths are data. */
export function git(cwd: string, args: string[], opts: GitOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    checkGitGate();
    const child = execFile(
      'git',
      args,
      {
        cwd,
        maxBuffer: 256 * 1024 * 1024,
        timeout: opts.timeoutMs ?? 30_000,
        windowsHide: true,
        signal: opts.signal,
        env: opts.env ? { ...process.env, ...opts.env } : process.env,
      },
      (err, stdout, stderr) => {
        if (err) reject(toGitError(err, stderr));
        else resolve(stdout);
      },
    );
    if (opts.input !== undefined) {
      // A git that exits early (or is missing) closes the pipe; the callback reports why.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(opts.input);
    }
  });
}

/** True in a shallow clone: history stops at the graft, so version numbers would be wrong. */
export async function isShallow(top: string): Promise<boolean> {
  return (await git(top, ['rev-parse', '--is-shallow-repository'])).trim() === 'true';
}

/** The commit sha `ref` names. GitError 'bad-ref' when it names none; a leading "-" is never read as an option. */
export async function resolveCommit(top: string, ref: string): Promise<string> {
  if (ref.startsWith('-')) throw new GitError(`"${ref}" is not a git ref`, 'bad-ref');
  try {
    return (await git(top, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])).trim();
  } catch (e) {
    if (e instanceof GitError && e.kind === 'no-git') throw e;
    throw new GitError(`unknown git ref "${ref}"`, 'bad-ref');
  }
}

export interface TreeEntry {
  /** Path from the repository top, forward slashes. */
  path: string;
  blob: string;
}

/** Every file (blob) under `under` (top-relative; '' for all) at a commit. */
export async function listTree(top: string, commit: string, under = ''): Promise<TreeEntry[]> {
  const args = ['ls-tree', '-r', '-z', '--full-tree', commit];
  if (under) args.push('--', under);
  const out = await git(top, args);
  const entries: TreeEntry[] = [];
  for (const rec of out.split('\0')) {
    // "<mode> blob <sha>\t<path>"
    const tab = rec.indexOf('\t');
    if (tab < 0) continue;
    const [, type, sha] = rec.slice(0, tab).split(' ');
    if (type === 'blob' && sha) entries.push({ path: rec.slice(tab + 1), blob: sha });
  }
  return entries;
}

/**
 * Reads many objects in one `git cat-file --batch` process. Each spec is a blob
 * sha or "<rev>:<path>"; missing objects map to undefined.
 */
export function readObjects(
  top: string,
  specs: string[],
  opts: GitOptions = {},
): Promise<Map<string, Buffer | undefined>> {
  const result = new Map<string, Buffer | undefined>();
  if (specs.length === 0) return Promise.resolve(result);
  return new Promise((resolve, reject) => {
    checkGitGate();
    const child = spawn('git', ['cat-file', '--batch'], {
      cwd: top,
      windowsHide: true,
      signal: opts.signal,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', (e) => reject(toGitError(e, stderr)));
    child.on('close', (code) => {
      if (code !== 0) return reject(toGitError({ message: `git cat-file exited ${code}` }, stderr));
      const buf = Buffer.concat(chunks);
      let at = 0;
      for (const spec of specs) {
        const nl = buf.indexOf(0x0a, at);
        if (nl < 0) break;
        const header = buf.subarray(at, nl).toString('utf8');
        at = nl + 1;
        // "<sha> <type> <size>" or "<spec> missing" / "<spec> ambiguous"
        const m = /^[0-9a-f]{40,64} (\w+) (\d+)$/.exec(header);
        if (!m) {
          result.set(spec, undefined);
          continue;
        }
        const size = Number(m[2]);
        result.set(spec, m[1] === 'blob' ? buf.subarray(at, at + size) : undefined);
        at += size + 1;
      }
      resolve(result);
    });
    // A git that quits early (not a repository, aborted) closes the pipe; 'close' reports why.
    child.stdin.on('error', () => undefined);
    // Specs with a newline would desynchronise the batch protocol; they cannot name an object anyway.
    child.stdin.end(specs.map((s) => (s.includes('\n') ? 'invalid\u0000spec' : s)).join('\n') + '\n');
  });
}
