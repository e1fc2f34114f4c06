import { z } from 'zod';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const price = z
  .number({
    error: (iss) => (iss.input === undefined ? undefined : 'must be a number of USD per 1M tokens, such as 2.5'),
  })
  .nonnegative('must not be negative');

/** A model a provider cannot list (Azure deployments, gateways): either its id, or the id with what is known about it. */
export const declaredModelSchema = z.union([
  z.string().trim().min(1, 'a declared model id must not be empty'),
  z.strictObject({
    id: z
      .string({
        error: (iss) => (iss.input === undefined ? 'a declared model needs an id' : 'must be a model id (text)'),
      })
      .trim()
      .min(1, 'a declared model id must not be empty'),
    displayName: z.string().min(1).optional(),
    contextWindow: z.number().int('must be a whole number of tokens').positive('must be positive').optional(),
    inputPricePer1M: price.optional(),
    outputPricePer1M: price.optional(),
  }),
]);

export const providerSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'must be a simple name such as "openai"')
    .describe('How prompts refer to this provider, as in "name/model".'),
  type: z
    .enum(['openai', 'echo'])
    .optional()
    .describe('"openai" (any OpenAI-compatible endpoint, the default) or "echo" (built-in offline provider).'),
  baseURL: z.url().optional().describe('The endpoint, e.g. https://openrouter.ai/api/v1 or http://localhost:11434/v1.'),
  apiKeyEnv: z
    .string()
    .regex(ENV_NAME, 'must be the NAME of an environment variable, such as OPENAI_API_KEY')
    .optional()
    .describe(
      'The name of the environment variable holding the key. Never the key itself. "none": the provider takes no key. Without it, a local (loopback) server needs no key and any other endpoint reads OPENAI_API_KEY.',
    ),
  models: z
    .array(declaredModelSchema)
    .optional()
    .describe(
      "This provider's models, for endpoints with no useful /models list (Azure deployments, gateways). Used instead of fetching; a refresh never deactivates them.",
    ),
});

export const configShape = {
  prompts: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('Globs of prompt files, relative to the repository root.'),
  providers: z.array(providerSchema).optional().describe('OpenAI-compatible endpoints; the first one is the default.'),
  defaultModel: z.string().min(1).optional().describe('Model for new prompts and backfill. LLM_MODEL overrides it.'),
  fallbackModel: z
    .string()
    .min(1)
    .optional()
    .describe('Tried once when a model fails. LLM_FALLBACK_MODEL overrides it.'),
  models: z
    .strictObject({
      enabled: z.array(z.string().min(1)).optional().describe('Allowlist; when absent, every active model is allowed.'),
      labels: z.record(z.string(), z.string()).optional().describe('Display names by model id.'),
    })
    .optional(),
  refreshIntervalHours: z
    .number()
    .positive()
    .optional()
    .describe('Catalog refresh period. MODEL_REFRESH_INTERVAL_HOURS overrides it.'),
  grader: z
    .strictObject({
      model: z.string().trim().min(1).describe('The model that grades llm-rubric assertions.'),
      provider: z
        .string()
        .min(1)
        .optional()
        .describe('The provider (by name) that runs the grader; by default the one that offers the model.'),
    })
    .optional()
    .describe('The grader model for llm-rubric assertions in test suites.'),
} satisfies Record<string, z.ZodType>;

export const configSchema = z
  .strictObject(configShape)
  .describe('Prompt Registry workspace configuration (prompt-registry.yaml)');

export type ProviderConfig = z.infer<typeof providerSchema>;
export type RawConfig = z.output<typeof configSchema>;
