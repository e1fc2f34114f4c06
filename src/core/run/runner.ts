import { evaluateAssertion, type AnswerFacts, type AssertionOutcome, type Verdict } from '../assert/evaluate';
import { graderMessages, parseVerdict } from '../assert/rubric';
import { CallLog, hashVars, type CallRecord } from '../calls/callLog';
import { promptVersion, type PromptVersion } from '../calls/promptVersion';
import { ProviderError } from '../providers/errors';
import { resolveModel } from '../catalog/lookup';
import { callCost } from '../catalog/cost';
import type { Catalog } from '../catalog/types';
import type { Env, ResolvedConfig } from '../config/load';
import type { ChatMessage } from '../prompt/template';
import type { ParsedPrompt } from '../prompt/types';
import type { HostAllowance } from '../providers/keyPolicy';
import { chooseProvider, ProviderPool } from './chooseProvider';
import type { ChatProvider, Completion, TokenUsage } from '../providers/types';
import { redact } from '../text/redact';
import type { PlannedCase, PlannedSuite } from './plan';
import { summarize, type CaseResult, type RunResult } from './results';
import { cacheKey, ResponseCache } from './responseCache';
import { errorMessage } from '../text/errorMessage';

export const DEFAULT_CONCURRENCY = 8;
export const DEFAULT_CASE_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_RETRIES = 2;

export interface RunOptions {
  root: string;
  config: ResolvedConfig;
  catalog?: Catalog;
  /** Where API keys come from (each provider's apiKeyEnv). Never logged. */
  env?: Env;
  /** Cases in flight at once. */
  concurrency?: number;
  /** Per model attempt of a case, retries included. */
  timeoutMs?: number;
  maxRetries?: number;
  /** Read and write the response cache (default true; `--no-cache` turns it off). */
  cache?: boolean;
  /** Runs every case on this provider (`--provider echo`). */
  provider?: string;
  /** Cancels the run: nothing more is sent, in-flight calls are aborted, unstarted cases are `cancelled`. */
  signal?: AbortSignal;
  /** Append a record per provider call to .prompt-registry/calls (default true). */
  callLog?: boolean;
  /** Hosts the user lets keys reach, beyond the built-in vendor hosts (providers/keyPolicy.ts). */
  allowances?: readonly HostAllowance[];
  /** For tests: the fetch the openai client uses. */
  fetch?: typeof globalThis.fetch;
  onCaseStart?: (c: PlannedCase) => void;
  onCaseEnd?: (r: CaseResult) => void;
}

interface CallOutcome {
  ok: boolean;
  completion?: Completion;
  error?: ProviderError;
  latencyMs: number;
  cached: boolean;
  provider: string;
  /** The model reference that was called. */
  model: string;
  cancelled?: boolean;
}

/**
 * Runs planned suites with bounded concurrency. Never throws for a case: a
 * provider fault (429 storm, 5xx, timeout, malformed body, reset) errors that
 * case with the reason, and the run goes on.
 */
export async function runSuites(suites: PlannedSuite[], opts: RunOptions): Promise<RunResult> {
  return new Runner(opts).run(suites);
}

class Runner {
  private readonly signal: AbortSignal;
  private readonly pool: ProviderPool;
  private readonly cache?: ResponseCache;
  private readonly log?: CallLog;
  private readonly versions = new Map<string, Promise<PromptVersion>>();
  private readonly secrets: string[];

  constructor(private readonly opts: RunOptions) {
    this.signal = opts.signal ?? new AbortController().signal;
    this.pool = new ProviderPool(opts.env ?? process.env, opts.fetch, opts.allowances);
    this.cache = opts.cache === false ? undefined : new ResponseCache(opts.root);
    this.log = opts.callLog === false ? undefined : new CallLog(opts.root);
    this.secrets = this.pool.secrets(opts.config);
  }

