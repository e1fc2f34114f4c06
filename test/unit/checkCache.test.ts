import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openProject } from '../../src/core/app/project';
import type { Diagnostic } from '../../src/core/text/diagnostics';
import { CHECK_CACHE_FILE, CheckCache } from '../../src/core/validation/checkCache';
import { statFile } from '../../src/core/workspace/readPromptFile';
import { FIXTURE_WORKSPACE, tmpDir } from './helpers/tmp';

// The fixture's retiring model shuts down on 2026-12-01.
const NOW = new Date('2026-11-21T12:00:00Z');
// Files written by a test are seconds old; a clock a minute on makes them old enough to store (see RACY_MS).
const LATER = () => Date.now() + 60_000;

function copy(): string {
  const root = tmpDir('pr-check-cache-');
  fs.cpSync(FIXTURE_WORKSPACE, root, { recursive: true });
  return root;
}

/** One `check` run: scan, validate, save; the diagnostics by registry-relative path. */
function check(root: string, opts: { now?: Date; clock?: () => number; toolVersion?: string } = {}) {
  const project = openProject(root, {
    now: () => opts.now ?? NOW,
    cache: { file: CHECK_CACHE_FILE, toolVersion: opts.toolVersion ?? 'test', clock: opts.clock ?? LATER },
  });
  const all = project.prompts.validate();
  project.prompts.saveCache();
  const out: Record<string, Diagnostic[]> = {};
  for (const [file, diags] of all) out[path.relative(root, file)] = JSON.parse(JSON.stringify(diags));
  return out;
}

function uncached(root: string, now = NOW) {
  const project = openProject(root, { now: () => now });
  const out: Record<string, Diagnostic[]> = {};
  for (const [file, diags] of project.prompts.validate())
    out[path.relative(root, file)] = JSON.parse(JSON.stringify(diags));
  return out;
}

const codes = (d: Record<string, Diagnostic[]>, file: string) => (d[file] ?? []).map((x) => x.code);

/** Whether the cache file holds `rel` at the file's current stamp. */
function stored(root: string, rel: string): boolean {
  const cache = new CheckCache(path.join(root, CHECK_CACHE_FILE), {
    root,
    toolVersion: 'test',
    ...openProjectInputs(root),
  });
  const abs = path.join(root, rel);
  return cache.lookup(abs, statFile(abs)!.stamp) !== undefined;
}

function openProjectInputs(root: string) {
  const p = openProject(root, { now: () => NOW });
  return { config: p.prompts.settings, catalog: p.prompts.modelCatalog, stored: p.prompts.catalog.stored, now: NOW };
}

