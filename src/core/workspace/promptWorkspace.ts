import * as path from 'node:path';
import { loadCatalog, type LoadedCatalog } from '../catalog/store';
import { CONFIG_FILE, loadConfig, parseConfig, type Env, type LoadedConfig } from '../config/load';
import type { Diagnostic } from '../diagnostics';
import { parsePrompt } from '../prompt/parse';
import type { ParsedPrompt } from '../prompt/types';
import { validatePolicy } from '../validation/validatePolicy';
import { validatePrompt, type ValidationContext } from '../validation/validatePrompt';
import { PromptFileSet } from './promptFiles';
import { readPromptFile, statFile } from './readPromptFile';

interface Entry {
  stamp: string;
  prompt?: ParsedPrompt;
  readError?: Diagnostic;
  /** Validation of this entry alone, dropped when the entry, config or catalog changes. */
  own?: Diagnostic[];
  /** Final diagnostics and the duplicate-id key they were built with, so unchanged files keep the same array. */
  final?: { dupKey: string; diagnostics: Diagnostic[] };
}

export interface WorkspaceOptions {
  env?: Env;
  now?: () => Date;
}

export const NO_CATALOG_NOTICE =
  'No model catalog at .prompt-registry/catalog.json, so model checks were skipped. Run "prompt-registry init" or "prompt-registry models refresh" to create one.';

/**
 * The prompts of one repository, parsed once and re-parsed only when a file
 * changes. Both the CLI and the extension validate through this class.
 */
export class PromptWorkspace {
  config!: LoadedConfig;
  catalog!: LoadedCatalog;
  files!: PromptFileSet;
  private readonly entries = new Map<string, Entry>();
  private readonly overlays = new Map<string, string>();
  private overlayVersion = 0;
  private readonly env: Env;
  private readonly now: () => Date;

  constructor(readonly root: string, opts: WorkspaceOptions = {}) {
    this.env = opts.env ?? process.env;
    this.now = opts.now ?? (() => new Date());
    this.reloadConfig();
    this.reloadCatalog();
  }

  /** Re-reads prompt-registry.yaml (or takes its unsaved text from an editor). Returns true when the prompt globs changed (a rescan is due). */
  reloadConfig(text?: string): boolean {
    const before = this.files?.globs.join('\n');
    this.config = text === undefined ? loadConfig(this.root, this.env) : parseConfig(text, path.join(this.root, CONFIG_FILE), this.env);
    this.files = new PromptFileSet(this.root, this.config.config.promptGlobs);
    this.invalidateValidation();
    return before !== undefined && before !== this.files.globs.join('\n');
  }

  reloadCatalog(): void {
    this.catalog = loadCatalog(this.root);
    this.invalidateValidation();
  }

  /** Lists prompt files and (re)parses those that changed since the last scan. */
  scan(): void {
    const listed = new Set(this.files.list());
    for (const f of this.overlays.keys()) if (this.files.contains(f)) listed.add(f);
    for (const f of [...this.entries.keys()]) if (!listed.has(f)) this.entries.delete(f);
    for (const f of listed) this.load(f);
  }

  /** Brings one file up to date after a change on disk. Returns false when it is not (or no longer) a prompt. */
  refreshFile(file: string): boolean {
    const abs = path.resolve(file);
    if (this.overlays.has(abs)) return true;
    if (!this.files.contains(abs)) return false;
    return this.load(abs);
  }

  /** Parses `abs` unless its stamp is unchanged; one stat per file, as scans of 10,000 files feel every syscall. */
  private load(abs: string): boolean {
    if (this.overlays.has(abs)) return true;
    const st = statFile(abs);
    if (!st || !st.stats.isFile()) {
      this.entries.delete(abs);
      return false;
    }
    if (this.entries.get(abs)?.stamp === st.stamp) return true;
    const read = readPromptFile(abs, st.stats);
    if (read.ok) this.entries.set(abs, { stamp: read.stamp, prompt: this.parse(abs, read.text) });
    else if (read.missing) this.entries.delete(abs);
    else this.entries.set(abs, { stamp: read.stamp, readError: read.diagnostic });
    return this.entries.has(abs);
  }

  /** Tracks a file outside the prompt globs, e.g. one named on the command line. */
  include(file: string): void {
    const abs = path.resolve(file);
    if (this.entries.has(abs)) return;
    const read = readPromptFile(abs);
    if (read.ok) this.entries.set(abs, { stamp: read.stamp, prompt: this.parse(abs, read.text) });
    else this.entries.set(abs, { stamp: read.stamp, readError: read.diagnostic });
  }

  /** Unsaved editor text wins over the file on disk until `clearOverlay`. */
  setOverlay(file: string, text: string): void {
    const abs = path.resolve(file);
    this.overlays.set(abs, text);
    this.entries.set(abs, { stamp: `overlay:${++this.overlayVersion}`, prompt: this.parse(abs, text) });
  }