  async run(suites: PlannedSuite[]): Promise<RunResult> {
    const started = Date.now();
    const queue = suites.flatMap((s) => s.cases);
    const results: (CaseResult | undefined)[] = new Array(queue.length);
    let next = 0;
    // A fixed set of workers pulling from one queue: at most `concurrency` cases in flight, and a
    // cancelled run stops taking cases at once.
    const worker = async () => {
      while (!this.signal.aborted) {
        const i = next++;
        if (i >= queue.length) return;
        this.opts.onCaseStart?.(queue[i]!);
        const r = await this.runCase(queue[i]!);
        results[i] = r;
        this.opts.onCaseEnd?.(r);
      }
    };
    const width = Math.max(1, Math.min(this.opts.concurrency ?? DEFAULT_CONCURRENCY, queue.length));
    await Promise.all(Array.from({ length: width }, worker));
    const cases = queue.map(
      (c, i) => results[i] ?? this.finish(c, { status: 'cancelled', error: 'cancelled before it started' }),
    );
    await Promise.all([this.log?.flush(), this.cache?.flush()]);
    let offset = 0;
    const suiteResults = suites.map((s) => {
      const mine = cases.slice(offset, (offset += s.cases.length));
      const problems = s.problems.map(
        (d) => `${s.suite}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`,
      );
      return { suite: s.suite, file: s.file, model: s.model, promptId: s.promptId, problems, totals: summarize(mine) };
    });
    return {
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      cancelled: this.signal.aborted,
      cases,
      suites: suiteResults,
      totals: summarize(cases),
    };
  }

  private async runCase(c: PlannedCase): Promise<CaseResult> {
    const t0 = performance.now();
    try {
      return await this.runCaseUnsafe(c, t0);
    } catch (e) {
      // A bug of ours must not take the run down with it.
      return this.finish(c, {
        status: 'error',
        error: `internal error: ${redact(errorMessage(e), this.secrets)}`,
        durationMs: Math.round(performance.now() - t0),
      });
    }
  }

  private async runCaseUnsafe(c: PlannedCase, t0: number): Promise<CaseResult> {
    if (c.blocked || !c.messages || !c.model)
      return this.finish(c, { status: 'error', error: c.blocked ?? 'nothing to run', durationMs: 0 });
    const records: CallRecord[] = [];
    let call = await this.call(c.model, c.messages, c.json, c.params);
    let fallback = false;
    if (!call.ok && !call.cancelled && c.fallbackModel) {
      records.push(this.record(c, call, false, 'error'));
      fallback = true;
      call = await this.call(c.fallbackModel, c.messages, c.json, c.params);
    }
    const durationMs = () => Math.round(performance.now() - t0);
    if (!call.ok) {
      records.push(this.record(c, call, fallback, 'error'));
      await this.writeRecords(c, records);
      const note = fallback ? ` (and the fallback model ${c.fallbackModel} failed too)` : '';
      return this.finish(c, {
        status: call.cancelled ? 'cancelled' : 'error',
        error: call.cancelled ? 'cancelled' : `${call.error?.message ?? 'no answer'}${note}`,
        errorKind: call.cancelled ? 'cancelled' : call.error?.kind,
        provider: call.provider,
        answeredBy: call.model,
        fallback,
        latencyMs: call.latencyMs,
        durationMs: durationMs(),
      });
    }
    const completion = call.completion!;
    const costUsd = costOf(call.model, completion.usage, this.opts.catalog);
    const facts: AnswerFacts = {
      output: completion.text,
      latencyMs: call.latencyMs,
      costUsd,
      tokens: completion.usage,
      model: call.model,
    };
    const graderRecords: CallRecord[] = [];
    const assertions: AssertionOutcome[] = [];
    for (const a of c.assertions) {
      assertions.push(
        await evaluateAssertion(a, facts, {
          promptSchema: c.prompt?.output?.schema,
          grade: this.opts.config.grader
            ? (rubric, output, threshold) => this.grade(c, rubric, output, threshold, graderRecords)
            : undefined,
        }),
      );
    }
    const status = assertions.some((a) => a.status === 'error')
      ? 'error'
      : assertions.some((a) => a.status === 'fail')
        ? 'fail'
        : 'pass';
    if (!call.cached) records.push(this.record(c, call, fallback, status));
    records.push(...graderRecords);
    await this.writeRecords(c, records);
    return this.finish(c, {
      status,
      output: completion.text,
      assertions,
      provider: call.provider,
      answeredBy: call.model,
      fallback,
      latencyMs: call.latencyMs,
      tokens: { input: completion.usage.input, output: completion.usage.output },
      costUsd,
      cached: call.cached,
      durationMs: durationMs(),
    });
  }

