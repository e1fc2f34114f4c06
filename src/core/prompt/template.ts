import Mustache from 'mustache';
import type { Diagnostic } from '../text/diagnostics';
import type { LineIndex } from '../text/lineIndex';
import type { MessageTemplate, Role, TemplateVariable } from './types';
import { errorMessage } from '../text/errorMessage';

/**
 * Templates are Mustache: logic-less, so rendering never runs code, and a value
 * is inserted once and never re-expanded, so an input containing `{{x}}` stays
 * literal. Our own writer has no template cache (10,000 prompts would fill it) and
 * no HTML escaping (prompts are not HTML).
 */
const writer = new Mustache.Writer();
(writer as unknown as { templateCache: undefined }).templateCache = undefined;
const NO_ESCAPE = { escape: (s: unknown) => String(s) };
const AS_JSON = {
  value(this: unknown) {
    return JSON.stringify(this);
  },
};

const ROLE_LINE = /^(system|user|assistant):[ \t]*$/gm;

export interface ChatMessage {
  role: Role;
  content: string;
}

/** Lines that are exactly `system:`, `user:` or `assistant:` start a message; text before the first is the system message. */
export function splitMessages(body: string, bodyOffset: number): MessageTemplate[] {
  const out: MessageTemplate[] = [];
  let role: Role = 'system';
  let segStart = 0;
  for (const m of body.matchAll(ROLE_LINE)) {
    out.push({ role, template: body.slice(segStart, m.index), offset: bodyOffset + segStart });
    role = m[1] as Role;
    let next = m.index + m[0].length;
    if (body[next] === '\r') next++;
    if (body[next] === '\n') next++;
    segStart = next;
  }
  out.push({ role, template: body.slice(segStart), offset: bodyOffset + segStart });
  // A leading empty system segment is just "no system message".
  return out.filter((m, i) => !(i === 0 && m.role === 'system' && m.template.trim() === ''));
}

type Token = [string, string, number, number, Token[]?, ...unknown[]];

/** The variables a template uses, with ranges, plus syntax problems as diagnostics. */
export function analyzeTemplate(
  messages: MessageTemplate[],
  lines: LineIndex,
): { variables: TemplateVariable[]; diagnostics: Diagnostic[] } {
  const variables: TemplateVariable[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const m of messages) {
    if (!m.template.includes('{{')) continue;
    const simple = simpleVariables(m.template);
    if (simple) {
      for (const v of simple)
        variables.push({ name: v.name, range: lines.rangeAt(m.offset + v.start, m.offset + v.end), inSection: false });
      continue;
    }
    let tokens: Token[];
    try {
      tokens = writer.parse(m.template) as unknown as Token[];
    } catch (e) {
      const message = errorMessage(e);
      const at = /at (\d+)/.exec(message);
      const offset = m.offset + (at ? Number(at[1]) : 0);
      diagnostics.push({
        severity: 'error',
        code: 'template-syntax',
        message: `Template error: ${message.replace(/ at \d+$/, '')}`,
        range: lines.rangeAt(offset, offset + 2),
      });
      continue;
    }
    collect(tokens, m.offset, false, variables, diagnostics, lines);
  }
  return { variables, diagnostics };
}

const SIMPLE_TAG = /\{\{\s*([A-Za-z_][\w.]*)\s*\}\}/y;

/**
 * The variables of a template made only of plain `{{name}}` tags, without
 * running Mustache's parser (a third of indexing time otherwise). Returns
 * undefined for anything else (sections, triple braces, comments, odd names),
 * which then goes through Mustache. A property test holds the two paths equal.
 */
export function simpleVariables(template: string): { name: string; start: number; end: number }[] | undefined {
  const out: { name: string; start: number; end: number }[] = [];
  for (let i = template.indexOf('{{'); i !== -1; i = template.indexOf('{{', SIMPLE_TAG.lastIndex)) {
    SIMPLE_TAG.lastIndex = i;
    const m = SIMPLE_TAG.exec(template);
    if (!m) return undefined;
    out.push({ name: m[1]!.split('.')[0]!, start: i, end: SIMPLE_TAG.lastIndex });
  }
  return out;
}

/** Variables as Mustache's own parser sees them (the reference for `simpleVariables`). */
export function mustacheVariables(template: string): { name: string; start: number; end: number }[] {
  const out: { name: string; start: number; end: number }[] = [];
  const walk = (tokens: Token[]) => {
    for (const t of tokens) {
      if ((t[0] === 'name' || t[0] === '&' || t[0] === '#' || t[0] === '^') && t[1] !== '.')
        out.push({ name: t[1].split('.')[0]!, start: t[2], end: t[3] });
      if (Array.isArray(t[4])) walk(t[4]);
    }
  };
  walk(writer.parse(template) as unknown as Token[]);
  return out;
}

function collect(
  tokens: Token[],
  base: number,
  inSection: boolean,
  vars: TemplateVariable[],
  diags: Diagnostic[],
  lines: LineIndex,
): void {
  for (const t of tokens) {
    const [kind, value, start, end] = t;
    if (kind === 'name' || kind === '&' || kind === '#' || kind === '^') {
      if (value !== '.') {
        vars.push({ name: value.split('.')[0]!, range: lines.rangeAt(base + start, base + end), inSection });
      }
    } else if (kind === '>') {
      diags.push({
        severity: 'warning',
        code: 'template-syntax',
        message: `Partials ({{> ${value}}}) are not supported; this renders as empty text`,
        range: lines.rangeAt(base + start, base + end),
      });
    }
    if ((kind === '#' || kind === '^') && Array.isArray(t[4])) {
      collect(t[4], base, inSection || kind === '#', vars, diags, lines);
    }
  }
}

/**
 * Renders each message with plain data only: functions and prototype members in
 * `vars` are dropped first, because Mustache would call a function it finds.
 */
export function renderMessages(messages: MessageTemplate[], vars: Record<string, unknown>): ChatMessage[] {
  const view = toPlainData(vars);
  return messages
    .map((m) => ({ role: m.role, content: trimBlankLines(writer.render(m.template, view, {}, NO_ESCAPE as never)) }))
    .filter((m, _i, all) => m.content !== '' || all.length === 1);
}

export function toPlainData(v: unknown, depth = 0): unknown {
  if (depth > 64) return undefined;
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map((x) => toPlainData(x, depth + 1));
  if (typeof v === 'object') {
    // No prototype: `{{constructor}}` must not reach Object's members.
    const out = Object.create(null, { [Symbol.toPrimitive]: AS_JSON }) as Record<string, unknown>;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const p = toPlainData(x, depth + 1);
      if (p !== undefined) out[k] = p;
    }
    return out;
  }
  return undefined;
}

function trimBlankLines(s: string): string {
  return s
    .replace(/^(?:[ \t]*(?:\r\n|\n|\r))+/, '')
    .replace(/(?:\r\n|\n|\r)[ \t]*$/g, '')
    .replace(/\s+$/, '');
}
