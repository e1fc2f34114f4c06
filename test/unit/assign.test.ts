import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assignModelToFiles, planAssign, summarize, targetProblem } from '../../src/core/assign/assign';
import { selectPrompts } from '../../src/core/assign/select';
import { describeCostChange, estimateCostChange } from '../../src/core/catalog/cost';
import { serializeCatalog } from '../../src/core/catalog/store';
import { parseConfig } from '../../src/core/config/load';
import { parsePrompt } from '../../src/core/prompt/parse';
import { PromptWorkspace } from '../../src/core/workspace/promptWorkspace';
import { catalogOf, model } from './helpers/catalog';
import { cli } from './helpers/cli';
import { tmpDir, writeFiles } from './helpers/tmp';

const catalog = catalogOf(
  model('gpt-4o', { inputPricePer1M: 2.5, outputPricePer1M: 10 }),
  model('gpt-4o-mini', { inputPricePer1M: 0.15, outputPricePer1M: 0.6 }),
  model('old', { active: false }),
  model('gpt-4o', { provider: 'azure' }),
);

describe('bulk assign core', () => {
  it('targetProblem rejects unknown, ambiguous, inactive and not-enabled models', () => {
    const config = parseConfig('models:\n  enabled: [gpt-4o-mini, azure/gpt-4o]\n', '/x', {}).config;
    assert.match(targetProblem('gpt-5o', catalog, config)!, /not in the model catalog/);
    assert.match(targetProblem('gpt-4o', catalog, config)!, /several providers; write openai\/gpt-4o or azure\/gpt-4o/);
    assert.match(targetProblem('old', catalog, config)!, /no longer available/);
    assert.match(targetProblem('openai/gpt-4o', catalog, config)!, /not enabled/);
    assert.equal(targetProblem('gpt-4o-mini', catalog, config), undefined);
    assert.equal(targetProblem('azure/gpt-4o', catalog, config), undefined);
    const dated = catalogOf(model('sunset', { deprecationDate: '2026-06-30' }));
    const any = parseConfig('', '/x', {}).config;
    assert.match(
      targetProblem('sunset', dated, any, new Date('2026-07-02T00:00:00Z'))!,
      /no longer available \(shut down on 2026-06-30\)/,
    );
    assert.equal(targetProblem('sunset', dated, any, new Date('2026-06-29T00:00:00Z')), undefined);
  });

  it('planAssign changes only the model, reports unchanged and broken YAML', () => {
    const text = '---\n# c\nmodel: gpt-4o # x\n---\nB';
    const r = planAssign('/f', text, 'gpt-4o-mini');
    assert.equal(r.status === 'updated' && r.text, '---\n# c\nmodel: gpt-4o-mini # x\n---\nB');
    assert.equal(planAssign('/f', text, 'gpt-4o').status, 'unchanged');
    const broken = planAssign('/f', '---\nmodel: [x\n---\n', 'gpt-4o');
    assert.equal(broken.status, 'failed');
    assert.match(
      broken.status === 'failed' ? broken.reason : '',
      /the YAML has errors at line 3, column 1 \(Flow sequence/,
    );
  });

  it('assignModelToFiles keeps going after a failure and writes atomically', async () => {
    const root = tmpDir();
    writeFiles(root, {
      'a.md': '---\nmodel: gpt-4o\n---\n',
      'b.md': '---\nmodel: [\n---\n',
      'c.md': 'no front matter\n',
    });
    const out = await assignModelToFiles(
      ['a.md', 'gone.md', 'b.md', 'c.md'].map((f) => path.join(root, f)),
      'gpt-4o-mini',
    );
    assert.deepEqual(
      out.map((o) => o.status),
      ['updated', 'failed', 'failed', 'updated'],
    );
    assert.equal(out[1]!.status === 'failed' && out[1]!.reason, 'file was deleted');
    assert.equal(fs.readFileSync(path.join(root, 'c.md'), 'utf8'), '---\nmodel: gpt-4o-mini\n---\nno front matter\n');
    assert.equal(
      fs.readFileSync(path.join(root, 'b.md'), 'utf8'),
      '---\nmodel: [\n---\n',
      'a failed file is untouched',
    );
    assert.deepEqual(fs.readdirSync(root).sort(), ['a.md', 'b.md', 'c.md'], 'no temp files left');
    assert.equal(summarize(out).line, '2 updated, 2 failed');
  });

  it('dry run writes nothing', async () => {
    const root = tmpDir();
    writeFiles(root, { 'a.md': '---\nmodel: gpt-4o\n---\n' });
    const out = await assignModelToFiles([path.join(root, 'a.md')], 'x', { dryRun: true });
    assert.equal(out[0]!.status, 'updated');
    assert.equal(fs.readFileSync(path.join(root, 'a.md'), 'utf8'), '---\nmodel: gpt-4o\n---\n');
  });

  it('selectPrompts filters by current model (however written), tag and path', () => {
    const p = (file: string, front: string) => parsePrompt(`---\n${front}\n---\n`, { file, defaultId: file });
    const prompts = [
      p('/r/a/1.md', 'model: gpt-4o-mini\ntags: [x]'),
      p('/r/a/2.md', 'model: openai/gpt-4o-mini'),
      p('/r/b/3.md', 'model: old\ntags: [x]'),
    ];
    assert.deepEqual(
      selectPrompts(prompts, { from: 'gpt-4o-mini' }, catalog).map((x) => x.file),
      ['/r/a/1.md', '/r/a/2.md'],
    );
    assert.deepEqual(
      selectPrompts(prompts, { tag: 'x' }).map((x) => x.file),
      ['/r/a/1.md', '/r/b/3.md'],
    );
    assert.deepEqual(
      selectPrompts(prompts, { paths: ['/r/a'] }).map((x) => x.file),
      ['/r/a/1.md', '/r/a/2.md'],
    );
    assert.deepEqual(
      selectPrompts(prompts, { paths: ['/r/b/3.md'], tag: 'x' }).map((x) => x.file),
      ['/r/b/3.md'],
    );
  });

  it('estimates the cost change from prices, tokens and max_tokens', () => {
    const p = parsePrompt(`---\nmodel: openai/gpt-4o\nmax_tokens: 100\n---\n${'x'.repeat(400)}`, { defaultId: 'a' });
    const c = estimateCostChange([p], catalog.models[1]!, catalog);
    // 100 input tokens and 100 output tokens: (100*2.5 + 100*10)/1e6*1000 = 1.25 → (100*0.15+100*0.6)/1e6*1000 = 0.075
    assert.ok(
      Math.abs(c.beforePer1kCalls - 1.25) < 1e-9 && Math.abs(c.afterPer1kCalls - 0.075) < 1e-9,
      JSON.stringify(c),
    );
    assert.equal(describeCostChange(c), '≈ $1.25 → $0.075 per 1,000 calls (−94 %)');
  });
});

describe('prompt-registry assign and backfill', () => {
  function repo(): string {
    const root = tmpDir();
    writeFiles(root, {
      'prompt-registry.yaml': 'defaultModel: gpt-4o-mini\nmodels:\n  enabled: [gpt-4o, gpt-4o-mini]\n',
      '.prompt-registry/catalog.json': serializeCatalog(catalog),
      'prompts/a.md': '---\nmodel: openai/gpt-4o\ntags: [support]\n---\nA\n',
      'prompts/b.md': '---\nmodel: gpt-4o-mini\ntags: [support]\n---\nB\n',
      'prompts/c.md': '---\nname: no model\n---\nC\n',
      'prompts/d.md': 'no front matter at all\n',
      'prompts/e.md': '---\nname: [broken\n---\n',
    });
    return root;
  }

  it('assign --from --tag updates matching files and prints "N updated, M failed"', () => {
    const root = repo();
    const r = cli(['assign', '--model', 'gpt-4o-mini', '--from', 'openai/gpt-4o', '--tag', 'support'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /updated {2}prompts\/a\.md {2}\(openai\/gpt-4o → gpt-4o-mini\)/);
    assert.match(r.stdout, /^1 updated, 0 failed$/m);
    assert.equal(
      fs.readFileSync(path.join(root, 'prompts/a.md'), 'utf8'),
      '---\nmodel: gpt-4o-mini\ntags: [support]\n---\nA\n',
    );
  });

  it('assign rejects an invalid model id with exit 2 and writes nothing', () => {
    const root = repo();
    const r = cli(['assign', '--model', 'gpt-4oo'], root);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot assign: "gpt-4oo" is not in the model catalog \(did you mean "gpt-4o"/);
    assert.equal(
      fs.readFileSync(path.join(root, 'prompts/a.md'), 'utf8'),
      '---\nmodel: openai/gpt-4o\ntags: [support]\n---\nA\n',
    );
  });

  it('assign --dry-run lists what would change', () => {
    const root = repo();
    const r = cli(['assign', '--model', 'gpt-4o-mini', '--dry-run', 'prompts/a.md'], root);
    assert.match(r.stdout, /would update {2}prompts\/a\.md/);
    assert.match(r.stdout, /\(dry run, nothing written\) 1 would be updated, 0 failed/);
    assert.match(fs.readFileSync(path.join(root, 'prompts/a.md'), 'utf8'), /openai\/gpt-4o\n/);
  });

  it('backfill sets the default on prompts without a model, logs each, counts, and reports broken ones', () => {
    const root = repo();
    const r = cli(['backfill'], root);
    assert.equal(r.code, 1, 'the broken file is a failure');
    assert.match(r.stdout, /updated {2}prompts\/c\.md {2}\(no model → gpt-4o-mini\)/);
    assert.match(r.stdout, /updated {2}prompts\/d\.md {2}\(no model → gpt-4o-mini\)/);
    assert.match(r.stderr, /failed {2}prompts\/e\.md: the YAML has errors at line 3, column 1/);
    assert.match(r.stdout, /^2 updated, 1 failed$/m);
    const ws = new PromptWorkspace(root);
    ws.scan();
    assert.deepEqual(
      ws
        .prompts()
        .filter((p) => !p.model)
        .map((p) => path.basename(p.file!)),
      ['e.md'],
    );
    const again = cli(['backfill', '--dry-run'], root);
    assert.match(again.stdout, /0 would be updated, 1 failed/);
  });

  it('backfill without a default model is a usage error', () => {
    const root = tmpDir();
    writeFiles(root, { 'prompts/a.md': '---\nname: x\n---\n' });
    const r = cli(['backfill'], root);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /no default model: set defaultModel in prompt-registry.yaml or the LLM_MODEL environment variable/,
    );
    assert.equal(cli(['backfill', '--dry-run'], root, { LLM_MODEL: 'gpt-4o' }).code, 0);
  });
});
