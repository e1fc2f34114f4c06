import type { InputSpec } from '../prompt/schema';

/** Plain JSON: what a SemanticDiff holds, so it survives JSON.stringify/parse unchanged. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A value on each side; a missing side means the field is absent there. */
export interface Change<T = Json> {
  before?: T;
  after?: T;
}

export interface FieldChange<T = Json> extends Change<T> {
  /** Front matter key (`temperature`, `fallback_model`…) or input key (`type`, `default`…). */
  field: string;
}

/** What the catalog says about one side's model. */
export interface ModelFacts {
  ref: string;
  /** `no-catalog` when no catalog was given: nothing is known beyond the name. */
  lookup: 'found' | 'unknown' | 'ambiguous' | 'no-catalog';
  provider?: string;
  displayName?: string;
  active?: boolean;
  contextWindow?: number;
  /** USD per 1M tokens. */
  inputPricePer1M?: number;
  outputPricePer1M?: number;
}

export interface NumberDelta {
  before: number;
  after: number;
  /** after − before. */
  delta: number;
  /** Relative change in percent; absent when `before` is 0. */
  percent?: number;
}

export interface ModelChange {
  before?: ModelFacts;
  after?: ModelFacts;
  /** USD per 1M input tokens; absent unless both sides have a price. */
  inputPrice?: NumberDelta;
  outputPrice?: NumberDelta;
  contextWindow?: NumberDelta;
  /** Why a comparison is missing (no catalog, model not in it, no price), one sentence each. */
  notes: string[];
}

/** An input's fields with their defaults applied (`type: string`, `required: false`), so omitting a default is no change. */
export interface InputFacts {
  type: NonNullable<InputSpec['type']>;
  required: boolean;
  default?: Json;
  enum?: Json[];
  description?: string;
}

export interface InputChange {
  name: string;
  kind: 'added' | 'removed' | 'changed';
  before?: InputFacts;
  after?: InputFacts;
  /** For `changed`: the keys that differ. */
  fields: FieldChange[];
}

export interface SchemaPathChange {
  /** Dotted path inside the schema (`properties.answer.type`); `(root)` for the whole value. */
  path: string;
  kind: 'added' | 'removed' | 'changed';
}

export interface OutputChange {
  /** Effective format (`text` when unset). */
  format?: Change<string>;
  schema?: Change & { paths: SchemaPathChange[] };
}

export interface BodyHunk {
  /** 1-based line numbers in the whole file (front matter included), as an editor shows them. */
  beforeStart: number;
  beforeLines: number;
  afterStart: number;
  afterLines: number;
  /** Unified-diff lines: " " context, "+" added, "-" removed. */
  lines: string[];
}

export interface BodyChange {
  added: number;
  removed: number;
  hunks: BodyHunk[];
}

/**
 * Two versions of one prompt compared field by field. `kind` is `added` or
 * `removed` when one side is missing; then every field of the other side shows
 * as added or removed.
 */
export interface SemanticDiff {
  kind: 'added' | 'removed' | 'changed' | 'unchanged';
  /** The prompt id on each side (equal unless the id or, for derived ids, the path changed). */
  id: Change<string>;
  model?: ModelChange;
  /** id, name, description, tags, fallback_model and front matter keys the format does not define. */
  fields: FieldChange[];
  /** temperature, max_tokens, top_p. */
  params: FieldChange[];
  inputs: InputChange[];
  output?: OutputChange;
  body?: BodyChange;
}
