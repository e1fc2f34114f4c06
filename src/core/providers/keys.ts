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
