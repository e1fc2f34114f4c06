import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { serializeCatalog } from '../../src/core/catalog/store';
import { NO_CATALOG_NOTICE, PromptWorkspace } from '../../src/core/workspace/promptWorkspace';
import { catalogOf, model } from './helpers/catalog';
import { tmpDir, writeFiles } from './helpers/tmp';

function repo(files: Record<string, string | Buffer>): string {
  const root = tmpDir();
  writeFiles(root, files);
  return root;
}

const codesOf = (ws: PromptWorkspace, rel: string) =>
  (ws.validate().get(path.join(ws.root, rel)) ?? []).map((d) => d.code);

describe('PromptWorkspace', () => {
  it('finds prompts by the configured globs and derives ids from the glob base', () => {
    const root = repo({
      'prompt-registry.yaml': 'prompts: ["library/**/*.md"]\n',
      'library/a/b.md': '---\nmodel: m\n---\n',
      'prompts/ignored.md': '---\nmodel: m\n---\n',
      'library/node_modules/x.md': '---\nmodel: m\n---\n',
      'README.md': '# not a prompt',
    });
    const ws = new PromptWorkspace(root);
    ws.scan();
    assert.deepEqual(
      ws.prompts().map((p) => p.id),
      ['a/b'],
    );
  });

  it('does not re-read files whose stamp is unchanged, and picks up changes', () => {
    const root = repo({ 'prompts/a.md': '---\nmodel: m\n---\n', 'prompts/b.md': '---\nmodel: m\n---\n' });
    const ws = new PromptWorkspace(root);
    ws.scan();
    const a1 = ws.get(path.join(root, 'prompts/a.md'));
    const b1 = ws.get(path.join(root, 'prompts/b.md'));
    fs.writeFileSync(path.join(root, 'prompts/b.md'), '---\nmodel: other\ntemperature: 1\n---\n');
    fs.utimesSync(path.join(root, 'prompts/b.md'), new Date(), new Date(Date.now() + 5000));
    ws.scan();
    assert.equal(ws.get(path.join(root, 'prompts/a.md')), a1, 'unchanged file keeps its parse');
    assert.notEqual(ws.get(path.join(root, 'prompts/b.md')), b1);
    assert.equal(ws.get(path.join(root, 'prompts/b.md'))!.model, 'other');
  });

  it('returns the same diagnostics array for untouched files, so editors republish only what changed', () => {
    const root = repo({ 'prompts/a.md': '---\nmodel: m\n---\n{{x}}', 'prompts/b.md': '---\nmodel: m\n---\n' });
    const ws = new PromptWorkspace(root);
    ws.scan();
    const first = ws.validate();
    ws.setOverlay(path.join(root, 'prompts/b.md'), '---\nmodel: m\ntemperature: 7\n---\n');
    const second = ws.validate();
    assert.equal(second.get(path.join(root, 'prompts/a.md')), first.get(path.join(root, 'prompts/a.md')));
    assert.deepEqual(
      second.get(path.join(root, 'prompts/b.md'))!.map((d) => d.code),
      ['invalid-field'],
    );
  });

  it('lets unsaved editor text win until the overlay is cleared', () => {
    const root = repo({ 'prompts/a.md': '---\nmodel: m\n---\n' });
    const ws = new PromptWorkspace(root);
    ws.scan();
    const file = path.join(root, 'prompts/a.md');
    ws.setOverlay(file, '---\nname: x\n---\n');
    assert.deepEqual(codesOf(ws, 'prompts/a.md'), ['missing-model']);
    ws.scan();
    assert.deepEqual(codesOf(ws, 'prompts/a.md'), ['missing-model'], 'a rescan does not replace the overlay');
    ws.clearOverlay(file);
    assert.deepEqual(codesOf(ws, 'prompts/a.md'), []);
  });

  it('reports duplicate ids on every file involved, with related locations', () => {
    const root = repo({
      'prompts/x.md': '---\nid: same\nmodel: m\n---\n',
      'prompts/y.md': '---\nid: same\nmodel: m\n---\n',
      'prompts/same.md': '---\nmodel: m\n---\n',
    });
    const ws = new PromptWorkspace(root);
    ws.scan();
    const all = ws.validate();
    for (const f of ['x.md', 'y.md', 'same.md']) {
      const d = all.get(path.join(root, 'prompts', f))!;
      assert.deepEqual(
        d.map((x) => x.code),
        ['duplicate-id'],
        f,
      );
      assert.equal(d[0]!.related!.length, 2);
    }
    assert.deepEqual(all.get(path.join(root, 'prompts/x.md'))![0]!.range.start, { line: 1, character: 4 });
  });

  it('says once that model checks are skipped without a catalog', () => {
    const root = repo({ 'prompts/a.md': '---\nmodel: nope\n---\n', 'prompts/b.md': '---\nmodel: nope\n---\n' });
    const ws = new PromptWorkspace(root);
    ws.scan();
    assert.deepEqual(ws.notices(), [NO_CATALOG_NOTICE]);
    assert.deepEqual(codesOf(ws, 'prompts/a.md'), []);
  });

  it('revalidates when the catalog is reloaded', () => {
    const root = repo({ 'prompts/a.md': '---\nmodel: gpt-4o\n---\n' });
    const write = (active: boolean) =>
      writeFiles(root, { '.prompt-registry/catalog.json': serializeCatalog(catalogOf(model('gpt-4o', { active }))) });
    write(true);
    const ws = new PromptWorkspace(root);
    ws.scan();
    assert.deepEqual(codesOf(ws, 'prompts/a.md'), []);
    write(false);
    ws.reloadCatalog();
    assert.deepEqual(codesOf(ws, 'prompts/a.md'), ['inactive-model']);
  });

  it('reports the config and catalog files when they have problems, and keeps going', () => {
    const root = repo({
      'prompt-registry.yaml': 'refreshIntervalHours: soon\n',
      '.prompt-registry/catalog.json': '{ nope',
      'prompts/a.md': '---\nmodel: x\n---\n',
    });
    const ws = new PromptWorkspace(root);
    ws.scan();
    const all = ws.validate();
    assert.deepEqual(
      all.get(path.join(root, 'prompt-registry.yaml'))!.map((d) => d.code),
      ['config-invalid'],
    );
    assert.deepEqual(
      all.get(path.join(root, '.prompt-registry/catalog.json'))!.map((d) => d.code),
      ['catalog-invalid'],
    );
    assert.deepEqual(ws.notices(), ['The model catalog is invalid, so model checks were skipped.']);
  });

  it('turns binary, non-UTF-8 and oversized files into diagnostics', () => {
    const root = repo({
      'prompts/bin.md': Buffer.from([1, 2, 0, 3]),
      'prompts/latin1.md': Buffer.from([0x63, 0xe9, 0x0a]),
    });
    const big = path.join(root, 'prompts/big.md');
    const fd = fs.openSync(big, 'w');
    fs.ftruncateSync(fd, 11 * 1024 * 1024);
    fs.closeSync(fd);
    const ws = new PromptWorkspace(root);
    ws.scan();
    assert.deepEqual(codesOf(ws, 'prompts/bin.md'), ['not-text']);
    assert.deepEqual(codesOf(ws, 'prompts/latin1.md'), ['not-text']);
    assert.deepEqual(codesOf(ws, 'prompts/big.md'), ['file-too-large']);
  });

  it('forgets deleted files and follows glob changes in the config', () => {
    const root = repo({ 'prompts/a.md': '---\nmodel: m\n---\n', 'other/b.md': '---\nmodel: m\n---\n' });
    const ws = new PromptWorkspace(root);
    ws.scan();
    fs.rmSync(path.join(root, 'prompts/a.md'));
    assert.equal(ws.refreshFile(path.join(root, 'prompts/a.md')), false);
    assert.equal(ws.fileCount, 0);
    assert.equal(ws.reloadConfig('prompts: ["other/*.md"]\n'), true);
    ws.scan();
    assert.deepEqual(
      ws.prompts().map((p) => p.id),
      ['b'],
    );
  });
});
