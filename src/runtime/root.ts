import * as path from 'node:path';
import { findRoot } from '../core/workspace/findRoot';
import { CONFIG_FILE, loadConfig, type LoadedConfig } from '../core/config/load';
import { git } from '../core/git/git';
import { PromptFileSet } from '../core/workspace/promptFiles';
import { Stamp } from './stamp';

/** Where the registry sits in git. Paths are absolute except `prefix`. */
export interface GitPlace {
  top: string;
  /** The registry root relative to `top`, forward slashes, '' at the top. */
  prefix: string;
  /** This worktree's git dir (HEAD lives here) and the common dir (refs, packed-refs). */
  gitDir: string;
  commonDir: string;
}

const GIT_RETRY_MS = 5_000;

/**
 * One registry root: its config (re-read when prompt-registry.yaml changes)
 * and where it sits in git (asked once, or again a little after a failure). `generation` grows on each config
 * change, so caches keyed on it drop ids that the globs no longer give.
 */
export class RegistryRoot {
  config!: LoadedConfig;
  files!: PromptFileSet;
  generation = 0;
  private readonly configStamp: Stamp;
  private place?: Promise<GitPlace>;
  private placeFailedAt?: number;

  constructor(readonly root: string) {
    this.configStamp = new Stamp([path.join(root, CONFIG_FILE)]);
    this.refresh();
  }

  /** Re-reads the config when its file changed; one stat otherwise. */
  refresh(): void {
    const taken = this.configStamp.changed();
    if (!taken) return;
    const config = loadConfig(this.root);
    const globs = config.config.promptGlobs.join('\n');
    if (
      !this.files ||
      globs !== this.files.globs.join('\n') ||
      config.config.fallbackModel !== this.config.config.fallbackModel
    )
      this.generation++;
    this.config = config;
    this.files = new PromptFileSet(this.root, config.config.promptGlobs);
    this.configStamp.verified(taken);
  }

  /**
   * Rejects with GitError 'no-git' or 'not-a-repo'. A failure is remembered for
   * a few seconds only: an app deployed without .git must not spawn git on every
   * load, but one that sees `git init` (or a git that timed out) recovers.
   */
  git(): Promise<GitPlace> {
    if (!this.place || (this.placeFailedAt !== undefined && Date.now() - this.placeFailedAt >= GIT_RETRY_MS)) {
      this.placeFailedAt = undefined;
      const asked = locate(this.root);
      asked.catch(() => {
        if (this.place === asked) this.placeFailedAt = Date.now();
      });
      this.place = asked;
    }
    return this.place;
  }
}

async function locate(root: string): Promise<GitPlace> {
  const out = (
    await git(root, ['rev-parse', '--show-toplevel', '--absolute-git-dir', '--git-common-dir', '--show-prefix'])
  ).split('\n');
  const [top = '', gitDir = '', common = '', prefix = ''] = out;
  return { top, gitDir, commonDir: path.resolve(root, common), prefix: prefix.replace(/\/$/, '') };
}

const roots = new Map<string, RegistryRoot>();
const found = new Map<string, string>();

/** The root for `dir` (default: the current directory), created once per process. */
export function registryRoot(dir?: string): RegistryRoot {
  const root = dir !== undefined ? path.resolve(dir) : defaultRoot();
  let r = roots.get(root);
  if (!r) roots.set(root, (r = new RegistryRoot(root)));
  else r.refresh();
  return r;
}

function defaultRoot(): string {
  const cwd = process.cwd();
  let root = found.get(cwd);
  if (root === undefined) found.set(cwd, (root = findRoot(cwd)));
  return root;
}

/** Forgets every root (tests, or an app that moved its checkout). */
export function forgetRoots(): void {
  roots.clear();
  found.clear();
}
