import * as path from 'node:path';
import {
  CONFIG_FILE,
  parseConfig,
  type Env,
  type LoadedConfig,
  type ResolvedConfig,
  type ResolvedProvider,
} from '../config/load';
import type { Diagnostic } from '../text/diagnostics';
import { readObjects, resolveCommit } from '../git/git';
import { registryLocation } from '../workspace/promptsAtRef';
import { ZERO_RANGE } from '../text/lineIndex';
import { originOf } from '../providers/keyPolicy';

/** Where requests (and keys) go: what a reviewer must see first. */
export type ProviderField = 'provider' | 'baseURL' | 'apiKeyEnv' | 'type' | 'grader.model' | 'grader.provider';

export interface ProviderChange {
  /** The provider's name; `grader` for the grader settings. */
  provider: string;
  /** `provider`: added (before undefined) or removed (after undefined). */
  field: ProviderField;
  before?: string;
  after?: string;
}

/** Changes to `providers` and `grader` between two configs, in HEAD's order, removed providers last. */
export function providerChanges(base: ResolvedConfig, head: ResolvedConfig): ProviderChange[] {
  const out: ProviderChange[] = [];
  const baseBy = new Map(base.providers.map((p) => [p.name, p]));
  const headNames = new Set(head.providers.map((p) => p.name));
  for (const h of head.providers) {
    const b = baseBy.get(h.name);
    if (!b) {
      out.push({ provider: h.name, field: 'provider', after: describe(h) });
      continue;
    }
    for (const field of ['type', 'baseURL', 'apiKeyEnv'] as const) {
      if ((b[field] ?? '') !== (h[field] ?? ''))
        out.push({ provider: h.name, field, before: b[field], after: h[field] });
    }
  }
  for (const b of base.providers)
    if (!headNames.has(b.name)) out.push({ provider: b.name, field: 'provider', before: describe(b) });
  for (const field of ['model', 'provider'] as const) {
    const before = base.grader?.[field];
    const after = head.grader?.[field];
    if (before !== after) out.push({ provider: 'grader', field: `grader.${field}`, before, after });
  }
  return out;
}

function describe(p: ResolvedProvider): string {
  return p.type === 'echo' ? 'echo' : `${p.baseURL ?? ''} (key: $${p.apiKeyEnv})`;
}

/** A provider HEAD would call whose endpoint is not the one BASE has for that name (or that BASE does not have). */
export interface OriginChange {
  provider: string;
  before?: string;
  after: string;
}

/** Of the providers a HEAD run would call, those pointing somewhere BASE did not: `diff --run` calls none of them unless told to. */
export function originChanges(base: ResolvedConfig, used: readonly ResolvedProvider[]): OriginChange[] {
  const out: OriginChange[] = [];
  for (const h of used) {
    if (h.type !== 'openai') continue;
    const after = originOf(h.baseURL)?.origin ?? h.baseURL ?? '';
    const b = base.providers.find((p) => p.name === h.name && p.type === 'openai');
    const before = b ? (originOf(b.baseURL)?.origin ?? b.baseURL ?? '') : undefined;
    if (before !== after) out.push({ provider: h.name, ...(before !== undefined ? { before } : {}), after });
  }
  return out;
}

/** Each change as a warning at its line in HEAD's prompt-registry.yaml (a removed provider at `providers`). */
export function providerChangeDiagnostics(changes: readonly ProviderChange[], head: LoadedConfig): Diagnostic[] {
  const index = (name: string) => head.config.providers.findIndex((p) => p.name === name);
  return changes.map((c): Diagnostic => {
    const i = index(c.provider);
    const at: (string | number)[] =
      c.provider === 'grader'
        ? ['grader', c.field.slice('grader.'.length)]
        : i < 0
          ? ['providers']
          : c.field === 'provider'
            ? ['providers', i, 'name']
            : ['providers', i, c.field];
    const range = head.rangeOf(at) ?? head.rangeOf(at.slice(0, -1)) ?? head.rangeOf([at[0]!]) ?? ZERO_RANGE;
    const what =
      c.field === 'provider'
        ? c.before === undefined
          ? `provider "${c.provider}" added: ${c.after}`
          : `provider "${c.provider}" removed (was ${c.before})`
        : `${c.provider === 'grader' ? c.field : `provider "${c.provider}": ${c.field}`} changed from ${c.before ?? '(unset)'} to ${c.after ?? '(unset)'}`;
    return {
      severity: 'warning',
      code: 'provider-change',
      message: `${what}. This decides where requests and keys go: check it before running suites with secrets.`,
      range,
    };
  });
}

/** prompt-registry.yaml as committed at `ref`. Throws GitError for a bad ref. */
export async function configAtRef(root: string, ref: string, env: Env = process.env): Promise<LoadedConfig> {
  const { top, prefix } = await registryLocation(root);
  const commit = await resolveCommit(top, ref);
  const spec = `${commit}:${prefix ? `${prefix}/${CONFIG_FILE}` : CONFIG_FILE}`;
  const blob = (await readObjects(top, [spec])).get(spec);
  return parseConfig(blob ? blob.toString('utf8') : undefined, path.join(root, CONFIG_FILE), env);
}
