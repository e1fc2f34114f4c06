import { needsApiKey } from './keys';
import type { ResolvedProvider } from '../config/load';

/**
 * Where an API key may go. A repository's prompt-registry.yaml chooses the
 * endpoints, but only the user (outside the repository) or the built-in vendor
 * list may let a key reach one: otherwise a pull request that edits a baseURL
 * receives the key.
 *
 * An origin is scheme, host and port (`https://api.openai.com:443`), so the same
 * host on another port or over plain http is a different place.
 */

/** Each well-known key variable and the only hosts its vendor serves it on (https, default port). */
export const BUILT_IN_KEY_HOSTS: Readonly<Record<string, readonly string[]>> = {
  OPENAI_API_KEY: ['api.openai.com'],
  OPENROUTER_API_KEY: ['openrouter.ai'],
  ANTHROPIC_API_KEY: ['api.anthropic.com'],
  GEMINI_API_KEY: ['generativelanguage.googleapis.com'],
  GOOGLE_API_KEY: ['generativelanguage.googleapis.com'],
  MISTRAL_API_KEY: ['api.mistral.ai'],
  GROQ_API_KEY: ['api.groq.com'],
  DEEPSEEK_API_KEY: ['api.deepseek.com'],
  XAI_API_KEY: ['api.x.ai'],
};

/** Where a user's allowance came from, so messages can say which one let a key through. */
export type AllowanceSource = 'env' | 'file' | 'flag' | 'editor';

/** One host the user allowed: every port when `port` is absent; every key variable when `variable` is absent. */
export interface HostAllowance {
  host: string;
  port?: number;
  variable?: string;
  source: AllowanceSource;
}

export interface Origin {
  /** As browsers write it: `https://api.openai.com`, `http://127.0.0.1:8080` (default ports left out). */
  origin: string;
  scheme: string;
  host: string;
  port: number;
}

export type KeyDecision =
  /** Send the key. */
  | {
      kind: 'allowed';
      provider: string;
      variable: string;
      origin: string;
      host: string;
      by: 'built-in' | AllowanceSource;
    }
  /** The provider needs its key and this origin is not allowed for it: make no request at all. */
  | { kind: 'refused'; provider: string; variable: string; origin: string; host: string; port: number }
  /** The provider works without a key (a local server) and this origin is not allowed: call it without one. */
  | { kind: 'withheld'; provider: string; variable: string; origin: string; host: string }
  /** Nothing to decide: no key is set, or the provider never takes one (echo). */
  | { kind: 'no-key'; provider: string; variable: string };

export type RefusedKey = Extract<KeyDecision, { kind: 'refused' }>;

const DEFAULT_PORT: Record<string, number> = { 'http:': 80, 'https:': 443 };

export function originOf(baseURL: string | undefined): Origin | undefined {
  if (!baseURL) return undefined;
  let u: URL;
  try {
    u = new URL(baseURL);
  } catch {
    return undefined;
  }
  const port = u.port ? Number(u.port) : DEFAULT_PORT[u.protocol];
  if (port === undefined) return undefined;
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  return { origin: u.origin, scheme: u.protocol.slice(0, -1), host, port };
}

/**
 * Whether a provider fails without its key: the one rule of providers/keys.ts.
 * A provider that needs none (a local server) is still called when its host is
 * not allowed, only without the key.
 */
export function keyRequired(p: ResolvedProvider): boolean {
  return needsApiKey(p);
}

/** The one decision every place that attaches a key to a request makes first. */
export function decideKey(
  p: ResolvedProvider,
  key: string | undefined,
  allowances: readonly HostAllowance[],
): KeyDecision {
  const variable = p.apiKeyEnv;
  if (p.type !== 'openai' || !key) return { kind: 'no-key', provider: p.name, variable };
  const url = p.baseURL ?? 'https://api.openai.com/v1';
  const o = originOf(url);
  if (!o) return { kind: 'refused', provider: p.name, variable, origin: url, host: url, port: 0 };
  const by = allowedBy(variable, o, allowances);
  if (by) return { kind: 'allowed', provider: p.name, variable, origin: o.origin, host: o.host, by };
  if (keyRequired(p))
    return { kind: 'refused', provider: p.name, variable, origin: o.origin, host: o.host, port: o.port };
  return { kind: 'withheld', provider: p.name, variable, origin: o.origin, host: o.host };
}

/** The key to attach under a decision: only an allowed one. */
export function keyToSend(decision: KeyDecision, key: string | undefined): string | undefined {
  return decision.kind === 'allowed' ? key : undefined;
}

export function allowedBy(
  variable: string,
  o: Origin,
  allowances: readonly HostAllowance[],
): 'built-in' | AllowanceSource | undefined {
  if (o.scheme === 'https' && o.port === 443 && BUILT_IN_KEY_HOSTS[variable]?.includes(o.host)) return 'built-in';
  const hit = allowances.find(
    (a) =>
      a.host === o.host &&
      (a.port === undefined || a.port === o.port) &&
      (a.variable === undefined || a.variable === variable),
  );
  return hit?.source;
}

/** The allowance that lets exactly this refused key through (the editor's "Always for this host"). */
export function allowanceFor(refused: RefusedKey, source: AllowanceSource): HostAllowance {
  return { host: refused.host, port: refused.port, variable: refused.variable, source };
}

/** `host` or `host:port` (IPv6 in brackets); what PROMPT_REGISTRY_ALLOW_HOSTS, the allowed-hosts file and --allow-host take. */
export function parseHost(text: string, source: AllowanceSource): HostAllowance | { problem: string } {
  const t = text.trim().toLowerCase();
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9._-]+)(?::(\d{1,5}))?$/.exec(t);
  if (!m || (m[2] !== undefined && (Number(m[2]) < 1 || Number(m[2]) > 65535))) {
    return { problem: `"${text.trim()}" is not a host or host:port (for example api.example.com or 127.0.0.1:8080)` };
  }
  const host = m[1]!.startsWith('[') ? m[1]!.slice(1, -1) : m[1]!;
  return m[2] === undefined ? { host, source } : { host, port: Number(m[2]), source };
}

/** A comma- or line-separated list of hosts; `#` starts a comment. */
export function parseHostList(text: string, source: AllowanceSource): { hosts: HostAllowance[]; problems: string[] } {
  const hosts: HostAllowance[] = [];
  const problems: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    // A comment runs to the end of the line whatever it holds (a lone CR or U+2028, which a regexp's `.` stops
    // at, included): a host written after `#` is never allowed.
    for (const item of line.split('#', 1)[0]!.split(',')) {
      if (!item.trim()) continue;
      const h = parseHost(item, source);
      if ('problem' in h) problems.push(h.problem);
      else hosts.push(h);
    }
  }
  return { hosts, problems };
}

/** `host` or `host:port` as a user would type it to allow this refusal. */
export function hostSpec(refused: RefusedKey): string {
  const host = refused.host.includes(':') ? `[${refused.host}]` : refused.host;
  return refused.port ? `${host}:${refused.port}` : host;
}

/** The host-neutral reason; each host adds its own way to allow it. */
export function refusalReason(r: RefusedKey): string {
  return `${r.variable} is not sent to ${r.origin}: that host is not allowed for it`;
}
