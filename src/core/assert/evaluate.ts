import { isDeepStrictEqual } from 'node:util';
import type { Assertion } from '../suite/types';
import { compileSchema, describeErrors } from '../schema/jsonSchema';
import { toRegExp } from '../text/regex';
import { errorMessage } from '../text/errorMessage';

/** What an assertion can look at: the answer and what it cost. */
export interface AnswerFacts {
  output: string;
  latencyMs: number;
  /** Undefined when the model has no price in the catalog. */
  costUsd?: number;
  tokens: { input: number; output: number };
  /** For messages: which model answered. */
  model: string;
}

export type AssertionStatus = 'pass' | 'fail' | 'error';

export interface AssertionOutcome {
  type: string;
  status: AssertionStatus;
  /** One line: what was expected and what came back. */
  message: string;
  /** For a diff view (VS Code's TestMessage.diff): the expected side and the actual side. */
  expected?: string;
  actual?: string;
}

export interface Verdict {
  pass: boolean;
  reason: string;
  score?: number;
}

export interface EvaluateContext {
  /** The prompt's output.schema, used by json-schema without a value. */
  promptSchema?: Record<string, unknown>;
  /** Grades llm-rubric; absent when no grader is configured. */
  grade?: (rubric: string, output: string, threshold?: number) => Promise<Verdict>;
}

interface Check {
  pass: boolean;
  /** Completes "Expected the answer to …": `contain "refund"`. */
  what: string;
  expected: string;
  actual: string;
  /** Why it failed, beyond the actual value (schema errors…). */
  detail?: string;
}

export async function evaluateAssertion(
  a: Assertion,
  facts: AnswerFacts,
  ctx: EvaluateContext = {},
): Promise<AssertionOutcome> {
  if (a.base === 'llm-rubric') return gradeRubric(a, facts, ctx);
  let check: Check | string;
  try {
    check = deterministic(a, facts, ctx);
  } catch (e) {
    check = errorMessage(e);
  }
  if (typeof check === 'string') return { type: a.type, status: 'error', message: `${a.type}: ${check}` };
  const pass = a.negate ? !check.pass : check.pass;
  if (pass) return { type: a.type, status: 'pass', message: `${a.type}: ok` };
  const message = a.negate
    ? `Expected the answer not to ${check.what}, but it does; got ${preview(check.actual)}`
    : `Expected the answer to ${check.what}${check.detail ? ` (${check.detail})` : ''}; got ${preview(check.actual)}`;
  return {
    type: a.type,
    status: 'fail',
    message,
    expected: a.negate ? `not: ${check.expected}` : check.expected,
    actual: check.actual,
  };
}

