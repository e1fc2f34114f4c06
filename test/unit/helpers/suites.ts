import * as path from 'node:path';
import { planSuite } from '../../../src/core/run/plan';
import type { RunResult } from '../../../src/core/run/results';
import { runSuites, type RunOptions } from '../../../src/core/run/runner';
import { SuiteWorkspace } from '../../../src/core/workspace/suiteWorkspace';
import { PromptWorkspace } from '../../../src/core/workspace/promptWorkspace';
import { tmpDir, writeFiles } from './tmp';

/** Prices for the models the runner tests use, so costs are checked too. */
export const TEST_CATALOG = JSON.stringify({
  version: 1,
  providers: {},
  models: ['primary', 'backup', 'judge', 'm1', 'm2'].map((id) => ({
    id,
    provider: 'fake',
    active: true,
    firstSeen: '2026-01-01',
    lastSeen: '2026-01-01',
    updatedAt: '2026-01-01',
    inputPricePer1M: 1,
    outputPricePer1M: 2,
  })),
});

/**
 * A workspace whose only provider is the loopback fake server: a local server
 * needs no key (needsApiKey), unless `keyEnv` names the variable that holds one.
 */
export function fakeWorkspace(
  baseURL: string,
  files: Record<string, string>,
  extraConfig = '',
  keyEnv?: string,
): string {
  const root = tmpDir('pr-run-');
  writeFiles(root, {
    'prompt-registry.yaml': `providers:\n  - name: fake\n    baseURL: ${baseURL}\n${keyEnv ? `    apiKeyEnv: ${keyEnv}\n` : ''}${extraConfig}`,
    '.prompt-registry/catalog.json': TEST_CATALOG,
    ...files,
  });
  return root;
}

/** Loads, plans and runs every suite of a workspace through the core, as the CLI does. */
export async function runWorkspace(
  root: string,
  opts: Partial<RunOptions> & { model?: string } = {},
): Promise<RunResult> {
  const ws = new PromptWorkspace(root, { env: opts.env ?? {} });
  ws.scan();
  const suites = new SuiteWorkspace(ws);
  suites.scan();
  const diags = suites.validate();
  const plans = suites
    .suites()
    .sort((a, b) => a.file!.localeCompare(b.file!))
    .map((s) =>
      planSuite(suites, s, {
        model: opts.model,
        config: ws.settings,
        relative: (f) => path.relative(root, f).split(path.sep).join('/'),
        diagnostics: diags.get(s.file!) ?? [],
      }),
    );
  return runSuites(plans, { root, config: ws.settings, catalog: ws.modelCatalog, env: {}, maxRetries: 2, ...opts });
}

/** A prompt file with a model and one required input. */
export function promptFile(model: string, body = 'Answer briefly.\n\nuser:\n{{question}}', extra = ''): string {
  return `---\nmodel: ${model}\n${extra}inputs:\n  question: {required: true}\n---\n${body}\n`;
}

/** A suite with `n` cases asking q0…q(n-1), each asserting the fake's upper-cased echo. */
export function manyCases(n: number): string {
  const cases = Array.from(
    { length: n },
    (_, i) => `  - name: case ${i}\n    vars: {question: "q${i}"}\n    assert: [{type: contains, value: "Q${i}"}]`,
  );
  return `cases:\n${cases.join('\n')}\n`;
}
