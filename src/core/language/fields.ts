import type { z } from 'zod';
import { INPUT_TYPES, inputSchema, outputSchema, promptShape } from '../prompt/schema';

/** How a field's value is written, which decides what a completion inserts after the key. */
export type FieldLayout = 'scalar' | 'map' | 'list';

export interface FieldDoc {
  name: string;
  /** Short type, as docs/prompt-format.md writes it. */
  type: string;
  required: boolean;
  /** What the field means (docs/prompt-format.md), plus the schema's own description when it says more. */
  doc: string;
  layout: FieldLayout;
  /** Values to offer after the key, when the schema has a fixed set. */
  values?: readonly string[];
}

/** The meaning column of docs/prompt-format.md; a unit test keeps it in step with the schema. */
const PROMPT_DOCS: Record<keyof typeof promptShape, { type: string; doc: string }> = {
  id: {
    type: 'string',
    doc: 'Stable id that applications load the prompt by. Letters, digits, `_ - . /`. Ids must be unique.',
  },
  name: { type: 'string', doc: 'Display name in the editor.' },
  description: { type: 'string', doc: 'One line on what the prompt is for.' },
  model: { type: 'string', doc: 'Write `provider/model` when two configured providers offer the same id.' },
  fallback_model: { type: 'string', doc: 'The workspace `fallbackModel` applies when absent.' },
  temperature: { type: 'number, 0–2', doc: 'Sampling temperature.' },
  max_tokens: { type: 'positive integer', doc: 'Answer length limit.' },
  top_p: { type: 'number, 0–1', doc: 'Nucleus sampling.' },
  inputs: {
    type: 'map of name → input',
    doc: 'The variables the template uses. Names are identifiers. An empty entry (`name:`) declares a string input.',
  },
  output: {
    type: '{format, schema}',
    doc: '`format` is `text` (default) or `json`; `schema` is the JSON Schema the answer must satisfy.',
  },
  tags: { type: 'list of strings', doc: 'Free-form labels for grouping and filtering.' },
};

const INPUT_DOCS: Record<keyof typeof inputSchema.shape, { type: string; doc: string }> = {
  type: { type: INPUT_TYPES.join(' | '), doc: 'The value type.' },
  description: { type: 'string', doc: 'What the value is.' },
  required: { type: 'boolean', doc: '`true` when rendering must fail without it (a `default` satisfies it).' },
  default: { type: 'any', doc: 'Used when no value is given. Must fit `type` and `enum`.' },
  enum: { type: 'list', doc: 'The only allowed values.' },
};

const OUTPUT_DOCS: Record<keyof typeof outputSchema.shape, { type: string; doc: string }> = {
  format: { type: 'text | json', doc: 'What the answer is: `text` (default) or `json`.' },
  schema: { type: 'JSON Schema', doc: 'The JSON Schema the answer must satisfy.' },
};

function build(shape: Record<string, z.ZodType>, docs: Record<string, { type: string; doc: string }>): FieldDoc[] {
  return Object.entries(shape).map(([name, schema]) => {
    const d = docs[name]!;
    const described = schema.description;
    const optional = schema.safeParse(undefined).success;
    const inner = unwrap(schema);
    const kind = (inner as unknown as { def: { type: string } }).def.type;
    const values =
      kind === 'enum'
        ? (inner as unknown as { options: string[] }).options
        : kind === 'boolean'
          ? ['true', 'false']
          : undefined;
    return {
      name,
      type: d.type,
      required: !optional,
      doc: described && !d.doc.includes(described) ? `${described} ${d.doc}` : d.doc,
      layout: kind === 'record' || kind === 'object' ? 'map' : kind === 'array' ? 'list' : 'scalar',
      values,
    };
  });
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema as unknown as { def: { type: string; innerType?: z.ZodType } };
  while ((s.def.type === 'optional' || s.def.type === 'nullable' || s.def.type === 'default') && s.def.innerType)
    s = s.def.innerType as unknown as typeof s;
  return s as unknown as z.ZodType;
}

/** The front matter fields, in the schema's order; `model` is the one required field. */
export const PROMPT_FIELD_DOCS: readonly FieldDoc[] = build(promptShape, PROMPT_DOCS);
export const INPUT_FIELD_DOCS: readonly FieldDoc[] = build(inputSchema.shape, INPUT_DOCS);
export const OUTPUT_FIELD_DOCS: readonly FieldDoc[] = build(outputSchema.shape, OUTPUT_DOCS);

/**
 * The fields that may be written at a key position, by the path of the mapping
 * that holds them: `[]` is the front matter itself, `['inputs', name]` one
 * input, `['output']` the output spec. Undefined where the format has no fixed keys.
 */
export function fieldsAt(path: readonly string[]): readonly FieldDoc[] | undefined {
  if (path.length === 0) return PROMPT_FIELD_DOCS;
  if (path.length === 1 && path[0] === 'output') return OUTPUT_FIELD_DOCS;
  if (path.length === 2 && path[0] === 'inputs') return INPUT_FIELD_DOCS;
  return undefined;
}

/** The doc of the field at a full key path (`['model']`, `['inputs', 'x', 'type']`), if the format defines it. */
export function fieldDoc(path: readonly string[]): FieldDoc | undefined {
  if (path.length === 0) return undefined;
  return fieldsAt(path.slice(0, -1))?.find((f) => f.name === path[path.length - 1]);
}
