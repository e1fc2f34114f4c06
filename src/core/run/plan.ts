import type { ResolvedConfig } from '../config/load';
import type { Diagnostic } from '../text/diagnostics';
import { renderPrompt } from '../prompt/render';
import type { ChatMessage } from '../prompt/template';
import type { ParsedPrompt } from '../prompt/types';
import type { CompletionParams } from '../providers/types';
import type { SuiteWorkspace } from '../workspace/suiteWorkspace';
import { blockingErrors, caseAssertions, caseVars, type Assertion, type ParsedSuite } from '../suite/types';
import { errorMessage } from '../text/errorMessage';

/** One case ready to run: messages rendered, model chosen, assertions in order (defaults first). */
export interface PlannedCase {
  /** Stable across runs: suite path, case name and, when comparing models, the model. */
  id: string;
  suiteFile: string;
  /** Repo-relative path with forward slashes, for reports. */
  suite: string;
  caseName: string;
  /** Position in the suite's `cases`; editors find the case's range there (ParsedSuite.cases[i].nameRange). */
  caseIndex: number;
  prompt?: ParsedPrompt;
  promptId?: string;
  /** The model reference to run (`gpt-4o`, `openrouter/…`). */
  model?: string;
  /** Tried once when `model` fails after retries. */
  fallbackModel?: string;
  vars: Record<string, unknown>;
  messages?: ChatMessage[];
  params: CompletionParams;
  json: boolean;
  assertions: Assertion[];
  /** Why the case cannot run; it is reported as an error and no call is made. */
  blocked?: string;
}

export interface PlannedSuite {
  file: string;
  suite: string;
  /** Set when the run overrides the model (`--model`, each model of `--compare`). */
  model?: string;
  promptId?: string;
  cases: PlannedCase[];
  /** Errors that stop the whole suite, positioned in the suite file. */
  problems: Diagnostic[];
}

export interface PlanOptions {
  /** Runs every case on this model (`--model`, `--compare`, "Run With Model…"). */
  model?: string;
  config: ResolvedConfig;
  /** Repo-relative path of a file, for reports. */
  relative: (file: string) => string;
  /** The suite's diagnostics in the workspace (SuiteWorkspace.validate()). */
  diagnostics: Diagnostic[];
}

/**
 * Turns a suite into runnable cases. Model precedence: the run's model, then
 * the case's, the suite's, the prompt's, and the workspace default.
 */
export function planSuite(suites: SuiteWorkspace, suite: ParsedSuite, opts: PlanOptions): PlannedSuite {
  const file = suite.file ?? '';
  const rel = opts.relative(file);
  const prompt = suites.promptFor(suite);
  const problems = blockingErrors(opts.diagnostics);
  const where = (d: Diagnostic) => `${rel}:${d.range.start.line + 1}:${d.range.start.character + 1}`;
  const suiteBlock = problems[0] ? `the suite has errors: ${problems[0].message} (${where(problems[0])})` : undefined;
  const fallbackFor = (model: string | undefined) => {
    const f = prompt?.fallbackModel ?? opts.config.fallbackModel;
    return f && f !== model ? f : undefined;
  };
  const cases = suite.cases.map((k): PlannedCase => {
    const model = opts.model ?? k.model ?? suite.model ?? prompt?.model ?? opts.config.defaultModel;
    const vars = caseVars(suite, k);
    const planned: PlannedCase = {
      id: `${rel}#${k.name}${opts.model ? `@${opts.model}` : ''}`,
      suiteFile: file,
      suite: rel,
      caseName: k.name,
      caseIndex: k.index,
      prompt,
      promptId: prompt?.id,
      model,
      fallbackModel: fallbackFor(model),
      vars,
      params: prompt?.params ?? {},
      json: prompt?.output?.format === 'json',
      assertions: caseAssertions(suite, k),
    };
    const caseProblem = blockingErrors(opts.diagnostics, k.index)[0];
    if (suiteBlock) planned.blocked = suiteBlock;
    else if (caseProblem) planned.blocked = `${caseProblem.message} (${where(caseProblem)})`;
    else if (!prompt) planned.blocked = 'the suite has no prompt';
    else if (!model) planned.blocked = `no model: prompt "${prompt.id}" has none and there is no defaultModel`;
    else {
      try {
        planned.messages = renderPrompt(prompt, vars);
      } catch (e) {
        planned.blocked = errorMessage(e);
      }
    }
    return planned;
  });
  return { file, suite: rel, model: opts.model, promptId: prompt?.id, cases, problems };
}
