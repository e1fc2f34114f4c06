import { hashVars, type CallRecord } from '../core/calls/callLog';
import type { LoadedPrompt } from './types';

/** Token counts as the OpenAI SDK reports them (chat completions or responses API). */
export interface Usage {
  prompt_tokens?: number;
  completion_tokens?: number;
  input_tokens?: number;
  output_tokens?: number;
}

/** What an app knows about one LLM call. Only `latencyMs` is required. */
export interface CallInfo {
  latencyMs: number;
  /** The model that answered; default: the prompt's model. */
  model?: string;
  /** The provider name, as in prompt-registry.yaml; default "openai". */
  provider?: string;
  /** True when the fallback model answered. */
  fallback?: boolean;
  /** The vars given to `render`: only a hash is kept (equal inputs, equal hash), never the values. */
  vars?: Record<string, unknown>;
  usage?: Usage;
  costUsd?: number;
  /** Default: 'error' when `error` is set, else 'pass' (a usable answer). Set 'fail' when your own check rejects the answer. */
  status?: CallRecord['status'];
  /** Why there was no usable answer. Keep prompt text and inputs out of it. */
  error?: string | Error;
  ts?: Date;
}

/**
 * A call-log record with the shape of the suite runner's (CallRecord, kind
 * 'app'): the prompt by id and version, never its text or the vars' values.
 * `promptVersion` is the blob sha, as in the runner's records, so every call
 * is attributable, committed or not; `promptVersionNumber` is N when known.
 */
export function callRecord(prompt: LoadedPrompt, call: CallInfo): CallRecord {
  const u = call.usage ?? {};
  const error = call.error instanceof Error ? call.error.message : call.error;
  return {
    ts: (call.ts ?? new Date()).toISOString(),
    kind: 'app',
    promptId: prompt.id,
    promptVersion: prompt.blobSha,
    ...(prompt.version !== null ? { promptVersionNumber: prompt.version } : {}),
    ...(prompt.commit ? { promptCommit: prompt.commit } : {}),
    ...(prompt.label ? { promptLabel: prompt.label } : {}),
    provider: call.provider ?? 'openai',
    model: call.model ?? prompt.model,
    fallback: call.fallback ?? false,
    varsHash: hashVars(call.vars ?? {}),
    tokensIn: u.prompt_tokens ?? u.input_tokens ?? 0,
    tokensOut: u.completion_tokens ?? u.output_tokens ?? 0,
    ...(call.costUsd !== undefined ? { costUsd: call.costUsd } : {}),
    latencyMs: Math.round(call.latencyMs),
    status: call.status ?? (error ? 'error' : 'pass'),
    ...(error ? { error } : {}),
  };
}
