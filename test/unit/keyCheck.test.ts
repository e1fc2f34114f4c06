import * as assert from 'node:assert/strict';
import { parseConfig, type ResolvedConfig } from '../../src/core/config/load';
import type { Assertion } from '../../src/core/suite/types';
import { providersUsed, refusedKeys } from '../../src/core/run/keyCheck';
import type { PlannedCase, PlannedSuite } from '../../src/core/run/plan';
import { catalogOf, model } from './helpers/catalog';

const CONFIG = `providers:
  - name: a
    baseURL: https://a.example/v1
    apiKeyEnv: A_KEY
  - name: b
    baseURL: https://b.example/v1
    apiKeyEnv: B_KEY
  - name: c
    baseURL: https://c.example/v1
    apiKeyEnv: C_KEY
`;
const config = (extra = ''): ResolvedConfig => parseConfig(CONFIG + extra, '/x/prompt-registry.yaml', {}).config;

const check = (base: Assertion['base']): Assertion => ({
  type: base,
  base,
  negate: false,
  range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  fromDefaults: false,
});

/** A case ready to call its model, unless `over` says otherwise. */
const planned = (over: Partial<PlannedCase>): PlannedCase => ({
  id: 'x',
  suiteFile: '/x/s.suite.yaml',
  suite: 's.suite.yaml',
  caseName: 'x',
  caseIndex: 0,
  vars: {},
  messages: [{ role: 'user', content: 'hi' }],
  params: {},
  json: false,
  assertions: [],
  ...over,
});
const suite = (...cases: PlannedCase[]): PlannedSuite => ({ file: '/x/s.suite.yaml', suite: 's', cases, problems: [] });
const names = (
  plans: PlannedSuite[],
  opts: Omit<Parameters<typeof providersUsed>[1], 'config'> & { config?: ResolvedConfig } = {},
) => providersUsed(plans, { config: config(), ...opts }).map((p) => p.name);

describe('key check: the providers a run would call', () => {
  it("each case's model and its fallback, each provider once, in first-use order", () => {
    const used = providersUsed(
      [suite(planned({ model: 'b/m1', fallbackModel: 'a/m2' })), suite(planned({ model: 'b/m3' }))],
      { config: config() },
    );
    assert.deepEqual(
      used.map((p) => [p.name, p.baseURL]),
      [
        ['b', 'https://b.example/v1'],
        ['a', 'https://a.example/v1'],
      ],
    );
  });

  it('no run, no providers; a case without a model calls nobody, a bare model the first provider', () => {
    assert.deepEqual(names([]), []);
    assert.deepEqual(names([suite()]), []);
    assert.deepEqual(names([suite(planned({ model: undefined }))]), []);
    assert.deepEqual(names([suite(planned({ model: 'm-anywhere' }))]), ['a']);
  });

  it('a blocked case or one with nothing to send calls nobody', () => {
    assert.deepEqual(names([suite(planned({ model: 'b/m', blocked: 'the suite has errors' }))]), []);
    assert.deepEqual(names([suite(planned({ model: 'b/m', messages: undefined }))]), []);
    assert.deepEqual(
      names([
        suite(
          planned({ model: 'c/m', blocked: 'no prompt', messages: undefined }),
          planned({ model: 'b/m' }),
          planned({ model: 'a/m', blocked: 'bad vars' }),
        ),
      ]),
      ['b'],
    );
  });

  it('the catalog picks the provider that lists the model', () => {
    const catalog = catalogOf(model('gpt-x', { provider: 'c' }));
    assert.deepEqual(names([suite(planned({ model: 'gpt-x' }))], { catalog }), ['c']);
  });

  it('--provider sends every case there; an unknown one is left for the run to report', () => {
    const plans = [suite(planned({ model: 'a/m', fallbackModel: 'b/m' }))];
    assert.deepEqual(names(plans, { provider: 'c' }), ['c']);
    assert.deepEqual(names(plans, { provider: 'echo' }), ['echo']);
    assert.deepEqual(names(plans, { provider: 'nowhere' }), []);
  });

  it("the grader's provider, only for a case with an llm-rubric among its assertions", () => {
    const cfg = config('grader:\n  model: judge\n  provider: c\n');
    const rubric = planned({ model: 'a/m', assertions: [check('contains'), check('llm-rubric')] });
    const plain = planned({ model: 'a/m', assertions: [check('contains'), check('equals')] });
    assert.deepEqual(names([suite(rubric)], { config: cfg }), ['a', 'c']);
    assert.deepEqual(names([suite(plain)], { config: cfg }), ['a']);
    // A blocked case grades nothing either.
    assert.deepEqual(names([suite({ ...rubric, blocked: 'x' })], { config: cfg }), []);
  });

  it('a grader without a provider runs where its model does', () => {
    const cfg = config('grader:\n  model: judge\n');
    const rubric = planned({ model: 'a/m', assertions: [check('llm-rubric')] });
    assert.deepEqual(names([suite(rubric)], { config: cfg, catalog: catalogOf(model('judge', { provider: 'b' })) }), [
      'a',
      'b',
    ]);
    assert.deepEqual(names([suite(rubric)], { config: cfg }), ['a']);
  });

  it('no grader configured: an llm-rubric case still names only its model', () => {
    const rubric = planned({ model: 'b/m', assertions: [check('llm-rubric')] });
    assert.deepEqual(names([suite(rubric)]), ['b']);
  });
});

describe('key check: the keys a run may not send', () => {
  const providers = parseConfig(
    `providers:
  - name: vendor
    baseURL: https://api.openai.com/v1
    apiKeyEnv: OPENAI_API_KEY
  - name: gw
    baseURL: http://gw.example:9000/v1
    apiKeyEnv: GW_KEY
  - name: other
    baseURL: https://other.example/v1
    apiKeyEnv: OTHER_KEY
  - name: local
    baseURL: http://127.0.0.1:11434/v1
  - name: unset
    baseURL: https://unset.example/v1
    apiKeyEnv: UNSET_KEY
  - name: echo
    type: echo
`,
    '/x/prompt-registry.yaml',
    {},
  ).config.providers;
  const env = { OPENAI_API_KEY: 'sk-1', GW_KEY: 'gw-1', OTHER_KEY: 'o-1', ECHO_KEY: 'e-1' };

  it('only the refused ones: a key set for a host nobody allowed', () => {
    assert.deepEqual(refusedKeys(providers, env, []), [
      {
        kind: 'refused',
        provider: 'gw',
        variable: 'GW_KEY',
        origin: 'http://gw.example:9000',
        host: 'gw.example',
        port: 9000,
      },
      {
        kind: 'refused',
        provider: 'other',
        variable: 'OTHER_KEY',
        origin: 'https://other.example',
        host: 'other.example',
        port: 443,
      },
    ]);
  });

  it('an allowance takes its host off the list; no key set, nothing to refuse', () => {
    assert.deepEqual(
      refusedKeys(providers, env, [{ host: 'gw.example', port: 9000, source: 'flag' }]).map((r) => r.provider),
      ['other'],
    );
    assert.deepEqual(refusedKeys(providers, {}, []), []);
    assert.deepEqual(refusedKeys([], env, []), []);
  });

  it("each provider's own variable decides, not another's", () => {
    assert.deepEqual(
      refusedKeys(providers, { OPENAI_API_KEY: 'sk-1' }, []).map((r) => r.provider),
      [],
    );
    assert.deepEqual(
      refusedKeys(providers, { OTHER_KEY: 'o-1' }, []).map((r) => r.provider),
      ['other'],
    );
  });
});
