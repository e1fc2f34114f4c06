import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCheck } from '../../src/cli/commands/check';
import { initWorkspace } from '../../src/core/init/init';
import { echoAnswer } from '../../src/core/providers/echo';
import { parseSuite } from '../../src/core/suite/parse';
import { SuiteWorkspace } from '../../src/core/workspace/suiteWorkspace';
import { PromptWorkspace } from '../../src/core/workspace/promptWorkspace';
import { textAt } from './helpers/ranges';
import { runWorkspace } from './helpers/suites';
import { REPO_ROOT, tmpDir, writeFiles } from './helpers/tmp';

const NOW = new Date('2026-11-21T10:00:00.000Z');

/** Each diagnostic as "code: underlined text" for compact, exact assertions. */
function shown(text: string, diags: ReturnType<typeof parseSuite>['diagnostics']): string[] {
  return diags.map((d) => `${d.code}: ${textAt(text, d.range)}`);
}

describe('suite files: parsing', () => {
  it('reads prompt, model, defaults and cases with their assertions', () => {
    const text = [
      'prompt: support/triage',
      'model: gpt-4o-mini',
      'defaults:',
      '  vars: {product: billing}',
      '  assert: [{type: is-json}]',
      'cases:',
      '  - name: refund',
      '    vars: {ticket: "money back"}',
      '    model: gpt-4o',
      '    assert:',
      '      - {type: not-contains, value: sorry}',
      '      - {type: llm-rubric, value: polite, threshold: 0.7}',
    ].join('\n');
    const s = parseSuite(text, '/x/a.suite.yaml');
    assert.deepEqual(s.diagnostics, []);
    assert.equal(s.prompt, 'support/triage');
    assert.equal(s.model, 'gpt-4o-mini');
    assert.deepEqual(s.defaults.vars, { product: 'billing' });
    assert.deepEqual(
      s.defaults.assert.map((a) => [a.type, a.base, a.negate, a.fromDefaults]),
      [['is-json', 'is-json', false, true]],
    );
    const c = s.cases[0]!;
    assert.equal(c.name, 'refund');
    assert.equal(c.model, 'gpt-4o');
    assert.equal(textAt(text, c.nameRange), 'refund');
    assert.deepEqual(
      c.assert.map((a) => [a.type, a.base, a.negate, a.value, a.threshold]),
      [
        ['not-contains', 'contains', true, 'sorry', undefined],
        ['llm-rubric', 'llm-rubric', false, 'polite', 0.7],
      ],
    );
    assert.equal(textAt(text, c.assert[0]!.range), '{type: not-contains, value: sorry}');
  });

  it('puts every problem at its exact place, never throws', () => {
    const text = [
      'modle: gpt-4o',
      'cases:',
      '  - name: a',
      '    assert:',
      '      - {type: contians, value: x}',
      '      - {type: regex, value: "(open"}',
      '      - {type: max-tokens, value: many}',
      '      - {type: json-schema, value: {type: objekt}}',
      '      - {type: not-llm-rubric, value: x}',
      '      - {type: is-json, value: 1}',
      '      - {type: contains}',
      '      - {type: contains, value: x, threshold: 0.5}',
      '      - just text',
      '  - name: a',
      '  - vars: {q: 1}',
      '  - 42',
    ].join('\n');
    const s = parseSuite(text);
    assert.deepEqual(shown(text, s.diagnostics), [
      'unknown-field: modle',
      'suite-unknown-assertion: contians',
      'suite-invalid: "(open"',
      'suite-invalid: many',
      'suite-invalid: {type: objekt}',
      'suite-unknown-assertion: not-llm-rubric',
      'suite-invalid: 1',
      'suite-invalid: {type: contains}',
      'suite-invalid: 0.5',
      'suite-invalid: just text',
      'suite-invalid: a',
      'suite-invalid: vars: {q: 1}',
      'suite-invalid: 42',
    ]);
    assert.match(s.diagnostics[1]!.message, /Unknown assertion type "contians". Did you mean "contains"\?/);
    assert.match(s.diagnostics[2]!.message, /regex: the pattern does not compile/);
    assert.match(s.diagnostics[10]!.message, /Case name "a" is also used by case 1/);
    assert.deepEqual(
      s.diagnostics.map((d) => d.severity),
      [
        'warning',
        'error',
        'error',
        'error',
        'error',
        'error',
        'warning',
        'error',
        'warning',
        'error',
        'error',
        'error',
        'error',
      ],
    );
    // Problems inside a case say which case, so only that case is stopped.
    assert.deepEqual(
      s.diagnostics.map((d) => d.data?.caseIndex),
      [undefined, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3],
    );
  });

  it('reports YAML syntax errors, empty files and missing cases at the file', () => {
    for (const [text, code, msg] of [
      ['cases:\n  - name: a\n   bad: [\n', 'yaml-syntax', /YAML:/],
      ['', 'suite-invalid', /Suite is empty/],
      ['prompt: x\n', 'suite-invalid', /Suite has no cases/],
      ['cases: []\n', 'suite-invalid', /empty list/],
      ['cases: {a: 1}\n', 'suite-invalid', /expected a list/],
      ['- 1\n- 2\n', 'suite-invalid', /must be a mapping/],
      ['\uFEFFcases: 3\r\n', 'suite-invalid', /expected a list/],
    ] as const) {
      const s = parseSuite(text);
      assert.equal(s.diagnostics[0]?.code, code, text);
      assert.match(s.diagnostics[0]!.message, msg);
    }
  });
});

