import * as path from 'node:path';
import { configuredCatalog, unconfiguredNotice, unconfiguredProviders } from '../catalog/configured';
import { loadCatalog, type LoadedCatalog } from '../catalog/store';
import type { Catalog } from '../catalog/types';
import { CONFIG_FILE, loadConfig, parseConfig, type Env, type LoadedConfig, type ResolvedConfig } from '../config/load';
import type { Diagnostic } from '../text/diagnostics';
import { parsePrompt } from '../prompt/parse';
import type { ParsedPrompt } from '../prompt/types';
import { CheckCache, type CachedPrompt } from '../validation/checkCache';
import { validatePolicy } from '../validation/validatePolicy';
import { validatePrompt, type ValidationContext } from '../validation/validatePrompt';
import { PromptFileSet } from './promptFiles';
import type { IndexedFile } from './fileIndex';
import { IndexedFiles } from './indexedFiles';

/** Per-file validation caches, dropped with the file's entry or when config or catalog changes. */
interface Checked {
  /** Validation of this file alone. */
  own?: Diagnostic[];
  /** Final diagnostics and the duplicate-id key they were built with, so unchanged files keep the same array. */
  final?: { dupKey: string; diagnostics: Diagnostic[] };
}

export interface WorkspaceOptions {
  env?: Env;
  now?: () => Date;
  /** Keep results across runs in this file (`check`; see CheckCache), under this tool version. */
  cache?: { file: string; toolVersion: string; clock?: () => number };
}

export const NO_CATALOG_NOTICE =
  'No model catalog at .prompt-registry/catalog.json, so model checks were skipped. Run "prompt-registry init" or "prompt-registry models refresh" to create one.';

/**
 * The prompts of one repository, parsed once and re-parsed only when a file
 * changes. Both the CLI and the extension validate through this class.
 */
export class PromptWorkspace extends IndexedFiles<ParsedPrompt> {
  config!: LoadedConfig;
  catalog!: LoadedCatalog;
  files!: PromptFileSet;
  private checked = new WeakMap<IndexedFile<ParsedPrompt>, Checked>();
  private readonly env: Env;
  private readonly now: () => Date;
  private readonly cacheOptions?: WorkspaceOptions['cache'];
  /** Made on first use and dropped with the other caches when config or catalog changes: its key depends on them. */
  private cacheState?: CheckCache;

  constructor(
    readonly root: string,
    opts: WorkspaceOptions = {},
  ) {
    super();
    this.env = opts.env ?? process.env;
    this.now = opts.now ?? (() => new Date());
    this.cacheOptions = opts.cache;
    this.reloadConfig();
    this.reloadCatalog();
  }

  /** The configuration in effect: defaults and environment overrides applied. */
  get settings(): ResolvedConfig {
    return this.config.config;
  }

  /** The model catalog, or undefined when there is none or it is unusable (model checks are then skipped). */
  get modelCatalog(): Catalog | undefined {
    return this.catalog.catalog;
  }

  /**
   * Re-reads prompt-registry.yaml (or takes its unsaved text from an editor).
   * Returns true when the prompt globs changed (a rescan is due).
   */
  reloadConfig(text?: string): boolean {
    const before = this.files?.globs.join('\n');
    this.config =
      text === undefined
        ? loadConfig(this.root, this.env)
        : parseConfig(text, path.join(this.root, CONFIG_FILE), this.env);
    this.files = new PromptFileSet(this.root, this.settings.promptGlobs);
    // Which providers count, and their declared models, come from the config.
    if (this.loadedCatalog) this.catalog = this.configure(this.loadedCatalog);
    this.invalidateValidation();
    return before !== undefined && before !== this.files.globs.join('\n');
  }

  reloadCatalog(): void {
    this.loadedCatalog = loadCatalog(this.root);
    this.catalog = this.configure(this.loadedCatalog);
    this.invalidateValidation();
  }

  /** catalog.json as read; `catalog` is its configured view, rebuilt when the config changes. */
  private loadedCatalog?: LoadedCatalog;

  private configure(loaded: LoadedCatalog): LoadedCatalog {
    const stored = loaded.catalog;
    // An unreadable file stays unusable: declared models do not paper over it.
    const catalog = loaded.exists && !stored ? undefined : configuredCatalog(stored, this.config.config, this.now());
    return { ...loaded, stored, catalog };
  }

  list(): string[] {
    return this.files.list();
  }

  contains(file: string): boolean {
    return this.files.contains(path.resolve(file));
  }

  prompts(): ParsedPrompt[] {
    return this.index.values();
  }

  findById(id: string): ParsedPrompt | undefined {
    for (const [file, e] of this.index.all()) if (this.idOf(file, e) === id) return e.value;
    return undefined;
  }

  /** Every prompt's id, without reading the files the persistent cache knows. */
  ids(): string[] {
    const out: string[] = [];
    for (const [file, e] of this.index.all()) {
      const id = this.idOf(file, e);
      if (id !== undefined) out.push(id);
    }
    return out;
  }

  private idOf(file: string, e: IndexedFile<ParsedPrompt>): string | undefined {
    return this.cacheState?.lookup(file, e.stamp)?.id ?? e.value?.id;
  }

