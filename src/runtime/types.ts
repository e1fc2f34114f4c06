/**
 * The public types of `prompt-registry/runtime`. They are plain (no zod or
 * yaml types) so the emitted declarations need nothing outside this package;
 * `toRuntimeInput` and friends in prompt.ts are type-checked against the core types.
 */

export interface LoadOptions {
  /** A publish label (git tag `prompt-registry/<id>/<label>`), e.g. "production". */
  label?: string;
  /** A git ref (sha, branch, tag, `HEAD~1`). Ignored when `label` is set. */
  ref?: string;
  /** The registry root (folder of prompt-registry.yaml); default: the nearest one above the current directory. */
  root?: string;
}

export interface Message {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export type InputType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array';

/** A declared input, defaults filled in (`type` "string", `required` false). */
export interface PromptInput {
  type: InputType;
  required: boolean;
  description?: string;
  default?: unknown;
  enum?: (string | number | boolean)[];
}

export interface PromptOutput {
  format: 'text' | 'json';
  /** JSON Schema of the answer when `format` is json. */
  schema?: Record<string, unknown>;
}

/**
 * Where the loaded content stands in git.
 * - `committed`: byte-identical to the file at `commit`; `version` is set unless git cannot number it (shallow clone).
 * - `modified`: a working-tree file with uncommitted changes.
 * - `untracked`: a working-tree file never committed.
 * - `no-git`: a working-tree file outside any repository (or git is not installed).
 */
export type GitStatus = 'committed' | 'modified' | 'untracked' | 'no-git';

export interface LoadedPrompt {
  id: string;
  /**
   * Version N: the Nth commit that touched the file, oldest first, following renames,
   * for the commit the content was read at. `null` whenever the content is not
   * exactly a committed version (see `status`) or the history is truncated.
   */
  version: number | null;
  /** The git blob sha of the content (`git hash-object`): always set, also for uncommitted content. */
  blobSha: string;
  status: GitStatus;
  /** True for uncommitted working-tree content (`status` modified or untracked). */
  dirty: boolean;
  /** The commit read (ref or label), or HEAD for a committed working-tree file. */
  commit?: string;
  label?: string;
  /** Path from the registry root, forward slashes. */
  path: string;
  model: string;
  /** The prompt's `fallback_model`, else the workspace's `fallbackModel` / LLM_FALLBACK_MODEL. */
  fallbackModel?: string;
  params: { temperature?: number; max_tokens?: number; top_p?: number };
  inputs: Record<string, PromptInput>;
  output: PromptOutput;
  /**
   * The chat messages with `vars` filled in. Throws MissingInputError or
   * InputTypeError; values are checked against the declared inputs first.
   */
  render(vars?: Record<string, unknown>): Message[];
}
