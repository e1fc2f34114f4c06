import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { ParsedSuite } from '../../src/core/suite/types';
import type { Diagnostic } from '../../src/core/text/diagnostics';
import { planSuite, type PlanOptions } from '../../src/core/run/plan';
import { SuiteWorkspace } from '../../src/core/workspace/suiteWorkspace';
import { PromptWorkspace } from '../../src/core/workspace/promptWorkspace';
import { tmpDir, writeFiles } from './helpers/tmp';

const PROMPT = (front: string) =>
  `---\n${front}inputs:\n  question: {required: true}\n---\nBe brief.\n\nuser:\n{{question}}\n`;

/** A workspace with these files; plans the suite at `rel` as the CLI does, with `over` for the options. */
function plan(
  files: Record<string, string>,
  rel: string,
  over: Partial<PlanOptions> = {},
  config = '',
  edit: (s: ParsedSuite) => ParsedSuite = (s) => s,
) {
  const root = tmpDir('pr-plan-');
  writeFiles(root, { 'prompt-registry.yaml': `providers:\n  - name: p\n    type: echo\n${config}`, ...files });
  const ws = new PromptWorkspace(root, { env: {} });
  ws.scan();
  const suites = new SuiteWorkspace(ws);
  suites.scan();
  const suite = suites.suites().find((s) => s.file === path.join(root, rel))!;
  return planSuite(suites, edit(suite), {
    config: ws.settings,
    relative: (f) => path.relative(root, f).split(path.sep).join('/'),
    diagnostics: [],
    ...over,
  });
}

const error = (message: string, line: number, character: number, caseIndex?: number): Diagnostic => ({
  severity: 'error',
  code: 'suite-invalid',
  message,
  range: { start: { line, character }, end: { line, character: character + 1 } },
  ...(caseIndex === undefined ? {} : { data: { caseIndex } }),
});

describe('plan: a suite turned into runnable cases', () => {
  const files = {
    'prompts/q.md': PROMPT('model: prompt-model\ntemperature: 0.3\noutput: {format: json}\n'),
    'prompts/q.suite.yaml':
      'defaults:\n  vars: {question: "default q", extra: 1}\n  assert: [{type: is-json}]\n' +
      'cases:\n  - name: one\n    vars: {question: "hello"}\n    assert: [{type: contains, value: hello}]\n' +
      '  - name: two\n    model: case-model\n',
  };

  it('each case: id, where it is, vars and assertions with the defaults first, messages rendered', () => {
    const p = plan(files, 'prompts/q.suite.yaml');
    assert.equal(p.suite, 'prompts/q.suite.yaml');
    assert.equal(p.file, p.cases[0]!.suiteFile);
    assert.equal(p.model, undefined);
    assert.equal(p.promptId, 'q');
    assert.deepEqual(p.problems, []);
    const [one, two] = p.cases;
    assert.equal(one!.id, 'prompts/q.suite.yaml#one');
    assert.equal(one!.suite, 'prompts/q.suite.yaml');
    assert.equal(one!.caseName, 'one');
    assert.equal(one!.caseIndex, 0);
    assert.equal(two!.caseIndex, 1);
    assert.equal(one!.promptId, 'q');
    assert.equal(one!.prompt?.id, 'q');
    assert.deepEqual(one!.vars, { question: 'hello', extra: 1 });
    assert.deepEqual(
      one!.assertions.map((a) => [a.type, a.fromDefaults]),
      [
        ['is-json', true],
        ['contains', false],
      ],
    );
    assert.deepEqual(one!.messages, [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'hello' },
    ]);
    assert.deepEqual(two!.messages?.[1], { role: 'user', content: 'default q' });
    assert.deepEqual(one!.params, { temperature: 0.3 });
    assert.equal(one!.json, true);
    assert.equal(one!.blocked, undefined);
  });

  it("model precedence: the run's, the case's, the suite's, the prompt's, the workspace default", () => {
    const suite = (model: string) =>
      `${model}cases:\n  - name: own\n    model: case-model\n    vars: {question: q}\n  - name: inherits\n    vars: {question: q}\n`;
    const models = (f: Record<string, string>, over: Partial<PlanOptions> = {}) =>
      plan({ ...f }, 'prompts/q.suite.yaml', over, 'defaultModel: workspace-model\n').cases.map((c) => c.model);
    const withPrompt = { 'prompts/q.md': PROMPT('model: prompt-model\n') };
    const noModel = { 'prompts/q.md': PROMPT('') };
    assert.deepEqual(models({ ...withPrompt, 'prompts/q.suite.yaml': suite('') }, { model: 'run-model' }), [
      'run-model',
      'run-model',
    ]);
    assert.deepEqual(models({ ...withPrompt, 'prompts/q.suite.yaml': suite('model: suite-model\n') }), [
      'case-model',
      'suite-model',
    ]);
    assert.deepEqual(models({ ...withPrompt, 'prompts/q.suite.yaml': suite('') }), ['case-model', 'prompt-model']);
    assert.deepEqual(models({ ...noModel, 'prompts/q.suite.yaml': suite('') }), ['case-model', 'workspace-model']);
  });

  it("a run's model is part of each case id and of the plan", () => {
    const p = plan(files, 'prompts/q.suite.yaml', { model: 'm2' });
    assert.equal(p.model, 'm2');
    assert.deepEqual(
      p.cases.map((c) => c.id),
      ['prompts/q.suite.yaml#one@m2', 'prompts/q.suite.yaml#two@m2'],
    );
  });

  it("the fallback: the prompt's, else the workspace's, and never the model itself", () => {
    const suite = 'cases:\n  - name: a\n    vars: {question: q}\n  - name: b\n    model: fb\n    vars: {question: q}\n';
    const fallbacks = (front: string, config = '') =>
      plan(
        { 'prompts/q.md': PROMPT(front), 'prompts/q.suite.yaml': suite },
        'prompts/q.suite.yaml',
        {},
        config,
      ).cases.map((c) => c.fallbackModel);
    assert.deepEqual(fallbacks('model: m\nfallback_model: fb\n', 'fallbackModel: ws-fb\n'), ['fb', undefined]);
    assert.deepEqual(fallbacks('model: m\n', 'fallbackModel: fb\n'), ['fb', undefined]);
    assert.deepEqual(fallbacks('model: m\n'), [undefined, undefined]);
  });

  it('a suite not saved to a file (an editor buffer) plans with an empty file name', () => {
    const p = plan(
      {
        'prompts/q.md': PROMPT('model: m\n'),
        'prompts/q.suite.yaml': 'prompt: q\ncases:\n  - name: a\n    vars: {question: q}\n',
      },
      'prompts/q.suite.yaml',
      { relative: (f) => `rel(${f})` },
      '',
      (s) => ({ ...s, file: undefined }),
    );
    assert.equal(p.file, '');
    assert.equal(p.suite, 'rel()');
    assert.equal(p.cases[0]!.suiteFile, '');
    assert.equal(p.cases[0]!.id, 'rel()#a');
    assert.ok(p.cases[0]!.messages);
  });

  it('a prompt without params or output: no params, not JSON', () => {
    const p = plan(
      {
        'prompts/q.md': PROMPT('model: m\n'),
        'prompts/q.suite.yaml': 'cases:\n  - name: a\n    vars: {question: q}\n',
      },
      'prompts/q.suite.yaml',
    );
    assert.deepEqual(p.cases[0]!.params, {});
    assert.equal(p.cases[0]!.json, false);
  });
});

