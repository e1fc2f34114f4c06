import type { Diagnostic } from '../text/diagnostics';
import { resolveVars } from '../prompt/render';
import type { ParsedPrompt } from '../prompt/types';
import { similar } from '../text/similar';
import { checkModel, type ValidationContext } from './validatePrompt';
import { caseVars, type ParsedSuite } from '../suite/types';

export interface SuiteContext extends ValidationContext {
  /** The prompt the suite tests, when it was found. */
  prompt?: ParsedPrompt;
  /** Every prompt id in the workspace, for did-you-mean. */
  promptIds: string[];
  /** The sibling prompt file a suite without `prompt:` would use (repo-relative, for the message). */
  siblingFile: string;
}

/** Everything that can be said about a suite in its workspace: its own problems, its prompt, models, vars and assertions. */
export function validateSuite(suite: ParsedSuite, ctx: SuiteContext): Diagnostic[] {
  const out = [...suite.diagnostics];
  if (blockedBySyntax(suite)) return out;
  const prompt = ctx.prompt;
  if (!prompt) {
    if (suite.prompt !== undefined) {
      const hint = similar(suite.prompt, ctx.promptIds);
      out.push({
        severity: 'error',
        code: 'suite-unknown-prompt',
        message: `No prompt with id "${suite.prompt}"${hint.length ? `. Did you mean ${hint.map((h) => `"${h}"`).join(', ')}?` : ''}`,
        range: suite.rangeOf(['prompt']),
        data: { suggestions: hint },
      });
    } else {
      out.push({
        severity: 'error',
        code: 'suite-unknown-prompt',
        message: `This suite names no prompt and there is no ${ctx.siblingFile} next to it: add "prompt: <id>"`,
        range: suite.headerRange,
      });
    }
    return out;
  }

  if (ctx.catalog) {
    const c = { ...ctx, catalog: ctx.catalog };
    if (suite.model) out.push(...checkModel(suite.model, 'model', () => suite.rangeOf(['model']), c));
    for (const k of suite.cases) {
      if (!k.model) continue;
      out.push(
        ...checkModel(k.model, 'model', () => suite.rangeOf(['cases', k.index, 'model']), c).map((d) => ({
          ...d,
          data: { ...d.data, caseIndex: k.index },
        })),
      );
    }
  }

  out.push(...checkVars(suite, prompt));
  out.push(...checkAssertionsNeeds(suite, prompt, ctx));
  return out;
}

function blockedBySyntax(suite: ParsedSuite): boolean {
  return suite.diagnostics.some((d) => d.code === 'yaml-syntax');
}

/** Vars the prompt does not declare (a typo, most likely), and values it would refuse to render. */
function checkVars(suite: ParsedSuite, prompt: ParsedPrompt): Diagnostic[] {
  const out: Diagnostic[] = [];
  const known = new Set([...Object.keys(prompt.inputs), ...prompt.variables.map((v) => v.name)]);
  const unknownVar = (name: string, path: (string | number)[], caseIndex?: number) => {
    const hint = similar(name, known);
    out.push({
      severity: 'warning',
      code: 'suite-unknown-var',
      message: `"${name}" is not an input of prompt "${prompt.id}"${hint.length ? `. Did you mean "${hint[0]}"?` : ''}`,
      range: suite.rangeOf(path, true),
      data: { variable: name, ...(caseIndex !== undefined ? { caseIndex } : {}) },
    });
  };
  for (const name of Object.keys(suite.defaults.vars))
    if (!known.has(name)) unknownVar(name, ['defaults', 'vars', name]);
  for (const k of suite.cases) {
    for (const name of Object.keys(k.vars))
      if (!known.has(name)) unknownVar(name, ['cases', k.index, 'vars', name], k.index);
    const problems = resolveVars(prompt, caseVars(suite, k)).problems;
    if (problems.length) {
      out.push({
        severity: 'error',
        code: 'suite-invalid',
        message: `Case "${k.name}" cannot render prompt "${prompt.id}": ${problems.join('; ')}`,
        range: Object.keys(k.vars).length ? suite.rangeOf(['cases', k.index, 'vars']) : k.nameRange,
        data: { caseIndex: k.index },
      });
    }
  }
  return out;
}

/** Assertions that need something outside the suite: the prompt's output schema, a grader model. */
function checkAssertionsNeeds(suite: ParsedSuite, prompt: ParsedPrompt, ctx: SuiteContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const reported = new Set<unknown>();
  for (const k of [undefined, ...suite.cases]) {
    const list = k ? k.assert : suite.defaults.assert;
    for (const a of list) {
      if (reported.has(a)) continue;
      reported.add(a);
      const data = k ? { caseIndex: k.index } : undefined;
      if (a.base === 'json-schema' && a.value === undefined && !prompt.output?.schema) {
        out.push({
          severity: 'error',
          code: 'suite-invalid',
          message: `${a.type} has no "value" and prompt "${prompt.id}" has no output.schema to check against: add one of them`,
          range: a.range,
          ...(data ? { data } : {}),
        });
      }
      if (a.base === 'llm-rubric' && !ctx.config.grader) {
        out.push({
          severity: 'error',
          code: 'suite-invalid',
          message: 'llm-rubric needs a grader model: add "grader: {model: <id>}" to prompt-registry.yaml',
          range: a.range,
          ...(data ? { data } : {}),
        });
      }
    }
  }
  return out;
}
