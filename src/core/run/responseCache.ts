import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ChatMessage } from '../prompt/template';
import type { CompletionParams, TokenUsage } from '../providers/types';

export const CACHE_DIR = path.join('.prompt-registry', 'cache');

/** Everything that decides an answer. Two requests with equal keys may share one answer. */
export interface CacheKeyParts {
  /** The endpoint (ChatProvider.cacheIdentity). */
  provider: string;
  model: string;
  messages: ChatMessage[];
  params: CompletionParams;
  json: boolean;
}

export interface CachedAnswer {
  text: string;
  usage: TokenUsage;
  model: string;
  /** The latency of the call that produced it, so latency assertions stay stable on a re-run. */
  latencyMs: number;
  createdAt: string;
}

export function cacheKey(k: CacheKeyParts): string {
  // Field order is fixed here, so the key does not depend on how callers build objects.
  const canonical = JSON.stringify([1, k.provider, k.model, k.messages.map((m) => [m.role, m.content]), [k.params.temperature ?? null, k.params.max_tokens ?? null, k.params.top_p ?? null], k.json]);
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Successful answers on disk under `.prompt-registry/cache/ab/abcdef….json`
 * (git-ignored by init). Only successes are stored: an error is never replayed.
 * A torn or foreign file reads as a miss.
 */
export class ResponseCache {
  readonly dir: string;

  constructor(root: string) {
    this.dir = path.join(root, CACHE_DIR);
  }

  async get(key: string): Promise<CachedAnswer | undefined> {
    try {
      const v = JSON.parse(await fs.promises.readFile(this.file(key), 'utf8')) as CachedAnswer;
      return typeof v?.text === 'string' && v.usage && typeof v.model === 'string' ? v : undefined;
    } catch {
      return undefined;
    }
  }

  /** Never throws: a cache that cannot be written only costs a call next time. */
  async set(key: string, value: CachedAnswer): Promise<void> {
    const file = this.file(key);
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await fs.promises.mkdir(path.dirname(file), { recursive: true });
      // Through a temporary file and a rename, so a concurrent reader never sees half an answer.
      await fs.promises.writeFile(tmp, JSON.stringify(value));
      await fs.promises.rename(tmp, file);
    } catch {
      await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
    }
  }

  private file(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key}.json`);
  }
}