  /** One model attempt: cache, then the provider (whose client retries), bounded by the case timeout. */
  private async call(
    ref: string,
    messages: ChatMessage[],
    json: boolean,
    params: PlannedCase['params'],
  ): Promise<CallOutcome> {
    let provider: ChatProvider;
    let modelId: string;
    try {
      const choice = chooseProvider(ref, this.opts.config, this.opts.catalog, this.opts.provider);
      provider = this.pool.get(choice.provider);
      modelId = choice.modelId;
    } catch (e) {
      return {
        ok: false,
        error: new ProviderError(this.opts.provider ?? '?', 'http', errorMessage(e)),
        latencyMs: 0,
        cached: false,
        provider: this.opts.provider ?? '?',
        model: ref,
      };
    }
    const base = { provider: provider.name, model: ref };
    // Echo answers instantly and deterministically: caching it would only fill the disk.
    const key =
      this.cache && provider.kind !== 'echo'
        ? cacheKey({ provider: provider.cacheIdentity, model: modelId, messages, params, json })
        : undefined;
    if (key) {
      const hit = await this.cache!.get(key);
      if (hit)
        return {
          ...base,
          ok: true,
          completion: { text: hit.text, usage: hit.usage, model: hit.model },
          latencyMs: hit.latencyMs,
          cached: true,
        };
    }
    if (this.signal.aborted) return { ...base, ok: false, cancelled: true, latencyMs: 0, cached: false };
    const timeoutMs = this.opts.timeoutMs ?? DEFAULT_CASE_TIMEOUT_MS;
    // One controller per call, aborted by the run's signal or the case timeout, and released as soon as the
    // call ends (AbortSignal.timeout would keep a timer and the signal alive for the whole timeout).
    const ac = new AbortController();
    const onCancel = () => ac.abort();
    this.signal.addEventListener('abort', onCancel, { once: true });
    const timer = setTimeout(() => ac.abort(), timeoutMs);
    const signal = ac.signal;
    const t0 = performance.now();
    try {
      const completion = await provider.complete({
        model: modelId,
        messages,
        params,
        json,
        signal,
        deadline: Date.now() + timeoutMs,
        maxRetries: this.opts.maxRetries ?? DEFAULT_MAX_RETRIES,
      });
      const latencyMs = Math.round(performance.now() - t0);
      if (key) await this.cache!.set(key, { ...completion, latencyMs, createdAt: new Date().toISOString() });
      return { ...base, ok: true, completion, latencyMs, cached: false };
    } catch (e) {
      const latencyMs = Math.round(performance.now() - t0);
      if (this.signal.aborted) return { ...base, ok: false, cancelled: true, latencyMs, cached: false };
      let err = e instanceof ProviderError ? e : new ProviderError(provider.name, 'malformed', errorMessage(e));
      if (err.kind === 'timeout')
        err = new ProviderError(provider.name, 'timeout', `no answer within ${timeoutMs} ms (the case timeout)`);
      return {
        ...base,
        ok: false,
        error: new ProviderError(
          err.provider,
          err.kind,
          redact(err.message.replace(`${err.provider}: `, ''), this.secrets),
          err.status,
        ),
        latencyMs,
        cached: false,
      };
    } finally {
      clearTimeout(timer);
      this.signal.removeEventListener('abort', onCancel);
    }
  }