  /** The disk is the truth again for `file` (its editor was saved, reverted or closed). */
  clearOverlay(file: string): void {
    const abs = path.resolve(file);
    if (this.overlays.delete(abs)) this.entries.delete(abs);
    this.refreshFile(abs);
  }

  remove(file: string): void {
    const abs = path.resolve(file);
    this.entries.delete(abs);
    this.overlays.delete(abs);
  }

  /** Forgets every prompt under a deleted folder; returns how many there were. */
  removeUnder(dir: string): number {
    const prefix = path.resolve(dir) + path.sep;
    let n = 0;
    for (const f of [...this.entries.keys()]) {
      if (f.startsWith(prefix) && !this.overlays.has(f)) {
        this.entries.delete(f);
        n++;
      }
    }
    return n;
  }

  prompts(): ParsedPrompt[] {
    const out: ParsedPrompt[] = [];
    for (const e of this.entries.values()) if (e.prompt) out.push(e.prompt);
    return out;
  }

  get(file: string): ParsedPrompt | undefined {
    return this.entries.get(path.resolve(file))?.prompt;
  }

  findById(id: string): ParsedPrompt | undefined {
    return this.prompts().find((p) => p.id === id);
  }

  get fileCount(): number {
    return this.entries.size;
  }

  /** Workspace-wide messages with no place in a file; said once, not per prompt. */
  notices(): string[] {
    const out = [...this.config.notices, ...this.policy().notices];
    if (!this.catalog.catalog) out.push(this.catalog.exists ? 'The model catalog is invalid, so model checks were skipped.' : NO_CATALOG_NOTICE);
    return out;
  }

  /** Diagnostics for every prompt file, plus the config and catalog files when they have problems. */
  validate(): Map<string, Diagnostic[]> {
    const ctx: ValidationContext = { config: this.config.config, catalog: this.catalog.catalog, now: this.now() };
    const byId = new Map<string, string[]>();
    for (const [file, e] of this.entries) {
      if (!e.prompt) continue;
      const list = byId.get(e.prompt.id);
      if (list) list.push(file);
      else byId.set(e.prompt.id, [file]);
    }
    const out = new Map<string, Diagnostic[]>();
    for (const [file, e] of this.entries) {
      if (!e.prompt) {
        out.set(file, [e.readError!]);
        continue;
      }
      e.own ??= validatePrompt(e.prompt, ctx);
      const others = (byId.get(e.prompt.id) ?? []).filter((f) => f !== file);
      // The key includes where the others' ids are, so a related location never goes stale.
      const dupKey = others.map((f) => `${f}@${this.entries.get(f)!.stamp}`).join('\n');
      if (!e.final || e.final.dupKey !== dupKey) {
        e.final = { dupKey, diagnostics: others.length ? [...e.own, duplicateDiagnostic(e.prompt, others, this.entries, (f) => this.files.relative(f) ?? f)] : e.own };
      }
      out.set(file, e.final.diagnostics);
    }
    if (this.config.exists) out.set(this.config.file, (this.configDiagnostics ??= [...this.config.diagnostics, ...this.policy().diagnostics]));
    if (this.catalog.exists) out.set(this.catalog.file, this.catalog.diagnostics);
    return out;
  }

  private policyCache?: ReturnType<typeof validatePolicy>;
  private configDiagnostics?: Diagnostic[];

  /** Policy checks on the config, cached until the config or catalog changes. */
  policy(): ReturnType<typeof validatePolicy> {
    return (this.policyCache ??= validatePolicy(this.config, this.catalog.catalog));
  }

  private parse(abs: string, text: string): ParsedPrompt {
    return parsePrompt(text, { file: abs, defaultId: this.files.idFor(abs) });
  }

  private invalidateValidation(): void {
    this.policyCache = undefined;
    this.configDiagnostics = undefined;
    for (const e of this.entries.values()) {
      e.own = undefined;
      e.final = undefined;
    }
  }
}

function duplicateDiagnostic(prompt: ParsedPrompt, others: string[], entries: Map<string, Entry>, rel: (f: string) => string): Diagnostic {
  const where = prompt.idExplicit ? prompt.ranges.get('id')?.value ?? prompt.headerRange : prompt.headerRange;
  return {
    severity: 'error',
    code: 'duplicate-id',
    message: `Prompt id "${prompt.id}" is also used by ${others.map(rel).join(', ')}; ids must be unique`,
    range: where,
    data: { id: prompt.id },
    related: others.map((f) => {
      const o = entries.get(f)?.prompt;
      return { file: f, range: (o?.idExplicit ? o.ranges.get('id')?.value : undefined) ?? o?.headerRange ?? where, message: `"${prompt.id}" is also defined here` };
    }),
  };
}
