import type { ResolvedProvider } from '../config/load';

/** A provider that refuses every request without a key; local and compatible servers often need none. */
export function needsApiKey(provider: ResolvedProvider): boolean {
  return provider.type === 'openai' && /(^|\.)openai\.com$/.test(hostOf(provider.baseURL));
}

function hostOf(url?: string): string {
  try {
    return url ? new URL(url).hostname : '';
  } catch {
    return '';
  }
}

/**
 * A provider that is sent a key when there is one. The Testing view refuses to
 * run a case on such a provider without a key; `needsApiKey` above is the
 * narrower rule the CLI's calls and the catalog refresh apply.
 */
export function takesApiKey(provider: ResolvedProvider): boolean {
  return provider.type === 'openai';
}
