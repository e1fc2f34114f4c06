/**
 * Removes secrets from text meant for a log, a notification or an error:
 * the exact keys we hold, and anything shaped like a vendor key a provider echoed back
 * (OpenAI/OpenRouter/Anthropic `sk-…`, Google `AIza…`, Groq `gsk_…`, xAI `xai-…`, any Bearer token).
 */
export function redact(text: string, secrets: (string | undefined)[] = []): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  return out
    .replace(/\b(sk|rk|pk)-[A-Za-z0-9_*-]{6,}/g, '$1-[redacted]')
    .replace(/\bAIza[A-Za-z0-9_-]{20,}/g, 'AIza[redacted]')
    .replace(/\bgsk_[A-Za-z0-9]{16,}/g, 'gsk_[redacted]')
    .replace(/\bxai-[A-Za-z0-9]{16,}/g, 'xai-[redacted]')
    .replace(/(Bearer\s+)\S+/gi, '$1[redacted]');
}