describe('persistent check cache', () => {
  it('a warm run gives what a cold run and an uncached run give, from the cache', () => {
    const root = copy();
    const cold = check(root);
    assert.ok(fs.existsSync(path.join(root, CHECK_CACHE_FILE)));
    assert.ok(stored(root, 'prompts/models/retiring.md'));
    assert.deepEqual(check(root), cold);
    assert.deepEqual(cold, uncached(root));
    assert.deepEqual(codes(cold, 'prompts/models/retiring.md'), ['model-retiring']);
    assert.deepEqual(codes(cold, 'prompts/dup-a.md'), ['duplicate-id']);
  });

  it('an edit is seen, even one that keeps the size and puts the old mtime back', () => {
    const root = copy();
    const file = path.join(root, 'prompts/models/retiring.md');
    // A whole second, which utimes can put back exactly.
    const old = Math.floor(Date.now() / 1000) - 3600;
    fs.utimesSync(file, old, old);
    check(root);
    assert.ok(stored(root, 'prompts/models/retiring.md'));
    const before = fs.statSync(file);
    // Same length: gpt-4o-2024-05-13 → gpt-4o-2024-99-13 (unknown).
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('05-13', '99-13'));
    fs.utimesSync(file, old, old);
    assert.equal(fs.statSync(file).size, before.size);
    assert.equal(fs.statSync(file).mtimeMs, before.mtimeMs);
    const after = check(root);
    assert.deepEqual(codes(after, 'prompts/models/retiring.md'), ['unknown-model']);
    assert.deepEqual(after, uncached(root));
  });

  it('a touch with the same content re-reads the file and stores it under its new stamp', () => {
    const root = copy();
    const cold = check(root);
    const file = path.join(root, 'prompts/hello.md');
    const t = new Date(Date.now() - 3_600_000);
    fs.utimesSync(file, t, t);
    assert.ok(!stored(root, 'prompts/hello.md'));
    assert.deepEqual(check(root), cold);
    assert.ok(stored(root, 'prompts/hello.md'));
  });

  it('a config change invalidates every entry', () => {
    const root = copy();
    const cold = check(root);
    assert.deepEqual(codes(cold, 'prompts/clean.md'), []);
    const config = path.join(root, 'prompt-registry.yaml');
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('enabled: [gpt-4o, ', 'enabled: ['));
    const after = check(root);
    assert.ok(
      codes(after, 'prompts/clean.md').includes('model-not-enabled'),
      JSON.stringify(after['prompts/clean.md']),
    );
    assert.deepEqual(after, uncached(root));
  });

  it('a catalog refresh invalidates every entry', () => {
    const root = copy();
    check(root);
    const catalog = path.join(root, '.prompt-registry/catalog.json');
    const data = JSON.parse(fs.readFileSync(catalog, 'utf8')) as { models: { id: string; active: boolean }[] };
    for (const m of data.models) if (m.id === 'gpt-4o') m.active = false;
    fs.writeFileSync(catalog, JSON.stringify(data));
    const after = check(root);
    assert.ok(codes(after, 'prompts/clean.md').includes('inactive-model'), JSON.stringify(after['prompts/clean.md']));
    assert.deepEqual(after, uncached(root));
  });

  it('another tool version, or a day on which a retirement is a day closer, does not reuse it', () => {
    const root = copy();
    check(root);
    assert.ok(stored(root, 'prompts/models/retiring.md'));
    const other = new CheckCache(path.join(root, CHECK_CACHE_FILE), {
      root,
      ...openProjectInputs(root),
      toolVersion: 'other',
    });
    const abs = path.join(root, 'prompts/models/retiring.md');
    assert.equal(other.lookup(abs, statFile(abs)!.stamp), undefined);
    const nextDay = new Date(NOW.getTime() + 86_400_000);
    const tomorrow = new CheckCache(path.join(root, CHECK_CACHE_FILE), {
      root,
      toolVersion: 'test',
      ...openProjectInputs(root),
      now: nextDay,
    });
    assert.equal(tomorrow.lookup(abs, statFile(abs)!.stamp), undefined);
    const afterShutdown = new Date('2026-12-03T00:00:00Z');
    assert.deepEqual(check(root, { now: afterShutdown }), uncached(root, afterShutdown));
    // And back: a cache written later is not served for an earlier day either.
    assert.deepEqual(check(root), uncached(root));
  });

  it('a corrupt or truncated cache file is ignored and rewritten', () => {
    const root = copy();
    const cold = check(root);
    const file = path.join(root, CHECK_CACHE_FILE);
    const text = fs.readFileSync(file, 'utf8');
    for (const broken of [text.slice(0, text.length / 2), 'not json', '{"format":1,"key":"x","files":[]}', '']) {
      fs.writeFileSync(file, broken);
      assert.deepEqual(check(root), cold);
      assert.doesNotThrow(() => JSON.parse(fs.readFileSync(file, 'utf8')));
      assert.ok(stored(root, 'prompts/hello.md'));
    }
  });

  it('files changed in the last moments are not stored: their stamp may not show the next change', () => {
    const root = copy();
    check(root, { clock: Date.now });
    assert.ok(!stored(root, 'prompts/hello.md'));
  });

  it('a deleted file leaves the cache', () => {
    const root = copy();
    check(root);
    fs.rmSync(path.join(root, 'prompts/dup-b.md'));
    const after = check(root);
    assert.deepEqual(codes(after, 'prompts/dup-a.md'), []);
    const data = JSON.parse(fs.readFileSync(path.join(root, CHECK_CACHE_FILE), 'utf8')) as {
      files: Record<string, unknown>;
    };
    assert.ok(!(path.join('prompts', 'dup-b.md') in data.files));
    assert.ok(path.join('prompts', 'dup-a.md') in data.files);
  });
});
