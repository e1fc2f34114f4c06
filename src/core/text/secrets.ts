/** Strings shaped like provider API keys. Used to avoid echoing a pasted key into a message or log. */
const SECRET_SHAPE = /^(sk-|sk_|xai-|gsk_|AIza|hf_|Bearer\s)|^[A-Za-z0-9_-]{32,}$/;

export function looksLikeSecret(s: string): boolean {
  return SECRET_SHAPE.test(s) && !/^[A-Z][A-Z0-9_]*$/.test(s);
}
