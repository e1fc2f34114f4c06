import { valueProblem } from '../core/prompt/parse';
import { resolveVars } from '../core/prompt/render';
import type { InputSpec, OutputSpec } from '../core/prompt/schema';
import { renderMessages } from '../core/prompt/template';
import type { ParsedPrompt } from '../core/prompt/types';
import { InputTypeError, MissingInputError, PromptInvalidError, type PromptSource } from './errors';
import type { GitStatus, LoadedPrompt, Message, PromptInput, PromptOutput } from './types';

/** What git says of the content; the loaders fill it in. */
export interface GitFacts {
  version: number | null;
  status: GitStatus;
  commit?: string;
}

export interface Located {
  parsed: ParsedPrompt;
  /** Path from the registry root, forward slashes. */
  path: string;
  blobSha: string;
}

/** Throws PromptInvalidError when the file has errors; `display` is the path put in the message. */
export function assertValid(at: Located, source: PromptSource, display: string): void {
  const errors = at.parsed.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length === 0) return;
  const problems = errors.map((d) => ({
    code: d.code,
    message: d.message,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
  }));
  throw new PromptInvalidError(source, display, problems);
}

/** The public, frozen view of a valid prompt. Shared by every caller, so nothing in it may be mutated. */
export function toLoaded(at: Located, facts: GitFacts, workspaceFallback: string | undefined): LoadedPrompt {
  const p = at.parsed;
  const inputs = Object.fromEntries(Object.entries(p.inputs).map(([name, spec]) => [name, toInput(spec)]));
  const render = (vars: Record<string, unknown> = {}): Message[] => renderChecked(p, vars);
  const fallbackModel = p.fallbackModel ?? workspaceFallback;
  return deepFreeze({
    id: p.id,
    version: facts.version,
    blobSha: at.blobSha,
    status: facts.status,
    dirty: facts.status === 'modified' || facts.status === 'untracked',
    ...(facts.commit ? { commit: facts.commit } : {}),
    path: at.path,
    model: p.model!,
    ...(fallbackModel ? { fallbackModel } : {}),
    params: { ...p.params },
    inputs,
    output: toOutput(p.output),
    render,
  });
}

function renderChecked(p: ParsedPrompt, vars: Record<string, unknown>): Message[] {
  const r = resolveVars(p, vars);
  if (r.problems.length) {
    // Classified from the resolved values, so the core stays the one place that fills defaults and checks types.
    const specs = Object.entries(p.inputs);
    const missing = specs.filter(([n, s]) => s.required && r.vars[n] === undefined).map(([n]) => n);
    if (missing.length) throw new MissingInputError(p.id, missing);
    const problems = specs.flatMap(([n, s]) => {
      const why = r.vars[n] === undefined ? undefined : valueProblem(s, r.vars[n]);
      return why ? [{ input: n, message: why }] : [];
    });
    throw new InputTypeError(p.id, problems);
  }
  return renderMessages(p.messages, r.vars);
}

function toInput(spec: InputSpec): PromptInput {
  return {
    type: spec.type ?? 'string',
    required: spec.required ?? false,
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    ...(spec.default !== undefined ? { default: spec.default } : {}),
    ...(spec.enum ? { enum: [...spec.enum] } : {}),
  };
}

function toOutput(out: OutputSpec | undefined): PromptOutput {
  return { format: out?.format ?? 'text', ...(out?.schema ? { schema: out.schema } : {}) };
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}
