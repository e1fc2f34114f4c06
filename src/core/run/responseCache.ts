import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ChatMessage } from '../prompt/template';
import type { CompletionParams, TokenUsage } from '../providers/types';
import { JsonlAppender, jsonlFiles } from '../fs/jsonlAppender';

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
  const canonical = JSON.stringify([
    1,
    k.provider,
    k.model,
    k.messages.map((m) => [m.role, m.content]),
    [k.params.temperature ?? null, k.params.max_tokens ?? null, k.params.top_p ?? null],
    k.json,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

const CURRENT = 'answers.jsonl';
/** Segments rotate at this size and the newest few are kept: the cache holds the latest ~64 MB of answers. */
const SEGMENT_BYTES = 16 * 1024 * 1024;
const KEEP_SEGMENTS = 3;

/**
 * Successful answers on disk, as JSON lines under `.prompt-registry/cache/`
 * (git-ignored by init). Only successes are stored: an error is never replayed.
 *
 * One append per batch and one read per run, rather than a file per answer:
 * on a busy machine the per-file create/rename cost ~1 ms each, more than the
 * rest of a case. Lines that do not parse (a torn write) are skipped; a later
 * line for the same key wins.
 */
export class ResponseCache {
  readonly dir: string;
  private index?: Map<string, string>;
  private readonly out: JsonlAppender;

  constructor(root: string) {
    this.dir = path.join(root, CACHE_DIR);
    this.out = new JsonlAppender(this.dir, {
      current: CURRENT,
      rotatedPrefix: 'answers',
      maxBytes: SEGMENT_BYTES,
      keepRotated: KEEP_SEGMENTS,
    });
  }

  async get(key: string): Promise<CachedAnswer | undefined> {
    const line = this.load().get(key);
    if (!line) return undefined;
    try {
      const v = (JSON.parse(line) as { a: CachedAnswer }).a;
      return typeof v?.text === 'string' && v.usage && typeof v.model === 'string' ? v : undefined;
    } catch {
      return undefined;
    }
  }

  /** Never throws: a cache that cannot be written only costs a call next time. */
  async set(key: string, value: CachedAnswer): Promise<void> {
    const line = JSON.stringify({ k: key, a: value });
    this.load().set(key, line);
    this.out.append(line);
  }

  /** Writes what `set` queued; call at the end of a run. */
  flush(): Promise<void> {
    return this.out.flush();
  }

  /** Reads every segment once, keeping each line unparsed until its key is asked for. */
  private load(): Map<string, string> {
    if (this.index) return this.index;
    this.index = new Map();
    for (const file of jsonlFiles(this.dir, CURRENT)) {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      for (const line of text.split('\n')) {
        // Lines start with {"k":"<64 hex digits>", so the key is read without parsing the answer.
        if (line.startsWith('{"k":"') && line.charCodeAt(70) === 34) this.index.set(line.slice(6, 70), line);
      }
    }
    return this.index;
  }
}
