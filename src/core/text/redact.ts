/**
 * Removes secrets from text meant for a log, a notification or an error:
 * the exact keys we hold, and anything shaped like a bearer key a provider echoed back.
 */
export function redact(text: string, secrets: (string | undefined)[] = []): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  return out.replace(/\b(sk|rk|pk)-[A-Za-z0-9_*-]{6,}/g, '$1-[redacted]').replace(/(Bearer\s+)\S+/gi, '$1[redacted]');
}
