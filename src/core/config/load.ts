import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from '../text/diagnostics';
import type { Range } from '../text/lineIndex';
import { LineIndex } from '../text/lineIndex';
import { looksLikeSecret } from '../text/secrets';
import { checkFields, isRecord } from '../schema/check';
import { findSpan, parseYaml, pathKey } from '../yaml/sourceMap';
import { configShape, type ProviderConfig, type RawConfig } from './schema';
import { stripBom } from '../text/bom';
import { CONFIG_FILE } from './fileName';

export { CONFIG_FILE };
export const DEFAULT_PROMPT_GLOBS = ['prompts/**/*.md'];
export const DEFAULT_REFRESH_HOURS = 168;
export const DEFAULT_PROVIDER: ResolvedProvider = {
  name: 'openai',
  type: 'openai',
  baseURL: 'https://api.openai.com/v1',
  apiKeyEnv: 'OPENAI_API_KEY',
};

/** A provider entry with its defaults applied. */
export type ResolvedProvider = Required<Pick<ProviderConfig, 'name' | 'type' | 'apiKeyEnv'>> &
  Pick<ProviderConfig, 'baseURL'> & {
    /**
     * True when prompt-registry.yaml names apiKeyEnv (rather than the OPENAI_API_KEY default):
     * see needsApiKey and providers/keyPolicy.ts.
     */
    apiKeyEnvExplicit?: boolean;
    /** Declared in prompt-registry.yaml (`models:`): the provider's list, used instead of fetching one. */
    models?: DeclaredModel[];
  };

/** One `models:` entry of a provider, an id alone written as `{id}`. */
export interface DeclaredModel {
  id: string;
  displayName?: string;
  contextWindow?: number;
  inputPricePer1M?: number;
  outputPricePer1M?: number;
}

/** The configuration with defaults and environment overrides applied. */
export interface ResolvedConfig {
  promptGlobs: string[];
  providers: ResolvedProvider[];
  defaultModel?: string;
  fallbackModel?: string;
  enabledModels?: string[];
  labels: Record<string, string>;
  refreshIntervalHours: number;
  /** Grades llm-rubric assertions; absent means such assertions cannot run. */
  grader?: NonNullable<RawConfig['grader']>;
}

export interface LoadedConfig {
  config: ResolvedConfig;
  /** Absolute path of prompt-registry.yaml, whether or not it exists. */
  file: string;
  exists: boolean;
  /** Problems in the file, positioned in it. */
  diagnostics: Diagnostic[];
  /** Problems with no place in the file (environment overrides). */
  notices: string[];
  /** Where a setting is written in the file, for diagnostics about its value. */
  rangeOf: (path: (string | number)[]) => Range | undefined;
  /** Settings whose value comes from the environment rather than the file. */
  fromEnv: { defaultModel?: string; fallbackModel?: string };
}

export type Env = Record<string, string | undefined>;

export function loadConfig(root: string, env: Env = process.env): LoadedConfig {
  const file = path.join(root, CONFIG_FILE);
  let text: string | undefined;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    text = undefined;
  }
  return parseConfig(text, file, env);
}

export function parseConfig(text: string | undefined, file: string, env: Env = process.env): LoadedConfig {
  const diagnostics: Diagnostic[] = [];
  const notices: string[] = [];
  let data: RawConfig = {};
  let rangeOf: LoadedConfig['rangeOf'] = () => undefined;
  if (text !== undefined) {
    const clean = stripBom(text);
    const lines = new LineIndex(clean);
    const parsed = parseYaml(clean);
    rangeOf = (p) => {
      const s = parsed.spans.get(pathKey(p));
      return s ? lines.rangeAt(s.value[0], s.value[1]) : undefined;
    };
    for (const e of parsed.errors) {
      diagnostics.push({
        severity: 'error',
        code: 'yaml-syntax',
        message: `YAML: ${e.message}`,
        range: lines.rangeAt(e.start, e.end),
      });
    }
    const v = parsed.value;
    if (parsed.errors.length === 0 && v !== null && v !== undefined) {
      if (!isRecord(v)) {
        diagnostics.push({
          severity: 'error',
          code: 'config-invalid',
          message: 'prompt-registry.yaml must be a mapping of settings',
          range: lines.rangeAt(0, 0),
        });
      } else {
        const r = checkFields(configShape, v);
        data = r.data;
        for (const issue of r.issues) {
          const span = findSpan(parsed.spans, issue.path);
          const off = span ? (issue.kind === 'unknown-key' && span.key ? span.key : span.value) : [0, 0];
          diagnostics.push({
            severity: issue.kind === 'unknown-key' ? 'warning' : 'error',
            code: issue.kind === 'unknown-key' ? 'unknown-field' : 'config-invalid',
            message: issue.message,
            range: lines.rangeAt(off[0]!, off[1]!),
          });
        }
        const secrets = checkKeysNotSecrets(v, (p) => {
          const s = parsed.spans.get(pathKey(p))?.value ?? [0, 0];
          return lines.rangeAt(s[0], s[1]);
        });
        // The secret message replaces the generic one at the same place.
        for (const s of secrets) {
          const i = diagnostics.findIndex(
            (d) => d.range.start.line === s.range.start.line && d.range.start.character === s.range.start.character,
          );
          if (i >= 0) diagnostics.splice(i, 1);
        }
        diagnostics.push(...secrets);
        diagnostics.push(
          ...checkProviderNames(data.providers, (p) => {
            const s = parsed.spans.get(pathKey(p))?.value ?? [0, 0];
            return lines.rangeAt(s[0], s[1]);
          }),
        );
        diagnostics.push(
          ...checkGraderProvider(data, (p) => {
            const s = parsed.spans.get(pathKey(p))?.value ?? [0, 0];
            return lines.rangeAt(s[0], s[1]);
          }),
        );
      }
    }
  }
  const fromEnv = {
    defaultModel: env.LLM_MODEL?.trim() ? 'LLM_MODEL' : undefined,
    fallbackModel: env.LLM_FALLBACK_MODEL?.trim() ? 'LLM_FALLBACK_MODEL' : undefined,
  };
  return {
    config: resolve(data, env, notices),
    file,
    exists: text !== undefined,
    diagnostics,
    notices,
    rangeOf,
    fromEnv,
  };
}

