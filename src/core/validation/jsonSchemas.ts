import { z } from 'zod';
import { configSchema } from '../config/schema';
import { promptFrontMatterSchema } from '../prompt/schema';
import { suiteFileSchema } from '../suite/schema';

/** The JSON Schemas shipped in `schemas/`, generated from the zod schemas (a unit test keeps them in sync). */
export function schemaFiles(): Record<string, unknown> {
  return {
    'prompt-registry.schema.json': withId(
      z.toJSONSchema(configSchema, { io: 'input', target: 'draft-7' }),
      'prompt-registry.schema.json',
      'Prompt Registry configuration',
    ),
    'prompt.schema.json': withId(
      z.toJSONSchema(promptFrontMatterSchema, { io: 'input', target: 'draft-7', unrepresentable: 'any' }),
      'prompt.schema.json',
      'Prompt Registry prompt front matter',
    ),
    'suite.schema.json': withId(
      z.toJSONSchema(suiteFileSchema(), { io: 'input', target: 'draft-7', unrepresentable: 'any' }),
      'suite.schema.json',
      'Prompt Registry test suite',
    ),
  };
}

function withId(schema: Record<string, unknown>, id: string, title: string): Record<string, unknown> {
  return { ...schema, $id: `https://prompt-registry.dev/schemas/${id}`, title };
}
