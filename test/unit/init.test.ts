import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseCatalog } from '../../src/core/catalog/store';
import { initWorkspace } from '../../src/core/init/init';
import { PromptWorkspace } from '../../src/core/workspace/promptWorkspace';
import { REPO_ROOT, tmpDir, writeFiles } from './helpers/tmp';

const SAMPLES = path.join(REPO_ROOT, 'prompts');
const NOW = new Date('2026-11-21T10:00:00.000Z');

describe('init', () => {
  it('sets up an empty repository that then checks clean', async () => {
    const root = tmpDir();
    const r = await initWorkspace(root, SAMPLES, NOW);
    assert.ok(r.created.includes('prompt-registry.yaml'));
    assert.ok(r.created.includes(path.join('.prompt-registry', 'catalog.json')));
    assert.ok(r.created.includes(path.join('prompts', 'support', 'triage.md')));
    assert.deepEqual(r.skipped, []);

    const catalog = parseCatalog(fs.readFileSync(path.join(root, '.prompt-registry/catalog.json'), 'utf8')).catalog!;
    const gpt4o = catalog.models.find((m) => m.id === 'gpt-4o')!;
    assert.deepEqual(gpt4o, {
      id: 'gpt-4o',
      provider: 'openai',
      active: true,
      contextWindow: 128000,
      inputPricePer1M: 2.5,
      outputPricePer1M: 10,
      sources: { contextWindow: 'snapshot', price: 'snapshot' },
      firstSeen: '2026-11-21',
      lastSeen: '2026-11-21',
      updatedAt: '2026-11-21',
    });
    assert.ok(catalog.models.every((m) => m.provider === 'openai'));

    const gitignore = fs.readFileSync(path.join(root, '.gitignore'), 'utf8');
    assert.match(gitignore, /^\.prompt-registry\/calls\/$/m);

    const ws = new PromptWorkspace(root, { now: () => NOW });
    ws.scan();
    assert.equal(
      ws.fileCount,
      fs.readdirSync(SAMPLES, { recursive: true }).filter((f) => String(f).endsWith('.md')).length,
    );
    const all = [...ws.validate().values()].flat();
    assert.deepEqual(all, [], 'the seeded workspace has no problems');
    assert.deepEqual(ws.notices(), []);
  });

  it('never overwrites existing files and does not duplicate .gitignore lines', async () => {
    const root = tmpDir();
    writeFiles(root, {
      'prompt-registry.yaml': 'defaultModel: mine\n',
      '.gitignore': 'node_modules/\n.prompt-registry/calls/',
    });
    const r = await initWorkspace(root, SAMPLES, NOW);
    assert.ok(r.skipped.includes('prompt-registry.yaml'));
    assert.equal(fs.readFileSync(path.join(root, 'prompt-registry.yaml'), 'utf8'), 'defaultModel: mine\n');
    assert.equal(
      fs.readFileSync(path.join(root, '.gitignore'), 'utf8'),
      'node_modules/\n.prompt-registry/calls/\n# Prompt Registry: local call logs and response cache\n.prompt-registry/cache/\n.prompt-registry/*.lock\n',
    );
    const again = await initWorkspace(root, SAMPLES, NOW);
    assert.deepEqual(again.created, []);
  });
});
