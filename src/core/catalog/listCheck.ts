/**
 * Why a provider's whole model list cannot be trusted, or undefined when it
 * can. One bad item rejects the list rather than being skipped: merging the
 * rest would deactivate the skipped model and hide a provider bug behind a
 * quiet catalog change.
 */
export function modelListProblem(items: unknown[]): string | undefined {
  const firstAt = new Map<string, number>();
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const n = i + 1;
    if (!item || typeof item !== 'object' || Array.isArray(item))
      return `model ${n} of ${items.length} is not an object`;
    const r = item as Record<string, unknown>;
    if (typeof r.id !== 'string')
      return `model ${n} of ${items.length} has a ${r.id === undefined ? 'missing' : `non-string (${JSON.stringify(r.id)?.slice(0, 40)})`} id`;
    const id = r.id.trim();
    if (id === '') return `model ${n} of ${items.length} has an empty id`;
    const first = firstAt.get(id);
    if (first !== undefined) return `model id "${id}" is listed twice (models ${first} and ${n})`;
    firstAt.set(id, n);
    const pricing = r.pricing;
    if (pricing && typeof pricing === 'object') {
      for (const key of ['prompt', 'completion'] as const) {
        const problem = priceProblem((pricing as Record<string, unknown>)[key]);
        if (problem)
          return `model "${id}" has ${problem} pricing.${key} (${JSON.stringify((pricing as Record<string, unknown>)[key])?.slice(0, 40)})`;
      }
    }
  }
  return undefined;
}

/**
 * OpenRouter prices its routers (`openrouter/auto`) as "-1": a price decided
 * per request. That one value means "unknown"; any other negative is an error.
 */
export function isVariablePrice(v: unknown): boolean {
  return v === '-1' || v === -1;
}

function priceProblem(v: unknown): string | undefined {
  if (v === undefined || v === null || isVariablePrice(v)) return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n)) return 'a non-numeric';
  if (n < 0) return 'a negative';
  return undefined;
}
