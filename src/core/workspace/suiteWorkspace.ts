import * as path from 'node:path';
import picomatch from 'picomatch';
import type { Diagnostic } from '../text/diagnostics';
import type { ParsedPrompt } from '../prompt/types';
import { IndexedFiles } from './indexedFiles';
import { IGNORE, listFiles } from './promptFiles';
import type { PromptWorkspace } from './promptWorkspace';
import { parseSuite, SUITE_SUFFIX } from '../suite/parse';
import type { ParsedSuite } from '../suite/types';
import { validateSuite } from '../validation/validateSuite';

/**
 * The `*.suite.yaml` files under the prompts root(s) of a workspace, parsed
 * once and re-parsed when they change. Prompts come from the PromptWorkspace,
 * which the caller keeps scanned.
 */
export class SuiteWorkspace extends IndexedFiles<ParsedSuite> {
  constructor(readonly ws: PromptWorkspace) {
    super();
  }

  protected parseFile(abs: string, text: string): ParsedSuite {
    return parseSuite(text, abs);
  }

  /** The prompts roots are the fixed prefixes of the prompt globs: `prompts/**\/*.md` gives `prompts/**\/*.suite.yaml`. */
  globs(): string[] {
    const bases = new Set(this.ws.settings.promptGlobs.map((g) => picomatch.scan(g).base.replace(/\/$/, '')));
    return [...bases].map((b) => (b ? `${b}/**/*${SUITE_SUFFIX}` : `**/*${SUITE_SUFFIX}`));
  }

  contains(file: string): boolean {
    const rel = this.ws.files.relative(path.resolve(file));
    return rel !== undefined && !picomatch(IGNORE)(rel) && picomatch(this.globs())(rel);
  }

  list(): string[] {
    return listFiles(this.ws.root, this.globs());
  }

  suites(): ParsedSuite[] {
    return this.index.values();
  }

  /** The prompt a suite tests: its `prompt` id, else the sibling `<base>.md`. */
  promptFor(suite: ParsedSuite): ParsedPrompt | undefined {
    if (suite.prompt !== undefined) return this.ws.findById(suite.prompt);
    return suite.file ? this.ws.get(siblingPromptFile(suite.file)) : undefined;
  }

  /** Diagnostics for every suite file (read errors included). */
  validate(): Map<string, Diagnostic[]> {
    const ctx = {
      config: this.ws.settings,
      catalog: this.ws.modelCatalog,
      stored: this.ws.catalog.stored,
      now: new Date(),
    };
    const ids = this.index.size ? this.ws.ids() : [];
    const out = new Map<string, Diagnostic[]>();
    for (const [file, e] of this.index.all()) {
      if (!e.value) {
        out.set(file, [e.readError!]);
        continue;
      }
      const sibling = this.ws.files.relative(siblingPromptFile(file)) ?? path.basename(siblingPromptFile(file));
      out.set(
        file,
        validateSuite(e.value, {
          ...ctx,
          prompt: this.promptFor(e.value),
          promptIds: ids,
          siblingFile: path.basename(sibling),
        }),
      );
    }
    return out;
  }
}

/** `prompts/support/triage.suite.yaml` → `prompts/support/triage.md`. */
export function siblingPromptFile(suiteFile: string): string {
  return suiteFile.slice(0, -SUITE_SUFFIX.length) + '.md';
}