  /** Workspace-wide messages with no place in a file; said once, not per prompt. */
  notices(): string[] {
    const out = [...this.config.notices, ...this.policy().notices];
    if (!this.modelCatalog)
      out.push(this.catalog.exists ? 'The model catalog is invalid, so model checks were skipped.' : NO_CATALOG_NOTICE);
    else if (this.catalog.stored) {
      const gone = unconfiguredProviders(this.catalog.stored, this.settings);
      if (gone.length) out.push(unconfiguredNotice(gone));
    }
    return out;
  }

  /** Diagnostics for every prompt file, plus the config and catalog files when they have problems. */
  validate(): Map<string, Diagnostic[]> {
    const ctx: ValidationContext = {
      config: this.settings,
      catalog: this.modelCatalog,
      stored: this.catalog.stored,
      now: this.now(),
    };
    const cache = this.checkCache();
    // A file the cache knows is neither read nor parsed (its entry is deferred) unless a duplicate id needs it.
    const files: { file: string; e: IndexedFile<ParsedPrompt>; hit?: CachedPrompt }[] = [];
    const byId = new Map<string, string[]>();
    for (const [file, e] of this.index.all()) {
      const hit = cache?.lookup(file, e.stamp);
      files.push({ file, e, hit });
      const id = hit?.id ?? e.value?.id;
      if (id === undefined) continue;
      const list = byId.get(id);
      if (list) list.push(file);
      else byId.set(id, [file]);
    }
    const out = new Map<string, Diagnostic[]>();
    for (const { file, e, hit } of files) {
      if (!hit && !e.value) {
        out.set(file, [e.readError!]);
        continue;
      }
      let c = this.checked.get(e);
      if (!c) this.checked.set(e, (c = {}));
      if (!c.own) {
        c.own = hit ? hit.diagnostics : validatePrompt(e.value!, ctx);
        if (!hit) cache?.record(file, e.stamp, { id: e.value!.id, diagnostics: c.own });
      }
      const id = hit ? hit.id : e.value!.id;
      const others = (byId.get(id) ?? []).filter((f) => f !== file);
      // The key includes where the others' ids are, so a related location never goes stale.
      const dupKey = others.map((f) => `${f}@${this.index.entry(f)!.stamp}`).join('\n');
      if (!c.final || c.final.dupKey !== dupKey) {
        c.final = {
          dupKey,
          diagnostics: others.length
            ? [
                ...c.own,
                duplicateDiagnostic(
                  e.value!,
                  others,
                  (f) => this.index.get(f),
                  (f) => this.files.relative(f) ?? f,
                ),
              ]
            : c.own,
        };
      }
      out.set(file, c.final.diagnostics);
    }
    if (this.config.exists)
      out.set(
        this.config.file,
        (this.configDiagnostics ??= [...this.config.diagnostics, ...this.policy().diagnostics]),
      );
    if (this.catalog.exists) out.set(this.catalog.file, this.catalog.diagnostics);
    return out;
  }

  /** Writes the persistent cache (when this workspace keeps one) with what the last `validate` used and found. */
  saveCache(): void {
    this.cacheState?.save();
  }

  private checkCache(): CheckCache | undefined {
    if (!this.cacheOptions) return undefined;
    return (this.cacheState ??= new CheckCache(path.resolve(this.root, this.cacheOptions.file), {
      root: this.root,
      toolVersion: this.cacheOptions.toolVersion,
      clock: this.cacheOptions.clock,
      config: this.settings,
      catalog: this.modelCatalog,
      stored: this.catalog.stored,
      now: this.now(),
    }));
  }

  protected override reuses(abs: string, stamp: string): boolean {
    return this.checkCache()?.lookup(abs, stamp) !== undefined;
  }

  private policyCache?: ReturnType<typeof validatePolicy>;
  private configDiagnostics?: Diagnostic[];

  /** Policy checks on the config, cached until the config or catalog changes. */
  policy(): ReturnType<typeof validatePolicy> {
    return (this.policyCache ??= validatePolicy(this.config, this.modelCatalog, this.catalog.stored, this.now()));
  }

  protected parseFile(abs: string, text: string): ParsedPrompt {
    return parsePrompt(text, { file: abs, defaultId: this.files.idFor(abs) });
  }

  private invalidateValidation(): void {
    this.policyCache = undefined;
    this.configDiagnostics = undefined;
    this.checked = new WeakMap();
    this.cacheState = undefined;
  }
}

function duplicateDiagnostic(
  prompt: ParsedPrompt,
  others: string[],
  promptAt: (f: string) => ParsedPrompt | undefined,
  rel: (f: string) => string,
): Diagnostic {
  const where = prompt.idExplicit ? (prompt.rangeOf('id')?.value ?? prompt.headerRange) : prompt.headerRange;
  return {
    severity: 'error',
    code: 'duplicate-id',
    message: `Prompt id "${prompt.id}" is also used by ${others.map(rel).join(', ')}; ids must be unique`,
    range: where,
    data: { id: prompt.id },
    related: others.map((f) => {
      const o = promptAt(f);
      return {
        file: f,
        range: (o?.idExplicit ? o.rangeOf('id')?.value : undefined) ?? o?.headerRange ?? where,
        message: `"${prompt.id}" is also defined here`,
      };
    }),
  };
}
