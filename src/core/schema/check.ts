import { z } from 'zod';
import { looksLikeSecret } from '../text/secrets';
import { closest } from '../text/similar';

export interface SchemaIssue {
  path: (string | number)[];
  kind: 'unknown-key' | 'invalid';
  message: string;
}

/** The fields a shape's schemas parsed; a field that failed its schema is absent. */
export type CheckedFields<S extends Record<string, z.ZodType>> = { [K in keyof S]?: z.output<S[K]> };

export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** checkObject with the result typed by the shape: each kept field was parsed by its own schema. */
export function checkFields<S extends Record<string, z.ZodType>>(
  shape: S,
  value: Record<string, unknown>,
  basePath: (string | number)[] = [],
): { data: CheckedFields<S>; issues: SchemaIssue[] } {
  const { data, issues } = checkObject(shape, value, basePath);
  return { data: data as CheckedFields<S>, issues };
}

/**
 * Validates a plain object field by field, so one bad field does not discard
 * the good ones: a prompt with a bad `temperature` still gets its model checked.
 */
export function checkObject(
  shape: Record<string, z.ZodType>,
  value: Record<string, unknown>,
  basePath: (string | number)[] = [],
): { data: Record<string, unknown>; issues: SchemaIssue[] } {
  // No prototype: a field named "__proto__" or "toString" must stay a plain key.
  const data = Object.create(null) as Record<string, unknown>;
  const issues: SchemaIssue[] = [];
  const known = Object.keys(shape);
  for (const [key, v] of Object.entries(value)) {
    const schema = Object.hasOwn(shape, key) ? shape[key] : undefined;
    if (!schema) {
      const hint = closest(key, known);
      issues.push({
        path: [...basePath, key],
        kind: 'unknown-key',
        message: `Unknown field "${key}"${hint ? `. Did you mean "${hint}"?` : ''}`,
      });
      continue;
    }
    const r = checkValue(schema, v, [...basePath, key]);
    issues.push(...r.issues);
    if (r.ok) data[key] = r.data;
  }
  return { data, issues };
}

/**
 * Parses with a strict schema; keys the schema does not know become
 * `unknown-key` issues and are dropped, and the rest is parsed again.
 */
export function checkValue(
  schema: z.ZodType,
  value: unknown,
  basePath: (string | number)[] = [],
): { ok: boolean; data?: unknown; issues: SchemaIssue[] } {
  const issues: SchemaIssue[] = [];
  let current = value;
  for (let attempt = 0; attempt < 4; attempt++) {
    const r = schema.safeParse(current);
    if (r.success) return { ok: true, data: r.data, issues };
    const all = r.error.issues.flatMap(unionBranch);
    const unknown = all.filter((i) => i.code === 'unrecognized_keys');
    const other = all.filter((i) => i.code !== 'unrecognized_keys');
    if (other.length > 0) {
      for (const i of unknown) issues.push(...unknownKeyIssues(basePath, i));
      for (const i of other)
        issues.push({
          path: [...basePath, ...(i.path as (string | number)[])],
          kind: 'invalid',
          message: describe(basePath, i, current),
        });
      return { ok: false, issues };
    }
    current = structuredClone(current);
    for (const i of unknown) {
      issues.push(...unknownKeyIssues(basePath, i));
      const parent = getIn(current, i.path as (string | number)[]) as Record<string, unknown> | undefined;
      for (const k of (i as { keys: string[] }).keys) if (parent) delete parent[k];
    }
  }
  return { ok: false, issues };
}

/**
 * A failed union ("an id, or a mapping with an id") says only "Invalid input".
 * When exactly one branch accepts the value's type, its own issues are the
 * useful ones: `{displayName: x}` lacks an id, `{id: a, inputPricePer1M: -1}` is negative.
 */
function unionBranch(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== 'invalid_union') return [issue];
  const typed = issue.errors.filter((branch) => !branch.some((i) => i.code === 'invalid_type' && i.path.length === 0));
  if (typed.length !== 1) return [issue];
  return typed[0]!.flatMap((i) => unionBranch({ ...i, path: [...issue.path, ...i.path] } as z.core.$ZodIssue));
}

function unknownKeyIssues(basePath: (string | number)[], issue: z.core.$ZodIssue): SchemaIssue[] {
  const keys = (issue as { keys?: string[] }).keys ?? [];
  return keys.map((k) => ({
    path: [...basePath, ...(issue.path as (string | number)[]), k],
    kind: 'unknown-key' as const,
    message: `Unknown field "${[...basePath, ...(issue.path as (string | number)[]), k].join('.')}"`,
  }));
}

function describe(basePath: (string | number)[], issue: z.core.$ZodIssue, root: unknown): string {
  const path = [...basePath, ...(issue.path as (string | number)[])];
  const where = path.length ? `"${path.join('.')}"` : 'value';
  const got = getIn(root, issue.path as (string | number)[]);
  const shown = got === undefined ? '' : `, got ${preview(got)}`;
  return `Invalid ${where}: ${issue.message}${shown}`;
}

function preview(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string' && looksLikeSecret(v)) return 'a value that looks like a secret (not shown)';
  const s = typeof v === 'string' ? JSON.stringify(v) : String(v);
  return s.length > 40 ? `${s.slice(0, 37)}…` : s;
}

function getIn(v: unknown, path: (string | number)[]): unknown {
  let cur = v;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}