describe('suite files in a workspace', () => {
  function workspace(files: Record<string, string>, config = 'defaultModel: gpt-4o\n') {
    const root = tmpDir();
    writeFiles(root, {
      'prompt-registry.yaml': config,
      '.prompt-registry/catalog.json': JSON.stringify({
        version: 1,
        providers: {},
        models: [{ id: 'gpt-4o', provider: 'openai', active: true, firstSeen: 'x', lastSeen: 'x', updatedAt: 'x' }],
      }),
      'prompts/t.md':
        '---\nmodel: gpt-4o\ninputs:\n  ticket: {required: true}\n  tone: {enum: [a, b], default: a}\n---\n{{ticket}} {{tone}}\n',
      ...files,
    });
    const ws = new PromptWorkspace(root, { now: () => NOW });
    ws.scan();
    const suites = new SuiteWorkspace(ws);
    suites.scan();
    return { root, ws, suites, diags: (rel: string) => suites.validate().get(path.join(root, rel)) ?? [] };
  }

  it('finds *.suite.yaml under the prompts root and tests the sibling prompt by default', () => {
    const w = workspace({
      'prompts/t.suite.yaml': 'cases: [{name: a, vars: {ticket: x}}]\n',
      'other/x.suite.yaml': 'cases: []\n',
    });
    assert.deepEqual(
      w.suites.suites().map((s) => path.relative(w.root, s.file!)),
      [path.join('prompts', 't.suite.yaml')],
    );
    assert.equal(w.suites.promptFor(w.suites.suites()[0]!)?.id, 't');
    assert.deepEqual(w.diags('prompts/t.suite.yaml'), []);
  });

  it('checks the prompt, models, vars and what assertions need', () => {
    const text = [
      'model: gpt-4oo',
      'defaults:',
      '  vars: {tcket: x}',
      'cases:',
      '  - name: bad enum',
      '    vars: {ticket: x, tone: loud}',
      '  - name: schema without one',
      '    vars: {ticket: x}',
      '    assert: [{type: json-schema}, {type: llm-rubric, value: nice}]',
    ].join('\n');
    const w = workspace({
      'prompts/t.suite.yaml': text,
      'prompts/orphan.suite.yaml': 'cases: [{name: a}]\n',
      'prompts/named.suite.yaml': 'prompt: tt\ncases: [{name: a}]\n',
    });
    const d = w.diags('prompts/t.suite.yaml');
    assert.deepEqual(shown(text, d), [
      'unknown-model: gpt-4oo',
      'suite-unknown-var: tcket',
      'suite-invalid: {ticket: x, tone: loud}',
      'suite-invalid: {type: json-schema}',
      'suite-invalid: {type: llm-rubric, value: nice}',
    ]);
    assert.match(d[1]!.message, /"tcket" is not an input of prompt "t". Did you mean "ticket"\?/);
    assert.match(
      d[2]!.message,
      /Case "bad enum" cannot render prompt "t": missing required input "ticket"|input "tone": must be one of "a", "b"/,
    );
    assert.match(d[3]!.message, /no output.schema/);
    assert.match(d[4]!.message, /needs a grader model/);
    assert.match(w.diags('prompts/orphan.suite.yaml')[0]!.message, /no orphan.md next to it/);
    const named = w.diags('prompts/named.suite.yaml')[0]!;
    assert.equal(named.code, 'suite-unknown-prompt');
    assert.match(named.message, /No prompt with id "tt". Did you mean "t"\?/);
  });

  it('prompt-registry check reports suite problems with the prompt problems', () => {
    const w = workspace({ 'prompts/t.suite.yaml': 'cases:\n  - name: a\n    assert: [{type: nope}]\n' });
    const out: string[] = [];
    const code = runCheck(
      { root: w.root, out: (s) => out.push(s), err: () => undefined, signal: new AbortController().signal },
      { paths: [], format: 'text' },
    );
    assert.equal(code, 1);
    assert.ok(
      out.some((l) =>
        l.startsWith('prompts/t.suite.yaml:3:21 error suite-unknown-assertion Unknown assertion type "nope"'),
      ),
      out.join('\n'),
    );
    assert.match(out.at(-1)!, /in 1 prompt file and 1 suite file/);
  });
});

describe('sample suites', () => {
  it('every sample prompt has a suite, and all pass on the echo provider', async () => {
    const root = tmpDir();
    await initWorkspace(root, path.join(REPO_ROOT, 'prompts'), NOW);
    const ws = new PromptWorkspace(root, { now: () => NOW });
    ws.scan();
    const suites = new SuiteWorkspace(ws);
    suites.scan();
    assert.equal(suites.suites().length, ws.prompts().length);
    assert.deepEqual([...suites.validate().values()].flat(), [], "an init'ed workspace's suites check clean");
    const run = await runWorkspace(root, { provider: 'echo', env: {} });
    const failed = run.cases.filter((c) => c.status !== 'pass');
    assert.deepEqual(
      failed.map(
        (c) => `${c.suite} › ${c.caseName}: ${c.error ?? c.assertions.find((a) => a.status !== 'pass')?.message}`,
      ),
      [],
    );
    assert.ok(run.totals.cases >= 8);
    assert.ok(run.totals.costUsd > 0, "echo answers are priced at the model's catalog prices");
    assert.ok(fs.readdirSync(path.join(root, '.prompt-registry/calls')).length > 0);
  });

  it('echo answers in the documented formats', () => {
    const messages = [
      { role: 'system' as const, content: 'Be brief.' },
      { role: 'user' as const, content: 'Hi "you"' },
    ];
    assert.equal(echoAnswer(messages, 'gpt-4o', false), 'system:\nBe brief.\n\nuser:\nHi "you"');
    assert.deepEqual(JSON.parse(echoAnswer(messages, 'gpt-4o', true)), { model: 'gpt-4o', messages });
  });
});
