import { z } from 'zod';
import { IDENTIFIER, PROMPT_ID } from '../prompt/schema';

/** Assertions decided from the answer and its numbers alone; each can be negated with `not-`. */
export const DETERMINISTIC_TYPES = [
  'equals',
  'contains',
  'icontains',
  'not-contains',
  'starts-with',
  'regex',
  'is-json',
  'json-schema',
  'max-latency-ms',
  'max-cost-usd',
  'max-tokens',
] as const;

/** Assertions a grader model decides. Not negatable: "fails the rubric" is not a rubric. */
export const GRADED_TYPES = ['llm-rubric'] as const;

export type BaseAssertionType =
  Exclude<(typeof DETERMINISTIC_TYPES)[number], 'not-contains'> | (typeof GRADED_TYPES)[number];

/** Every spelling a suite may use: the base types plus `not-` of each deterministic one (`not-contains` is listed once). */
export const ASSERTION_TYPES: string[] = [
  ...DETERMINISTIC_TYPES,
  ...GRADED_TYPES,
  ...DETERMINISTIC_TYPES.filter((t) => t !== 'not-contains' && t !== 'contains').map((t) => `not-${t}`),
];

const modelRef = z.string().trim().min(1, 'must not be empty');
const varsSchema = z
  .record(z.string().regex(IDENTIFIER, 'variable names must be identifiers'), z.unknown())
  .describe("Values for the prompt's inputs.");

/**
 * The shapes the parser checks field by field (assertion `type` is a plain
 * string here so that an unknown type gets a did-you-mean, not a zod enum
 * message; `cases` and `assert` are lists of anything so that one bad entry
 * does not discard its neighbours).
 */
export const assertionShape = {
  type: z
    .string()
    .min(1)
    .describe(
      'What to check, e.g. contains, regex, is-json, json-schema, llm-rubric; prefix not- to negate a deterministic one.',
    ),
  value: z.unknown().optional().describe('The expected text, pattern, schema, limit or rubric, depending on the type.'),
  threshold: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe('llm-rubric only: the lowest passing score (0–1) when the grader returns a score.'),
} satisfies Record<string, z.ZodType>;

export const caseShape = {
  name: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .describe('Unique within the suite; shown in reports and the Testing view.'),
  description: z.string().optional(),
  vars: varsSchema.optional(),
  assert: z.array(z.unknown()).optional().describe('Checks on the answer, after the suite defaults.'),
  model: modelRef.optional().describe('Runs this case on another model.'),
} satisfies Record<string, z.ZodType>;

export const defaultsShape = {
  vars: varsSchema.optional(),
  assert: z.array(z.unknown()).optional().describe('Checks applied to every case.'),
} satisfies Record<string, z.ZodType>;

export const suiteShape = {
  description: z.string().optional(),
  prompt: z
    .string()
    .regex(PROMPT_ID, 'must be a prompt id such as "support/triage"')
    .optional()
    .describe('The prompt id; by default the prompt file next to this suite with the same base name.'),
  model: modelRef.optional().describe("Runs every case on this model instead of the prompt's."),
  defaults: z.unknown().optional().describe('vars and assert applied to every case.'),
  cases: z.unknown().describe('The test cases: {name, vars, assert, model?}.'),
} satisfies Record<string, z.ZodType>;

/** The whole file, for the generated JSON Schema that editors validate `*.suite.yaml` with. */
export function suiteFileSchema(): z.ZodType {
  const assertion = z.strictObject({
    ...assertionShape,
    type: z.enum(ASSERTION_TYPES as [string, ...string[]]).describe(assertionShape.type.description ?? ''),
  });
  const list = z.array(assertion);
  const testCase = z.strictObject({
    ...caseShape,
    assert: list.optional().describe('Checks on the answer, after the suite defaults.'),
  });
  return z
    .strictObject({
      ...suiteShape,
      defaults: z
        .strictObject({ ...defaultsShape, assert: list.optional().describe('Checks applied to every case.') })
        .optional()
        .describe('vars and assert applied to every case.'),
      cases: z.array(testCase).min(1).describe('The test cases.'),
    })
    .describe('Prompt Registry test suite (*.suite.yaml)');
}
