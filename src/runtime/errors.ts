/** Where a prompt was asked for, so every error can say it. */
export interface PromptSource {
  id: string;
  /** The registry root (folder of prompt-registry.yaml). */
  root: string;
  label?: string;
  ref?: string;
}

function where(s: PromptSource): string {
  return s.label ? ` at label "${s.label}"` : s.ref ? ` at ref "${s.ref}"` : ' in the working tree';
}

/** Base class: `code` tells the kinds apart without instanceof across bundle copies. */
export class PromptRegistryError extends Error {
  constructor(
    message: string,
    readonly code: 'not-found' | 'invalid' | 'missing-input' | 'invalid-input' | 'git',
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** No prompt has this id at that place: unknown id, label not published, or a ref git does not know. */
export class PromptNotFoundError extends PromptRegistryError {
  constructor(
    readonly source: PromptSource,
    readonly reason: string,
  ) {
    super(`Prompt "${source.id}" not found${where(source)}: ${reason}`, 'not-found');
  }
}

/** One problem in a prompt file; line and column are 1-based (columns count UTF-16 units, as editors do). */
export interface PromptProblem {
  code: string;
  message: string;
  line: number;
  column: number;
}

/** The prompt exists but cannot be used: the first error is in the message as file:line:column. */
export class PromptInvalidError extends PromptRegistryError {
  readonly line: number;
  readonly column: number;

  constructor(
    readonly source: PromptSource,
    readonly file: string,
    readonly problems: PromptProblem[],
  ) {
    const first = problems[0] ?? { code: 'invalid', message: 'invalid prompt', line: 1, column: 1 };
    super(
      `${file}:${first.line}:${first.column}: ${first.message} (${first.code})${problems.length > 1 ? ` and ${problems.length - 1} more` : ''}`,
      'invalid',
    );
    this.line = first.line;
    this.column = first.column;
  }
}

/** `render` was called without a required input that has no default. */
export class MissingInputError extends PromptRegistryError {
  constructor(
    readonly promptId: string,
    readonly inputs: string[],
  ) {
    super(
      `Cannot render "${promptId}": missing required input${inputs.length > 1 ? 's' : ''} ${inputs.map((n) => `"${n}"`).join(', ')}`,
      'missing-input',
    );
  }
}

/** A value does not fit its declared input (type or enum). The message names inputs, never values. */
export class InputTypeError extends PromptRegistryError {
  constructor(
    readonly promptId: string,
    readonly problems: { input: string; message: string }[],
  ) {
    super(
      `Cannot render "${promptId}": ${problems.map((p) => `input "${p.input}": ${p.message}`).join('; ')}`,
      'invalid-input',
    );
  }
}

/** A label or ref was asked for and git could not answer: no git binary, or the root is not in a repository. */
export class PromptGitError extends PromptRegistryError {
  constructor(
    readonly source: PromptSource,
    readonly kind: string,
    reason: string,
  ) {
    super(`Cannot load "${source.id}"${where(source)}: ${reason}`, 'git');
  }
}
