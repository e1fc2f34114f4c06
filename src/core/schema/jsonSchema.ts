import Ajv, { type ValidateFunction } from 'ajv';
import { errorMessage } from '../text/errorMessage';

/**
 * JSON Schema validation through Ajv (draft-07, the dialect our own schemas
 * use). `strict: false` because users paste schemas written for other tools,
 * with keywords Ajv's strict mode would refuse; unknown keywords are ignored.
 */
let ajv: Ajv | undefined;
// Made on first use: building Ajv compiles its meta-schemas (~7 ms), which `check` and the extension's start
// would pay for every workspace, though most suites have no json-schema assertion.
const getAjv = () => (ajv ??= new Ajv({ allErrors: true, strict: false, validateFormats: false }));
const compiled = new Map<string, ValidateFunction | string>();
const MAX_COMPILED = 500;

/** A compiled validator, or the reason the schema is not usable. Memoized: a suite of 1,000 cases shares one schema. */
export function compileSchema(schema: unknown): ValidateFunction | string {
  const key = JSON.stringify(schema);
  const hit = compiled.get(key);
  if (hit) return hit;
  let out: ValidateFunction | string;
  if (typeof schema !== 'boolean' && (schema === null || typeof schema !== 'object' || Array.isArray(schema))) {
    out = 'a JSON Schema must be a mapping';
  } else {
    try {
      // A "$schema" naming another draft would make Ajv look for a meta-schema it does not bundle.
      const { $schema: _ignored, ...rest } = (typeof schema === 'boolean' ? {} : schema) as Record<string, unknown>;
      out = getAjv().compile(typeof schema === 'boolean' ? schema : rest);
    } catch (e) {
      out = errorMessage(e);
    }
  }
  if (compiled.size >= MAX_COMPILED) compiled.clear();
  compiled.set(key, out);
  return out;
}

/** Ajv's errors as one line: `/urgency must be equal to one of the allowed values (low, normal, high)`. */
export function describeErrors(validate: ValidateFunction): string {
  return (validate.errors ?? [])
    .map((e) => {
      const where = e.instancePath || '(root)';
      const allowed =
        e.keyword === 'enum'
          ? ` (${((e.params as { allowedValues?: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')})`
          : '';
      return `${where} ${e.message ?? 'is invalid'}${allowed}`;
    })
    .join('; ');
}
