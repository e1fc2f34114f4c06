import { z } from 'zod';

export const INPUT_TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array'] as const;
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const PROMPT_ID = /^[A-Za-z0-9_][A-Za-z0-9_.\-/]*$/;

const scalar = z.union([z.string(), z.number(), z.boolean()]);

export const inputSchema = z.strictObject({
  type: z.enum(INPUT_TYPES).optional().describe('Value type; string when omitted.'),
  description: z.string().optional(),
  required: z.boolean().optional().describe('When true, rendering fails without this input (unless it has a default).'),
  default: z.unknown().optional(),
  enum: z.array(scalar).min(1).optional().describe('The only values allowed.'),
});

export const outputSchema = z.strictObject({
  format: z.enum(['text', 'json']).optional(),
  schema: z.record(z.string(), z.unknown()).optional().describe('JSON Schema of the answer when format is json.'),
});

const modelRef = z.string().trim().min(1, 'must not be empty');

/** Front matter fields. The body below the front matter is the template. */
export const promptShape = {
  id: z
    .string()
    .regex(PROMPT_ID, 'must contain only letters, digits, "_", "-", "." and "/"')
    .optional()
    .describe('Stable id; defaults to the path under the prompts root without ".md".'),
  name: z.string().optional(),
  description: z.string().optional(),
  model: modelRef.describe('The model that runs this prompt, as listed in the catalog.'),
  temperature: z.number().min(0).max(2).optional(),
  max_tokens: z.number().int().positive().optional(),
  top_p: z.number().min(0).max(1).optional(),
  inputs: z
    .record(z.string().regex(IDENTIFIER, 'input names must be identifiers'), z.union([inputSchema, z.null()]))
    .optional(),
  output: outputSchema.optional(),
  tags: z.array(z.string().min(1)).optional(),
  fallback_model: modelRef.optional().describe('Tried once when the model fails after retries.'),
} satisfies Record<string, z.ZodType>;

export const promptFrontMatterSchema = z.strictObject(promptShape);

export const PROMPT_FIELDS = Object.keys(promptShape);

export type InputSpec = z.infer<typeof inputSchema>;
export type OutputSpec = z.infer<typeof outputSchema>;
