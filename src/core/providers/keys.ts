import type { ResolvedProvider } from '../config/load';

/** `apiKeyEnv: none` in prompt-registry.yaml: the provider takes no key at all. */
export const NO_KEY_ENV = 'none';

/**
 * The one rule for whether calling a provider without a key is an error (the
 * refresh, the runner, the Testing view and Set API Key all ask it):
 * - the built-in echo never needs one;
 * - `apiKeyEnv: none` says so explicitly;
 * - a local server (Ollama, LM Studio, vLLM on a loopback address) needs none,
 *   unless the config names an `apiKeyEnv` for it (a local gateway that checks keys);
 * - every other endpoint does.
 */
export function needsApiKey(provider: ResolvedProvider): boolean {
  if (provider.type === 'echo') return false;
  if (provider.apiKeyEnv === NO_KEY_ENV) return false;
  if (isLoopback(provider.baseURL) && !provider.apiKeyEnvExplicit) return false;
  return true;
}

/** localhost, 127.0.0.0/8 and [::1]: requests that never leave the machine. */
export function isLoopback(url: string | undefined): boolean {
  let host: string;
  try {
    host = url ? new URL(url).hostname.toLowerCase() : '';
  } catch {
    return false;
  }
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '[::1]' || host === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
