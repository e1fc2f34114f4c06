import type { Diagnostic } from '../text/diagnostics';
import { LineIndex, type Range } from '../text/lineIndex';
import { checkObject } from '../schema/check';
import { fastLoad } from '../yaml/fastLoad';
import { parseYaml, pathKey, findSpan, type SourceSpan } from '../yaml/sourceMap';
import { topLevelSpan } from '../yaml/topLevelSpan';
import { stripBom } from '../text/bom';
import { splitFrontMatter } from './frontMatter';
import { promptShape, type InputSpec } from './schema';
import { analyzeTemplate, splitMessages } from './template';
import type { ParsedPrompt } from './types';

export interface ParseOptions {
  file?: string;
  /** Id used when the front matter has none: the path under the prompts root without `.md`. */
  defaultId: string;
}

/** Parses a prompt file. Never throws: every problem becomes a diagnostic. */
export function parsePrompt(input: string, opts: ParseOptions): ParsedPrompt {
  const text = stripBom(input);
  const lines = new LineIndex(text);
  const fm = splitFrontMatter(text);
  const diagnostics: Diagnostic[] = [];
  const headerRange = fm.present ? lines.rangeAt(0, fm.openEnd) : lines.rangeAt(0, 0);
  const toRange = (span: [number, number]): Range => lines.rangeAt(fm.yamlStart + span[0], fm.yamlStart + span[1]);

  let raw: Record<string, unknown> = {};
  let yamlOk = true;
  // Source ranges are built on first use (see fastLoad): clean files never pay for them.
  let spanCache: Map<string, SourceSpan> | undefined;
  const spans = (): Map<string, SourceSpan> =>
    (spanCache ??= fm.present && fm.closed ? parseYaml(fm.yaml).spans : new Map());
  let rangeCache: Map<string, { key?: Range; value: Range }> | undefined;
  const ranges = (): Map<string, { key?: Range; value: Range }> => {
    if (rangeCache) return rangeCache;
    rangeCache = new Map();
    for (const [k, s] of spans()) {
      if (k !== '')
        rangeCache.set(k.split('\u0000').join('.'), {
          key: s.key ? toRange(s.key) : undefined,
          value: toRange(s.value),
        });
    }
    return rangeCache;
  };
  // One field's range, by a line scan when it is a plain top-level key (a warning on `model` in
  // 10,000 files then costs no Document each), else from the full map.
  const rangeOf = (field: string): { key?: Range; value: Range } | undefined => {
    if (!rangeCache && !spanCache && yamlOk && fm.present && fm.closed && !field.includes('.')) {
      const s = Object.hasOwn(raw, field) ? topLevelSpan(fm.yaml, field, raw[field]) : undefined;
      if (s) return { key: s.key && toRange(s.key), value: toRange(s.value) };
    }
    return ranges().get(field);
  };

  if (fm.present && !fm.closed) {
    yamlOk = false;
    diagnostics.push({
      severity: 'error',
      code: 'yaml-syntax',
      message: 'Front matter is never closed: add a line with only "---" after it',
      range: headerRange,
    });
  } else if (fm.present) {
    let value: unknown;
    const fast = fastLoad(fm.yaml);
    if (fast.ok) {
      value = fast.value;
    } else {
      // Report what `yaml` says, so messages match the editor's YAML tooling; js-yaml's word only if `yaml` disagrees.
      const full = parseYaml(fm.yaml);
      spanCache = full.spans;
      if (full.errors.length) {
        for (const e of full.errors)
          diagnostics.push({
            severity: 'error',
            code: 'yaml-syntax',
            message: `YAML: ${e.message}`,
            range: toRange([e.start, e.end]),
          });
      } else {
        diagnostics.push({
          severity: 'error',
          code: 'yaml-syntax',
          message: `YAML: ${fast.message}`,
          range: toRange([fast.offset, fast.offset + 1]),
        });
      }
      yamlOk = false;
    }
    if (yamlOk && value !== undefined && value !== null) {
      if (typeof value === 'object' && !Array.isArray(value)) {
        raw = value as Record<string, unknown>;
      } else {
        yamlOk = false;
        diagnostics.push({
          severity: 'error',
          code: 'invalid-field',
          message: 'Front matter must be a mapping of fields (key: value)',
          range: toRange(spans().get(pathKey([]))?.value ?? [0, 0]),
        });
      }
    }
  }

  const { data, issues } = checkObject(promptShape, withoutMissingModel(raw));
  for (const issue of issues) {
    const span = findSpan(spans(), issue.path);
    const r = span ? toRange(issue.kind === 'unknown-key' && span.key ? span.key : span.value) : headerRange;
    diagnostics.push({
      severity: issue.kind === 'unknown-key' ? 'warning' : 'error',
      code: issue.kind === 'unknown-key' ? 'unknown-field' : 'invalid-field',
      message: issue.message,
      range: r,
    });
  }

  if (yamlOk && !hasModel(raw)) {
    const modelRange = 'model' in raw ? rangeOf('model') : undefined;
    diagnostics.push({
      severity: 'error',
      code: 'missing-model',
      message: fm.present
        ? 'Prompt has no "model": add one, e.g. "model: gpt-4o"'
        : 'Prompt has no front matter and so no "model": start the file with "---", "model: …", "---"',
      range: modelRange ? modelRange.value : headerRange,
    });
  }

  const bodyStart = fm.present ? fm.bodyStart : 0;
  const messages = splitMessages(text.slice(bodyStart), bodyStart);
  const template = analyzeTemplate(messages, lines);
  diagnostics.push(...template.diagnostics);

  const inputs: Record<string, InputSpec> = {};
  for (const [name, spec] of Object.entries((data.inputs as Record<string, InputSpec | null> | undefined) ?? {})) {
    inputs[name] = spec ?? {};
  }
  diagnostics.push(...checkInputDefaults(inputs, (p) => ranges().get(p)?.value ?? headerRange));

  const explicitId = typeof data.id === 'string' ? data.id : undefined;
  return {
    file: opts.file,
    id: explicitId ?? opts.defaultId,
    idExplicit: explicitId !== undefined,
    name: data.name as string | undefined,
    description: data.description as string | undefined,
    model: typeof data.model === 'string' ? data.model.trim() : undefined,
    fallbackModel: typeof data.fallback_model === 'string' ? data.fallback_model.trim() : undefined,
    params: pick(data, ['temperature', 'max_tokens', 'top_p']),
    inputs,
    output: data.output as ParsedPrompt['output'],
    tags: (data.tags as string[] | undefined) ?? [],
    hasFrontMatter: fm.present,
    messages,
    variables: template.variables,
    diagnostics,
    get ranges() {
      return ranges();
    },
    rangeOf,
    headerRange,
    text,
    raw,
    yamlStart: fm.yamlStart,
    get spans() {
      return spans();
    },
  };
}

