import { valueProblem } from './parse';
import { renderMessages, type ChatMessage } from './template';
import type { ParsedPrompt } from './types';

export class RenderError extends Error {
  constructor(
    message: string,
    readonly problems: string[],
  ) {
    super(message);
    this.name = 'RenderError';
  }
}

/** Fills defaults and checks every value against its declared input before rendering. */
export function resolveVars(
  prompt: ParsedPrompt,
  vars: Record<string, unknown>,
): { vars: Record<string, unknown>; problems: string[] } {
  // Own keys only: an input named "constructor" must not find Object's.
  const out = Object.assign(Object.create(null) as Record<string, unknown>, vars);
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(prompt.inputs)) {
    if (!Object.hasOwn(out, name) || out[name] === undefined) {
      if (spec.default !== undefined) out[name] = spec.default;
    }
    if (out[name] === undefined) {
      if (spec.required) problems.push(`missing required input "${name}"`);
      continue;
    }
    const p = valueProblem(spec, out[name]);
    if (p) problems.push(`input "${name}": ${p}`);
  }
  return { vars: out, problems };
}

export function renderPrompt(prompt: ParsedPrompt, vars: Record<string, unknown>): ChatMessage[] {
  const r = resolveVars(prompt, vars);
  if (r.problems.length) throw new RenderError(`Cannot render "${prompt.id}": ${r.problems.join('; ')}`, r.problems);
  return renderMessages(prompt.messages, r.vars);
}

/** A command-line `name=value` becomes the declared type: numbers, booleans and JSON lists/objects are parsed. */
export function coerceVar(prompt: ParsedPrompt, name: string, value: string): unknown {
  const type = prompt.inputs[name]?.type ?? 'string';
  if (type === 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
