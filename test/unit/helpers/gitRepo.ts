import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tmpDir, writeFiles } from './tmp';

/**
 * A real git repository in a temp folder, with a deterministic clock: each
 * commit is one minute after the previous one, so dates and order are stable.
 */
export class GitRepo {
  private clock = Date.parse('2026-01-01T00:00:00Z') / 1000;

  constructor(readonly dir: string = tmpDir('pr-git-')) {
    this.git('init', '-q', '-b', 'main');
    this.git('config', 'user.name', 'Test Author');
    this.git('config', 'user.email', 'author@example.com');
    this.git('config', 'commit.gpgsign', 'false');
    this.git('config', 'tag.gpgsign', 'false');
  }

  git(...args: string[]): string {
    const when = `${this.clock} +0000`;
    return execFileSync('git', args, {
      cwd: this.dir,
      encoding: 'utf8',
      env: { ...process.env, GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when, GIT_CONFIG_NOSYSTEM: '1' },
    }).trim();
  }

  write(files: Record<string, string | Buffer>): this {
    writeFiles(this.dir, files);
    return this;
  }

  remove(...rels: string[]): this {
    for (const rel of rels) fs.rmSync(path.join(this.dir, rel), { force: true });
    return this;
  }

  /** Stages everything and commits; returns the new commit's sha. */
  commit(subject: string, opts: { author?: string; body?: string } = {}): string {
    this.clock += 60;
    this.git('add', '-A');
    const args = ['commit', '-q', '--allow-empty', '-m', subject];
    if (opts.body) args.push('-m', opts.body);
    if (opts.author) args.push('--author', opts.author);
    this.git(...args);
    return this.git('rev-parse', 'HEAD');
  }

  /** Writes files and commits them in one step. */
  commitFiles(subject: string, files: Record<string, string | Buffer>): string {
    return this.write(files).commit(subject);
  }

  /**
   * Merges `branch` into the current branch as a merge commit (never a fast-forward).
   * On a conflict, `resolve` gives the files' final content; returns the merge's sha.
   */
  merge(branch: string, subject: string, resolve: Record<string, string> = {}): string {
    this.clock += 60;
    try {
      this.git('merge', '-q', '--no-ff', '--no-commit', branch);
    } catch {
      // A conflict: the resolution below decides the content.
    }
    this.write(resolve);
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', subject);
    return this.head();
  }

  head(): string {
    return this.git('rev-parse', 'HEAD');
  }
}

/** A prompt file's text with the given front matter fields and body. */
export function promptText(fields: Record<string, unknown>, body = 'Hello {{name}}.'): string {
  const yaml = Object.entries(fields)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join('\n');
  return `---\n${yaml}\n---\n${body}\n`;
}