/** A check on the answer text or its numbers; returns a string when it cannot be decided (no price, say). */
function deterministic(a: Assertion, f: AnswerFacts, ctx: EvaluateContext): Check | string {
  const out = f.output;
  switch (a.base) {
    case 'equals': {
      if (typeof a.value === 'string') {
        return { pass: out.trim() === a.value.trim(), what: `equal ${quote(a.value)}`, expected: a.value, actual: out };
      }
      // A mapping, list, number or boolean is compared as JSON, so formatting and key order do not matter.
      const parsed = parseJson(out);
      const expected = JSON.stringify(a.value, null, 2);
      if (!parsed.ok)
        return {
          pass: false,
          what: `equal the JSON ${oneLine(JSON.stringify(a.value))}`,
          detail: 'the answer is not JSON',
          expected,
          actual: out,
        };
      return {
        pass: isDeepStrictEqual(parsed.value, a.value),
        what: `equal the JSON ${oneLine(JSON.stringify(a.value))}`,
        expected,
        actual: JSON.stringify(parsed.value, null, 2),
      };
    }
    case 'contains': {
      const v = String(a.value);
      return { pass: out.includes(v), what: `contain ${quote(v)}`, expected: v, actual: out };
    }
    case 'icontains': {
      const v = String(a.value);
      return {
        pass: out.toLowerCase().includes(v.toLowerCase()),
        what: `contain ${quote(v)} (any case)`,
        expected: v,
        actual: out,
      };
    }
    case 'starts-with': {
      const v = String(a.value);
      return { pass: out.trimStart().startsWith(v), what: `start with ${quote(v)}`, expected: v, actual: out };
    }
    case 'regex': {
      const re = toRegExp(String(a.value));
      if (typeof re === 'string') return `the pattern does not compile: ${re}`;
      return { pass: re.test(out), what: `match ${re}`, expected: String(re), actual: out };
    }
    case 'is-json': {
      const parsed = parseJson(out);
      return {
        pass: parsed.ok,
        what: 'be valid JSON',
        detail: parsed.ok ? undefined : parsed.error,
        expected: 'valid JSON',
        actual: out,
      };
    }
    case 'json-schema': {
      const schema = a.value ?? ctx.promptSchema;
      if (schema === undefined) return 'no schema: give a "value" or an output.schema in the prompt';
      const validate = compileSchema(schema);
      if (typeof validate === 'string') return `the schema is not valid: ${validate}`;
      const expected = JSON.stringify(schema, null, 2);
      const parsed = parseJson(out);
      if (!parsed.ok)
        return {
          pass: false,
          what: 'match the JSON schema',
          detail: `the answer is not JSON: ${parsed.error}`,
          expected,
          actual: out,
        };
      const ok = validate(parsed.value) as boolean;
      return {
        pass: ok,
        what: 'match the JSON schema',
        detail: ok ? undefined : describeErrors(validate),
        expected,
        actual: out,
      };
    }
    case 'max-latency-ms': {
      const limit = Number(a.value);
      return {
        pass: f.latencyMs <= limit,
        what: `arrive within ${limit} ms`,
        expected: `≤ ${limit} ms`,
        actual: `${Math.round(f.latencyMs)} ms`,
      };
    }
    case 'max-cost-usd': {
      const limit = Number(a.value);
      if (f.costUsd === undefined) return `the cost is unknown: model "${f.model}" has no price in the model catalog`;
      return {
        pass: f.costUsd <= limit,
        what: `cost at most $${limit}`,
        expected: `≤ $${limit}`,
        actual: `$${f.costUsd.toFixed(6)}`,
      };
    }
    case 'max-tokens': {
      const limit = Number(a.value);
      return {
        pass: f.tokens.output <= limit,
        what: `use at most ${limit} output tokens`,
        expected: `≤ ${limit} tokens`,
        actual: `${f.tokens.output} tokens`,
      };
    }
    case 'llm-rubric':
      return 'llm-rubric is graded, not checked';
  }
}

async function gradeRubric(a: Assertion, f: AnswerFacts, ctx: EvaluateContext): Promise<AssertionOutcome> {
  const rubric = String(a.value);
  if (!ctx.grade)
    return {
      type: a.type,
      status: 'error',
      message: 'llm-rubric: no grader model: add "grader: {model: <id>}" to prompt-registry.yaml',
    };
  let v: Verdict;
  try {
    v = await ctx.grade(rubric, f.output, a.threshold);
  } catch (e) {
    return { type: a.type, status: 'error', message: `llm-rubric: the grader failed: ${errorMessage(e)}` };
  }
  const score =
    v.score !== undefined ? ` (score ${v.score}${a.threshold !== undefined ? `, threshold ${a.threshold}` : ''})` : '';
  if (v.pass) return { type: a.type, status: 'pass', message: `llm-rubric: ${v.reason}${score}` };
  return {
    type: a.type,
    status: 'fail',
    message: `Expected the answer to meet the rubric ${quote(rubric)}; the grader says: ${v.reason}${score}; got ${preview(f.output)}`,
    expected: rubric,
    actual: f.output,
  };
}

function parseJson(s: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(s) };
  } catch (e) {
    const fenced = /^\s*```/.test(s) ? ' (it is wrapped in a ``` fence)' : '';
    return { ok: false, error: `${errorMessage(e)}${fenced}` };
  }
}

function quote(s: string): string {
  return JSON.stringify(s.length > 80 ? `${s.slice(0, 77)}…` : s);
}

function oneLine(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

/** The actual value in a message: quoted, one line, at most ~120 characters (the diff has the rest). */
export function preview(s: string): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > 120 ? `${flat.slice(0, 117)}…` : flat);
}
