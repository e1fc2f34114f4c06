import type { ParsedPrompt } from './types';

/** The front matter fields that name a model: each is checked against the catalog and offered the model picker. */
export const MODEL_FIELDS = ['model', 'fallback_model'] as const;

export type ModelField = (typeof MODEL_FIELDS)[number];

export function isModelField(name: unknown): name is ModelField {
  return (MODEL_FIELDS as readonly unknown[]).includes(name);
}

/** The value a prompt gives a model field. */
export function modelFieldValue(prompt: ParsedPrompt, field: ModelField): string | undefined {
  return field === 'model' ? prompt.model : prompt.fallbackModel;
}
