import * as path from 'node:path';
import type { Catalog, CatalogModel } from '../catalog/types';
import type { LoadedConfig } from '../config/load';
import type { LoadedCatalog } from '../catalog/store';
import type { ParsedPrompt } from '../prompt/types';
import type { PromptWorkspace } from '../workspace/promptWorkspace';
import { modelFacts, modelStatus, type ModelStatus } from './modelStatus';

/** What the views need from a workspace; PromptWorkspace is one. */
export type ViewSource = Pick<PromptWorkspace, 'root' | 'prompts'> & {
  config: Pick<LoadedConfig, 'config'>;
  catalog: Pick<LoadedCatalog, 'catalog' | 'stored'>;
  files: Pick<PromptWorkspace['files'], 'relative' | 'idFor'>;
};

/** Everything the views show about one prompt, derived once per parse. */
export interface PromptInfo {
  readonly prompt: ParsedPrompt;
  /** Absolute path. */
  readonly file: string;
  /** Repository-relative, with forward slashes. */
  readonly relPath: string;
  /** Folders under the prompt glob's base ("prompts/"), outermost first. */
  readonly folders: readonly string[];
  /** The prompt's name, else its file name without ".md". */
  readonly label: string;
  /** The model's label when one is configured, else the model as written. */
  readonly description: string;
  readonly status: ModelStatus;
  /** Which model group it belongs to: the catalog model when it resolves, else the text as written. */
  readonly modelKey: string;
  readonly tags: readonly string[];
  /** Compares with `<` in natural order ("Prompt 9" before "Prompt 10"), case and accents ignored. */
  readonly sortKey: string;
}

export interface IndexChange {
  /** The config or catalog changed: every prompt was derived again. */
  reset: boolean;
  /** Infos that left the index (removed files, and the old info of changed files). */
  removed: PromptInfo[];
  /** Infos that entered it (new files, and the new info of changed files). */
  added: PromptInfo[];
}

export const NO_MODEL_KEY = '\u0000none';

/**
 * Per-prompt view data of one workspace, kept by file. The core hands back the
 * same ParsedPrompt object for a file that did not change, so an update
 * re-derives only the prompts whose object is new: one edit among 5,000
 * prompts costs one derivation plus an identity check per prompt.
 */
export class PromptIndex {
  private readonly byFile = new Map<string, PromptInfo>();
  private config?: unknown;
  private catalog?: unknown;
  private usageCache?: Map<CatalogModel, number>;
  /** How many PromptInfos were derived so far; tests and benchmarks read it. */
  derived = 0;

  constructor(
    readonly ws: ViewSource,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Brings the index up to date with the workspace and says what changed. */
  update(): IndexChange {
    const prompts = this.ws.prompts();
    // PromptWorkspace replaces these objects on every reload, so identity tells a change.
    const reset = this.config !== this.ws.config || this.catalog !== this.ws.catalog;
    if (reset) {
      this.config = this.ws.config;
      this.catalog = this.ws.catalog;
      const removed = [...this.byFile.values()];
      this.byFile.clear();
      const added = prompts.map((p) => this.add(p));
      this.usageCache = undefined;
      return { reset: true, removed, added };
    }
    const removed: PromptInfo[] = [];
    const added: PromptInfo[] = [];
    for (const p of prompts) {
      const old = this.byFile.get(fileOf(p));
      if (old?.prompt === p) continue;
      if (old) removed.push(old);
      added.push(this.add(p));
    }
    // Only when more files are indexed than listed did one disappear: skip the set otherwise.
    if (this.byFile.size > prompts.length) {
      const present = new Set(prompts.map(fileOf));
      for (const [file, info] of this.byFile) {
        if (present.has(file)) continue;
        this.byFile.delete(file);
        removed.push(info);
      }
    }
    if (removed.length || added.length) this.usageCache = undefined;
    return { reset: false, removed, added };
  }

  infos(): IterableIterator<PromptInfo> {
    return this.byFile.values();
  }

  get(file: string): PromptInfo | undefined {
    return this.byFile.get(file);
  }

  get size(): number {
    return this.byFile.size;
  }

  /** How many prompts use each catalog model, as of the last update. */
  usage(): Map<CatalogModel, number> {
    if (!this.usageCache) {
      this.usageCache = new Map();
      for (const i of this.byFile.values()) {
        const m = i.status.model;
        if (m) this.usageCache.set(m, (this.usageCache.get(m) ?? 0) + 1);
      }
    }
    return this.usageCache;
  }

  /** Prompts that use `model`, as of the last update. */
  using(model: CatalogModel): PromptInfo[] {
    return [...this.byFile.values()].filter((i) => i.status.model === model);
  }

  private add(p: ParsedPrompt): PromptInfo {
    const info = describePrompt(p, this.ws, this.ws.catalog.catalog, this.now(), this.ws.catalog.stored);
    this.byFile.set(info.file, info);
    this.derived++;
    return info;
  }
}

function fileOf(p: ParsedPrompt): string {
  return p.file ?? p.id;
}

/** Derives the view data of one prompt. */
export function describePrompt(
  prompt: ParsedPrompt,
  ws: Pick<ViewSource, 'config' | 'files'>,
  catalog: Catalog | undefined,
  now: Date,
  stored?: Catalog,
): PromptInfo {
  const file = fileOf(prompt);
  const status = modelStatus(prompt, { config: ws.config.config, catalog, stored, now });
  const underBase = ws.files.idFor(file);
  const folders = underBase.split('/').slice(0, -1);
  const label = prompt.name?.trim() || path.basename(file).replace(/\.md$/i, '');
  return {
    prompt,
    file,
    relPath: ws.files.relative(file) ?? file,
    folders,
    label,
    description: status.ref === undefined ? 'no model' : status.label,
    status,
    modelKey: status.model ? `${status.model.provider}/${status.model.id}` : (status.ref ?? NO_MODEL_KEY),
    tags: prompt.tags,
    sortKey: naturalKey(label),
  };
}

/**
 * A key that plain string comparison sorts like a numeric, case- and
 * accent-insensitive collator would, for the common cases. Groups of 5,000
 * prompts sort an order of magnitude faster this way than with Intl.Collator.
 */
export function naturalKey(s: string): string {
  return (
    s
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      // Each number is prefixed with its digit count, so 9 (19) sorts before 10 (210).
      .replace(/\d+/g, (d) => {
        const n = d.replace(/^0+(?=\d)/, '');
        return `${String.fromCharCode(0x30 + Math.min(n.length, 40))}${n}`;
      })
  );
}

/** The tooltip of a prompt, as plain lines: the problem first, then the model's price and context window. */
export interface PromptTooltip {
  title: string;
  path: string;
  problem?: { severity: 'warning' | 'error'; message: string };
  /** No problem, but something worth saying (no catalog yet). */
  note?: string;
  model: string[];
}

export function promptTooltip(info: PromptInfo): PromptTooltip {
  const s = info.status;
  const out: PromptTooltip = { title: info.label, path: info.relPath, model: [] };
  if (s.severity !== 'ok' && s.message) out.problem = { severity: s.severity, message: s.message };
  else if (s.message) out.note = s.message;
  if (s.model) out.model = modelFacts(s.model, s.label);
  else if (s.ref) out.model = [`Model: ${s.ref}`];
  return out;
}
