import * as path from 'node:path';
import picomatch from 'picomatch';
import { globSync } from 'tinyglobby';
import type { Diagnostic } from '../diagnostics';
import type { ParsedPrompt } from '../prompt/types';
import { readPromptFile, statFile } from '../workspace/readPromptFile';
import type { PromptWorkspace } from '../workspace/promptWorkspace';
import { parseSuite, SUITE_SUFFIX } from './parse';
import type { ParsedSuite } from './types';
import { validateSuite } from './validate';

const IGNORE = ['**/node_modules/**', '**/.git/**', '**/.prompt-registry/**'];

interface Entry {
  stamp: string;
  suite?: ParsedSuite;
  readError?: Diagnostic;
}

/**
 * The `*.suite.yaml` files under the prompts root(s) of a workspace, parsed
 * once and re-parsed when they change. Prompts come from the PromptWorkspace,
 * which the caller keeps scanned.
 */
export class SuiteWorkspace {
  private readonly entries = new Map<string, Entry>();
  private readonly overlays = new Set<string>();

  constructor(readonly ws: PromptWorkspace) {}

  /** The prompts roots are the fixed prefixes of the prompt globs: `prompts/**\/*.md` gives `prompts/**\/*.suite.yaml`. */
  globs(): string[] {
    const bases = new Set(this.ws.config.config.promptGlobs.map((g) => picomatch.scan(g).base.replace(/\/$/, '')));
    return [...bases].map((b) => (b ? `${b}/**/*${SUITE_SUFFIX}` : `**/*${SUITE_SUFFIX}`));
  }

  contains(file: string): boolean {
    const rel = this.ws.files.relative(path.resolve(file));
    return rel !== undefined && !picomatch(IGNORE)(rel) && picomatch(this.globs())(rel);
  }

  list(): string[] {
    return globSync(this.globs(), { cwd: this.ws.root, absolute: true, ignore: IGNORE, onlyFiles: true, dot: false, followSymbolicLinks: false })
      .map((p) => path.normalize(p))
      .sort();
  }

  scan(): void {
    const listed = new Set(this.list());
    for (const f of this.overlays) listed.add(f);
    for (const f of [...this.entries.keys()]) if (!listed.has(f)) this.entries.delete(f);
    for (const f of listed) this.load(f);
  }

  /** Brings one file up to date after a change on disk; false when it is not (or no longer) a suite. */
  refreshFile(file: string): boolean {
    const abs = path.resolve(file);
    if (this.overlays.has(abs)) return true;
    if (!this.contains(abs)) return false;
    return this.load(abs);
  }

  /** Tracks a suite file outside the globs, e.g. one named on the command line. */
  include(file: string): void {
    const abs = path.resolve(file);
    if (!this.entries.has(abs)) this.load(abs);
  }

  setOverlay(file: string, text: string): void {
    const abs = path.resolve(file);
    this.overlays.add(abs);
    this.entries.set(abs, { stamp: 'overlay', suite: parseSuite(text, abs) });
  }

  clearOverlay(file: string): void {
    const abs = path.resolve(file);
    if (!this.overlays.delete(abs)) return;
    this.entries.delete(abs);
    this.refreshFile(abs);
  }

  remove(file: string): void {
    this.entries.delete(path.resolve(file));
  }

  suites(): ParsedSuite[] {
    const out: ParsedSuite[] = [];
    for (const e of this.entries.values()) if (e.suite) out.push(e.suite);
    return out;
  }

  get(file: string): ParsedSuite | undefined {
    return this.entries.get(path.resolve(file))?.suite;
  }

  /** The prompt a suite tests: its `prompt` id, else the sibling `<base>.md`. */
  promptFor(suite: ParsedSuite): ParsedPrompt | undefined {
    if (suite.prompt !== undefined) return this.ws.findById(suite.prompt);
    return suite.file ? this.ws.get(siblingPromptFile(suite.file)) : undefined;
  }

  /** Diagnostics for every suite file (read errors included). */
  validate(): Map<string, Diagnostic[]> {
    const ctx = { config: this.ws.config.config, catalog: this.ws.catalog.catalog, now: new Date() };
    const ids = this.ws.prompts().map((p) => p.id);
    const out = new Map<string, Diagnostic[]>();
    for (const [file, e] of this.entries) {
      if (!e.suite) {
        out.set(file, [e.readError!]);
        continue;
      }
      const sibling = this.ws.files.relative(siblingPromptFile(file)) ?? path.basename(siblingPromptFile(file));
      out.set(file, validateSuite(e.suite, { ...ctx, prompt: this.promptFor(e.suite), promptIds: ids, siblingFile: path.basename(sibling) }));
    }
    return out;
  }

  private load(abs: string): boolean {
    const st = statFile(abs);
    if (!st || !st.stats.isFile()) {
      this.entries.delete(abs);
      return false;
    }
    if (this.entries.get(abs)?.stamp === st.stamp) return true;
    const read = readPromptFile(abs, st.stats);
    if (read.ok) this.entries.set(abs, { stamp: read.stamp, suite: parseSuite(read.text, abs) });
    else if (read.missing) this.entries.delete(abs);
    else this.entries.set(abs, { stamp: read.stamp, readError: read.diagnostic });
    return this.entries.has(abs);
  }
}

/** `prompts/support/triage.suite.yaml` → `prompts/support/triage.md`. */
export function siblingPromptFile(suiteFile: string): string {
  return suiteFile.slice(0, -SUITE_SUFFIX.length) + '.md';
}
