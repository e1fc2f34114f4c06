import type { Catalog } from '../catalog/types';
import type { Env, ResolvedConfig } from '../config/load';
import { PromptWorkspace, type WorkspaceOptions } from '../workspace/promptWorkspace';
import { SuiteWorkspace } from '../workspace/suiteWorkspace';

/** One registry as both hosts see it: its config, catalog, prompts and suites. */
export interface Project {
  readonly root: string;
  readonly prompts: PromptWorkspace;
  readonly suites: SuiteWorkspace;
  readonly config: ResolvedConfig;
  readonly catalog: Catalog | undefined;
  /** Registry-relative path with forward slashes, for reports (the absolute path outside the registry). */
  relative(file: string): string;
}

export interface OpenOptions {
  env?: Env;
  /** The day models are checked against (shutdown dates); tests fix it. */
  now?: () => Date;
  /** Keep prompt results across runs (the CLI's `check`). */
  cache?: WorkspaceOptions['cache'];
}

/** Reads the config and the catalog, and scans the prompts and the suites. */
export function openProject(root: string, opts: OpenOptions = {}): Project {
  const prompts = new PromptWorkspace(root, { env: opts.env, now: opts.now, cache: opts.cache });
  prompts.scan();
  const suites = new SuiteWorkspace(prompts);
  suites.scan();
  return projectOf(prompts, suites);
}

/** A project over workspaces a host already keeps up to date (the extension's, updated by file events). */
export function projectOf(prompts: PromptWorkspace, suites: SuiteWorkspace): Project {
  return {
    root: prompts.root,
    prompts,
    suites,
    // Getters: a reloaded config or catalog is seen at once.
    get config() {
      return prompts.settings;
    },
    get catalog() {
      return prompts.modelCatalog;
    },
    relative: (file) => prompts.files.relative(file) ?? file,
  };
}
