import type { Diagnostic } from '../text/diagnostics';
import type { Range } from '../text/lineIndex';
import type { SourceSpan } from '../yaml/sourceMap';
import type { InputSpec, OutputSpec } from './schema';

export type Role = 'system' | 'user' | 'assistant';

export interface TemplateVariable {
  /** The first segment of the name, e.g. `user` for `{{user.name}}`. */
  name: string;
  range: Range;
  /** True inside a `{{#section}}`, where names may refer to the section's items. */
  inSection: boolean;
}

export interface MessageTemplate {
  role: Role;
  /** Template text of this message (role marker excluded). */
  template: string;
  /** Offset of `template` in the file. */
  offset: number;
}

/** A prompt file after parsing: typed fields (those that validated), the template, and where everything is. */
export interface ParsedPrompt {
  /** Absolute path, when known. */
  file?: string;
  /** Explicit `id` from front matter, else derived from the path. */
  id: string;
  idExplicit: boolean;
  name?: string;
  description?: string;
  model?: string;
  fallbackModel?: string;
  params: { temperature?: number; max_tokens?: number; top_p?: number };
  inputs: Record<string, InputSpec>;
  output?: OutputSpec;
  tags: string[];
  hasFrontMatter: boolean;
  messages: MessageTemplate[];
  variables: TemplateVariable[];
  /** Diagnostics that need no context beyond the file itself. */
  diagnostics: Diagnostic[];
  /** Source ranges: top-level and nested front matter keys (joined with "."). */
  ranges: Map<string, { key?: Range; value: Range }>;
  /** One entry of `ranges`, found without building them all when it can be. */
  rangeOf(field: string): { key?: Range; value: Range } | undefined;
  /** Where to point when the problem is the front matter as a whole. */
  headerRange: Range;
  /** The full text the ranges refer to (BOM removed). */
  text: string;
  /** Front matter as plain data (fields that failed validation included), for editors. */
  raw: Record<string, unknown>;
  /** Spans inside the front matter YAML, offset by `yamlStart`. Internal to core editors. */
  yamlStart: number;
  spans: Map<string, SourceSpan>;
}