  /** llm-rubric: asks the configured grader model; its call is logged and cached like any other. */
  private async grade(
    c: PlannedCase,
    rubric: string,
    output: string,
    threshold: number | undefined,
    records: CallRecord[],
  ): Promise<Verdict> {
    const g = this.opts.config.grader!;
    const ref = g.provider ? `${g.provider}/${g.model}` : g.model;
    const choice = chooseProvider(ref, this.opts.config, this.opts.catalog, this.opts.provider);
    if (choice.provider.type === 'echo')
      throw new Error('the echo provider cannot grade; run llm-rubric on a real provider');
    const call = await this.call(ref, graderMessages(rubric, output), true, { temperature: 0 });
    if (!call.ok) {
      if (!call.cached) records.push({ ...this.record(c, call, false, 'error'), kind: 'grader' });
      throw new Error(call.cancelled ? 'cancelled' : (call.error?.message ?? 'no answer'));
    }
    let verdict: Verdict | undefined;
    let problem: string | undefined;
    try {
      verdict = parseVerdict(call.completion!.text, threshold);
    } catch (e) {
      problem = errorMessage(e);
    }
    if (!call.cached)
      records.push({
        ...this.record(c, call, false, verdict ? (verdict.pass ? 'pass' : 'fail') : 'error', problem),
        kind: 'grader',
      });
    if (!verdict) throw new Error(problem);
    return verdict;
  }

  private record(
    c: PlannedCase,
    call: CallOutcome,
    fallback: boolean,
    status: CallRecord['status'],
    error?: string,
  ): CallRecord {
    const usage = call.completion?.usage;
    return {
      ts: new Date().toISOString(),
      kind: 'case',
      promptId: c.promptId ?? '',
      promptVersion: '',
      provider: call.provider,
      model: call.model,
      fallback,
      varsHash: hashVars(c.vars),
      tokensIn: usage?.input ?? 0,
      tokensOut: usage?.output ?? 0,
      costUsd: usage ? costOf(call.model, usage, this.opts.catalog) : undefined,
      latencyMs: Math.round(call.latencyMs),
      status,
      error: error ?? (call.ok ? undefined : call.cancelled ? 'cancelled' : call.error?.message),
      suite: c.suite,
      case: c.caseName,
    };
  }

  /** Fills in the prompt version (once per prompt file per run) and queues the records. */
  private async writeRecords(c: PlannedCase, records: CallRecord[]): Promise<void> {
    if (!this.log || records.length === 0) return;
    const v = c.prompt ? await this.versionOf(c.prompt) : undefined;
    for (const r of records) {
      r.promptVersion = v?.blob ?? '';
      if (v?.commit) r.promptCommit = v.commit;
      this.log.append(r);
    }
  }

  private versionOf(prompt: ParsedPrompt): Promise<PromptVersion> {
    const key = `${prompt.file ?? prompt.id}\u0000${prompt.text.length}`;
    let v = this.versions.get(key);
    if (!v) {
      v = prompt.file ? promptVersion(prompt.file, prompt.text) : Promise.resolve({ blob: '' });
      this.versions.set(key, v);
    }
    return v;
  }

  private finish(c: PlannedCase, r: Partial<CaseResult> & Pick<CaseResult, 'status'>): CaseResult {
    return {
      id: c.id,
      suite: c.suite,
      suiteFile: c.suiteFile,
      caseName: c.caseName,
      caseIndex: c.caseIndex,
      promptId: c.promptId,
      model: c.model,
      fallback: false,
      assertions: [],
      latencyMs: 0,
      tokens: { input: 0, output: 0 },
      cached: false,
      durationMs: 0,
      ...r,
    };
  }
}

/** USD for one call from the catalog's prices for the model; undefined without prices. */
export function costOf(ref: string, usage: TokenUsage, catalog: Catalog | undefined): number | undefined {
  if (!catalog) return undefined;
  const r = resolveModel(ref, catalog);
  return r.kind === 'found' ? callCost(r.model, usage) : undefined;
}