describe('plan: what keeps a case from running', () => {
  const files = {
    'prompts/q.md': PROMPT('model: m\n'),
    'prompts/q.suite.yaml':
      'cases:\n  - name: a\n    vars: {question: q}\n  - name: b\n    vars: {question: q}\n  - name: c\n    vars: {}\n',
  };

  it('an error in the suite blocks every case, naming the first error and where it is', () => {
    const p = plan(files, 'prompts/q.suite.yaml', {
      diagnostics: [error('bad thing', 2, 4), error('second', 5, 0)],
    });
    for (const c of p.cases) {
      assert.equal(c.blocked, 'the suite has errors: bad thing (prompts/q.suite.yaml:3:5)');
      assert.equal(c.messages, undefined);
    }
    assert.equal(p.problems.length, 2);
  });

  it("a case's own error blocks only that case; a warning blocks nothing", () => {
    const warning: Diagnostic = { ...error('just so', 0, 0), severity: 'warning' };
    const p = plan(files, 'prompts/q.suite.yaml', { diagnostics: [error('case b is wrong', 6, 2, 1), warning] });
    assert.deepEqual(p.problems, []);
    assert.equal(p.cases[0]!.blocked, undefined);
    assert.ok(p.cases[0]!.messages);
    assert.equal(p.cases[1]!.blocked, 'case b is wrong (prompts/q.suite.yaml:7:3)');
    assert.equal(p.cases[1]!.messages, undefined);
  });

  it('a template that cannot render blocks the case with why', () => {
    const c = plan(files, 'prompts/q.suite.yaml').cases[2]!;
    assert.match(c.blocked ?? '', /question/);
    assert.equal(c.messages, undefined);
  });

  it('no prompt, or no model anywhere', () => {
    const noPrompt = plan(
      { 'prompts/q.suite.yaml': 'prompt: missing\ncases:\n  - name: a\n    model: m\n' },
      'prompts/q.suite.yaml',
    );
    assert.equal(noPrompt.cases[0]!.blocked, 'the suite has no prompt');
    assert.equal(noPrompt.promptId, undefined);
    const neither = plan(
      { 'prompts/q.suite.yaml': 'prompt: missing\ncases:\n  - name: a\n' },
      'prompts/q.suite.yaml',
      {},
      'defaultModel: ws-model\n',
    );
    assert.equal(neither.cases[0]!.model, 'ws-model');
    assert.equal(neither.cases[0]!.blocked, 'the suite has no prompt');
    const noModel = plan(
      { 'prompts/q.md': PROMPT(''), 'prompts/q.suite.yaml': 'cases:\n  - name: a\n    vars: {question: q}\n' },
      'prompts/q.suite.yaml',
    );
    assert.equal(noModel.cases[0]!.blocked, 'no model: prompt "q" has none and there is no defaultModel');
  });
});
