import * as fs from 'node:fs';
import * as path from 'node:path';
import { globSync } from 'tinyglobby';
import { emptyCatalog, mergeProviderModels } from '../catalog/merge';
import { catalogPath, serializeCatalog } from '../catalog/store';
import type { Catalog } from '../catalog/types';
import { CONFIG_FILE } from '../config/load';
import { writeFileAtomically } from '../fs/atomic';

export const CONFIG_TEMPLATE = `# Prompt Registry workspace configuration. Every key is optional.
# Docs: docs/prompt-format.md and docs/configuration.md

# Where prompt files live (globs relative to this folder).
prompts: ["prompts/**/*.md"]

# OpenAI-compatible endpoints; the first one is the default.
providers:
  - name: openai
    baseURL: https://api.openai.com/v1
    apiKeyEnv: OPENAI_API_KEY   # the NAME of the variable, never the key

# The environment variables LLM_MODEL and LLM_FALLBACK_MODEL override these.
defaultModel: gpt-4o
fallbackModel: gpt-4o-mini

models:
  # Allowlist. Remove it to allow every active model in the catalog.
  enabled: [gpt-4o, gpt-4o-mini, gpt-4.1, gpt-4.1-mini, gpt-5, gpt-5-mini]
  labels:
    gpt-4o: "GPT-4o (general)"
    gpt-4o-mini: "GPT-4o mini (cheap)"

# How often the catalog is refreshed; MODEL_REFRESH_INTERVAL_HOURS overrides it.
refreshIntervalHours: 168
`;

const GITIGNORE_LINES = ['.prompt-registry/calls/', '.prompt-registry/cache/', '.prompt-registry/*.lock'];

export interface InitResult {
  created: string[];
  skipped: string[];
}

/** OpenAI's current text models: what a new workspace's default provider would list, before its first refresh. */
export const SEED_MODELS = [
  'gpt-5',
  'gpt-5-mini',
  'gpt-5-nano',
  'gpt-4.1',
  'gpt-4.1-mini',
  'gpt-4.1-nano',
  'gpt-4o',
  'gpt-4o-mini',
  'gpt-4-turbo',
  'gpt-3.5-turbo',
  'o3',
  'o3-mini',
  'o4-mini',
];

/** A catalog seeded as if the default provider had just listed SEED_MODELS, with the bundled snapshot's metadata. */
export function seedCatalog(now: Date, provider = 'openai'): Catalog {
  const { catalog } = mergeProviderModels(
    emptyCatalog(),
    provider,
    SEED_MODELS.map((id) => ({ id })),
    now,
  );
  // Not refreshed yet: the first refresh is due at once.
  return { ...catalog, providers: {} };
}

/**
 * Sets up a repository: config, seeded catalog, sample prompts, git-ignore
 * entries. Never overwrites a file that exists; reports what it skipped.
 */
export async function initWorkspace(root: string, samplesDir: string, now = new Date()): Promise<InitResult> {
  const result: InitResult = { created: [], skipped: [] };
  const write = async (rel: string, content: string) => {
    const abs = path.join(root, rel);
    if (fs.existsSync(abs)) {
      result.skipped.push(rel);
      return;
    }
    await writeFileAtomically(abs, content);
    result.created.push(rel);
  };
  await write(CONFIG_FILE, CONFIG_TEMPLATE);
  await write(path.relative(root, catalogPath(root)), serializeCatalog(seedCatalog(now)));
  for (const rel of globSync(['**/*'], { cwd: samplesDir, onlyFiles: true, dot: false }).sort()) {
    await write(path.join('prompts', rel), fs.readFileSync(path.join(samplesDir, rel), 'utf8'));
  }
  const gitignore = path.join(root, '.gitignore');
  const existing = fs.existsSync(gitignore) ? fs.readFileSync(gitignore, 'utf8') : '';
  const missing = GITIGNORE_LINES.filter((l) => !existing.split(/\r?\n/).includes(l));
  if (missing.length) {
    const sep = existing === '' || existing.endsWith('\n') ? '' : '\n';
    await writeFileAtomically(
      gitignore,
      `${existing}${sep}# Prompt Registry: local call logs and response cache\n${missing.join('\n')}\n`,
    );
    result.created.push('.gitignore entries');
  }
  return result;
}