function hasModel(raw: Record<string, unknown>): boolean {
  return typeof raw.model === 'string' ? raw.model.trim() !== '' : raw.model !== undefined && raw.model !== null;
}

/** A blank `model:` is reported once as missing-model, not also as invalid-field. */
function withoutMissingModel(raw: Record<string, unknown>): Record<string, unknown> {
  if (hasModel(raw) || !('model' in raw)) return raw;
  const { model: _omit, ...rest } = raw;
  return rest;
}

function pick<T extends Record<string, unknown>, K extends string>(o: T, keys: K[]): Partial<Record<K, number>> {
  const out: Partial<Record<K, number>> = {};
  for (const k of keys) if (typeof o[k] === 'number') out[k] = o[k] as number;
  return out;
}

/** `default` must fit `type` and `enum`; otherwise a run would render a value the prompt says it never gets. */
function checkInputDefaults(inputs: Record<string, InputSpec>, rangeOf: (path: string) => Range): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [name, spec] of Object.entries(inputs)) {
    if (spec.default === undefined) continue;
    const problem = valueProblem(spec, spec.default);
    if (problem) {
      out.push({
        severity: 'error',
        code: 'invalid-field',
        message: `Invalid "inputs.${name}.default": ${problem}`,
        range: rangeOf(`inputs.${name}.default`),
      });
    }
  }
  return out;
}

/** Why `value` does not fit an input spec, or undefined when it does. Shared with rendering. */
export function valueProblem(spec: InputSpec, value: unknown): string | undefined {
  const type = spec.type ?? 'string';
  const ok =
    type === 'string'
      ? typeof value === 'string'
      : type === 'number'
        ? typeof value === 'number' && Number.isFinite(value)
        : type === 'integer'
          ? Number.isInteger(value)
          : type === 'boolean'
            ? typeof value === 'boolean'
            : type === 'array'
              ? Array.isArray(value)
              : value !== null && typeof value === 'object' && !Array.isArray(value);
  if (!ok) return `expected ${type}, got ${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value}`;
  if (spec.enum && !spec.enum.some((e) => e === value))
    return `must be one of ${spec.enum.map((e) => JSON.stringify(e)).join(', ')}`;
  return undefined;
}