function resolve(data: RawConfig, env: Env, notices: string[]): ResolvedConfig {
  const models = data.models ?? {};
  const providers = (data.providers ?? []).map((p): ResolvedProvider => ({
    name: p.name,
    type: p.type ?? 'openai',
    baseURL: p.baseURL ?? (p.type === 'echo' ? undefined : p.name === 'openai' ? DEFAULT_PROVIDER.baseURL : undefined),
    apiKeyEnv: p.apiKeyEnv ?? 'OPENAI_API_KEY',
    ...(p.apiKeyEnv !== undefined ? { apiKeyEnvExplicit: true } : {}),
    ...(p.models ? { models: uniqueDeclared(p.models) } : {}),
  }));
  let refresh = data.refreshIntervalHours ?? DEFAULT_REFRESH_HOURS;
  const envRefresh = env.MODEL_REFRESH_INTERVAL_HOURS?.trim();
  if (envRefresh) {
    const n = Number(envRefresh);
    if (Number.isFinite(n) && n > 0) refresh = n;
    else notices.push(`MODEL_REFRESH_INTERVAL_HOURS="${envRefresh}" is not a positive number; using ${refresh}`);
  }
  return {
    promptGlobs: data.prompts ?? DEFAULT_PROMPT_GLOBS,
    providers: providers.length ? providers : [DEFAULT_PROVIDER],
    defaultModel: env.LLM_MODEL?.trim() || data.defaultModel,
    fallbackModel: env.LLM_FALLBACK_MODEL?.trim() || data.fallbackModel,
    enabledModels: models.enabled,
    labels: models.labels ?? {},
    refreshIntervalHours: refresh,
    ...(data.grader ? { grader: data.grader } : {}),
  };
}

function uniqueDeclared(models: NonNullable<ProviderConfig['models']>): DeclaredModel[] {
  const seen = new Map<string, DeclaredModel>();
  for (const m of models) {
    const d = typeof m === 'string' ? { id: m } : m;
    if (!seen.has(d.id)) seen.set(d.id, d);
  }
  return [...seen.values()];
}

/** A key pasted where a variable name belongs would be committed to git; flag it without echoing it. */
function checkKeysNotSecrets(
  raw: Record<string, unknown>,
  rangeOf: (p: (string | number)[]) => Diagnostic['range'],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const providers = Array.isArray(raw.providers) ? raw.providers : [];
  providers.forEach((p, i) => {
    const v = isRecord(p) ? p.apiKeyEnv : undefined;
    if (typeof v === 'string' && looksLikeSecret(v)) {
      out.push({
        severity: 'error',
        code: 'config-invalid',
        message:
          'apiKeyEnv looks like an API key. Put the NAME of an environment variable here (e.g. OPENAI_API_KEY), remove the key from this file and rotate it',
        range: rangeOf(['providers', i, 'apiKeyEnv']),
      });
    }
  });
  return out;
}

/** A grader pinned to a provider that is not configured could never run. */
function checkGraderProvider(data: RawConfig, rangeOf: (p: (string | number)[]) => Diagnostic['range']): Diagnostic[] {
  const grader = data.grader;
  if (!grader?.provider) return [];
  const names = (data.providers ?? [{ name: DEFAULT_PROVIDER.name }]).map((p) => p.name);
  if (names.includes(grader.provider)) return [];
  return [
    {
      severity: 'error',
      code: 'config-invalid',
      message: `grader.provider "${grader.provider}" is not a configured provider (${names.join(', ')})`,
      range: rangeOf(['grader', 'provider']),
    },
  ];
}

function checkProviderNames(
  providers: ProviderConfig[] | undefined,
  rangeOf: (p: (string | number)[]) => Diagnostic['range'],
): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  (providers ?? []).forEach((p, i) => {
    if (seen.has(p.name)) {
      out.push({
        severity: 'error',
        code: 'config-invalid',
        message: `Provider name "${p.name}" is used twice; names must be unique`,
        range: rangeOf(['providers', i, 'name']),
      });
    }
    seen.add(p.name);
    const ids = new Set<string>();
    (p.models ?? []).forEach((m, j) => {
      const id = typeof m === 'string' ? m : m.id;
      if (ids.has(id)) {
        out.push({
          severity: 'error',
          code: 'config-invalid',
          message: `Model "${id}" is declared twice for provider "${p.name}"`,
          range: rangeOf(typeof m === 'string' ? ['providers', i, 'models', j] : ['providers', i, 'models', j, 'id']),
        });
      }
      ids.add(id);
    });
    if ((p.type ?? 'openai') === 'openai' && !p.baseURL && p.name !== 'openai') {
      out.push({
        severity: 'error',
        code: 'config-invalid',
        message: `Provider "${p.name}" needs a baseURL`,
        range: rangeOf(['providers', i, 'name']),
      });
    }
  });
  return out;
}
