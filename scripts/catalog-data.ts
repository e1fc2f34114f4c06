/**
 * Writes src/core/catalog/modelData.json: the model metadata the catalog fills
 * in when a provider's list lacks it, trimmed from @pydantic/genai-prices (a
 * maintained, MIT-licensed price and context-window catalog) to what the
 * catalog uses, so the extension ships tens of KB rather than the package's MB.
 *
 *   npm run catalog:data              # today's date in the snapshot
 *   npm run catalog:data -- 2026-12-01
 *
 * Review the diff like a refresh: prices that moved, models that came and went.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findProvider } from '@pydantic/genai-prices';
import type { ConditionalPrice, ModelInfo, ModelPrice, Provider } from '@pydantic/genai-prices';
import { matches, type MatchRule, type ModelData, type SnapshotModel } from '../src/core/catalog/modelData';

/** genai-prices provider id → our vendor name. Each is the vendor's own API, so its prices are list prices. */
const VENDORS: [string, string][] = [
  ['openai', 'openai'],
  ['anthropic', 'anthropic'],
  ['google', 'google'],
  ['mistral', 'mistral'],
  ['deepseek', 'deepseek'],
  ['x-ai', 'xai'],
  ['cohere', 'cohere'],
  ['moonshotai', 'moonshotai'],
];

const OUT = path.join(__dirname, '..', 'src', 'core', 'catalog', 'modelData.json');

function main(): void {
  const day = process.argv[2] ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`expected a date such as 2026-12-01, got ${day}`);
  // The package exports no ./package.json; its entry point sits in dist/ beside it.
  const pkgFile = path.join(path.dirname(require.resolve('@pydantic/genai-prices')), '..', 'package.json');
  const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as { version: string; license: string };
  const data: ModelData = {
    source: '@pydantic/genai-prices',
    sourceVersion: pkg.version,
    license: pkg.license,
    generated: day,
    vendors: {},
  };
  const providers = VENDORS.map(([providerId, vendor]): [string, Provider] => {
    const provider = findProvider({ providerId });
    if (!provider) throw new Error(`@pydantic/genai-prices has no provider "${providerId}"`);
    return [vendor, provider];
  });
  for (const [vendor, provider] of providers) {
    // Google's list also prices Claude on Vertex: a model another vendor claims is that vendor's.
    const othersClaim = (id: string) =>
      providers.some(([v, p]) => v !== vendor && p.model_match && matches(p.model_match as MatchRule, id));
    const models = provider.models
      .filter((m) => !othersClaim(m.id))
      .map((m) => trim(m, day))
      .filter((m): m is SnapshotModel => m !== undefined);
    data.vendors[vendor] = { name: provider.name, models };
  }
  const text = serialize(data);
  fs.writeFileSync(OUT, text);
  const count = Object.values(data.vendors).reduce((n, v) => n + v.models.length, 0);
  console.log(
    `${path.relative(process.cwd(), OUT)}: ${count} models from ${data.source} ${data.sourceVersion}, ${Math.round(text.length / 1024)} KB`,
  );
}

/** One model a line: a refresh of the data reads as a line diff per model that changed. */
function serialize(data: ModelData): string {
  const { vendors, ...head } = data;
  const lines = Object.entries(head).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`);
  const blocks = Object.entries(vendors).map(
    ([vendor, v]) =>
      `    ${JSON.stringify(vendor)}: {\n      "name": ${JSON.stringify(v.name)},\n      "models": [\n${v.models.map((m) => `        ${JSON.stringify(m)}`).join(',\n')}\n      ]\n    }`,
  );
  return `{\n${lines.join('\n')}\n  "vendors": {\n${blocks.join(',\n')}\n  }\n}\n`;
}

function trim(m: ModelInfo, day: string): SnapshotModel | undefined {
  const price = currentPrice(m.prices, day);
  const input = perMillion(price?.input_mtok);
  const output = perMillion(price?.output_mtok);
  if (m.context_window === undefined && input === undefined && output === undefined) return undefined;
  const out: SnapshotModel = { id: m.id, match: m.match };
  // "gpt 4o" says less than the id "gpt-4o" and reads worse: a name only when it adds something.
  if (m.name && m.name !== m.id.replace(/-/g, ' ')) out.name = m.name;
  if (m.context_window) out.contextWindow = m.context_window;
  if (input !== undefined) out.input = input;
  if (output !== undefined) out.output = output;
  if (m.deprecated) out.deprecated = true;
  return out;
}

/** The price in force on `day`: dated price changes take the latest that has started; time-of-day discounts are ignored. */
function currentPrice(prices: ModelInfo['prices'], day: string): ModelPrice | undefined {
  if (!Array.isArray(prices)) return prices;
  let best: ConditionalPrice | undefined;
  for (const p of prices) {
    const c = p.constraint;
    if (!c) best ??= p;
    else if (
      c.type === 'start_date' &&
      c.start_date.slice(0, 10) <= day &&
      (!best?.constraint || (best.constraint.type === 'start_date' && best.constraint.start_date <= c.start_date))
    )
      best = p;
  }
  return (best ?? prices[0])?.prices;
}

/** Tiered prices (more per token past a context length) keep their base rate: what most prompts pay. */
function perMillion(v: ModelPrice[string]): number | undefined {
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object' && typeof v.base === 'number') return v.base;
  return undefined;
}

main();
