import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { schemaFiles } from '../../src/core/validation/jsonSchemas';
import { buildDist } from './helpers/dist';
import { REPO_ROOT, tmpDir } from './helpers/tmp';

const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));

describe('packaging', () => {
  it('committed JSON Schemas match the zod schemas (run "npm run schemas" after changing them)', () => {
    for (const [file, schema] of Object.entries(schemaFiles())) {
      const committed = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'schemas', file), 'utf8'));
      assert.deepEqual(committed, JSON.parse(JSON.stringify(schema)), file);
    }
  });

  it('contributes files that exist', () => {
    for (const g of pkg.contributes.grammars) assert.ok(fs.existsSync(path.join(REPO_ROOT, g.path)), g.path);
    for (const v of pkg.contributes.yamlValidation) assert.ok(fs.existsSync(path.join(REPO_ROOT, v.url)), v.url);
  });

  it('activates only for prompt workspaces', () => {
    assert.deepEqual(pkg.activationEvents, [
      'workspaceContains:prompt-registry.yaml',
      'workspaceContains:prompts/**/*.md',
    ]);
  });

  it('the injection grammar is valid JSON with the scopes the editor colours', () => {
    const g = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'syntaxes/prompt-injection.tmLanguage.json'), 'utf8'));
    const role = new RegExp(g.repository['role-marker'].match, 'm');
    assert.ok(role.test('user:'));
    assert.ok(!role.test('user: hi'));
    const v = new RegExp(g.repository.variable.match);
    assert.equal(v.exec('Hi {{ name }}!')?.[2], 'name');
    assert.equal(v.exec('{{{raw}}}')?.[2], 'raw');
  });
});

describe('the npm package (CLI and runtime API)', function () {
  this.timeout(180_000);
  let files: string[] = [];
  let app = '';
  const installed = () => path.join(app, 'node_modules', 'prompt-registry');
  const node = (cwd: string, args: string[]) =>
    spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: { ...process.env, NODE_PATH: '', NO_COLOR: '1' } });

  before(() => {
    buildDist();
    const out = tmpDir('pr-pack-');
    const pack = spawnSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    assert.equal(pack.status, 0, pack.stderr);
    const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    files = info!.files.map((f) => f.path);
    // Unpacked as npm would install it, with nothing else in node_modules: no dependency may be needed.
    app = tmpDir('pr-npm-app-');
    fs.mkdirSync(installed(), { recursive: true });
    const tar = spawnSync('tar', ['-xzf', path.join(out, info!.filename), '-C', installed(), '--strip-components=1'], {
      encoding: 'utf8',
    });
    assert.equal(tar.status, 0, tar.stderr);
  });

  it('holds the CLI, the runtime with its declarations, the samples, schemas and docs, and no sources or tests', () => {
    for (const f of [
      'package.json',
      'README.md',
      'LICENSE',
      'dist/cli.js',
      'dist/runtime.js',
      'dist/types/runtime/index.d.ts',
      'dist/cli/samples/support/triage.md',
      'schemas/prompt.schema.json',
      'docs/runtime.md',
    ]) {
      assert.ok(files.includes(f), `${f} is missing from the package`);
    }
    const stray = files.filter(
      (f) =>
        /^(src|test|bench|scripts|\.ci|\.cache|out|node_modules|media|syntaxes)\//.test(f) ||
        f.endsWith('.map') ||
        f === 'dist/extension.js' ||
        f.endsWith('.vsix'),
    );
    assert.deepEqual(stray, []);
  });

  it('declares no run-time dependencies: the CLI and the runtime are bundled', () => {
    const shipped = JSON.parse(fs.readFileSync(path.join(installed(), 'package.json'), 'utf8')) as {
      dependencies?: object;
      bin: Record<string, string>;
    };
    assert.equal(shipped.dependencies, undefined);
    assert.equal(shipped.bin['prompt-registry'], 'dist/cli.js');
  });

  it('the installed CLI initialises, checks and runs a repository with no node_modules around it', () => {
    const work = path.join(app, 'repo');
    fs.mkdirSync(work);
    const cli = path.join(installed(), 'dist', 'cli.js');
    const init = node(work, [cli, 'init']);
    assert.equal(init.status, 0, init.stderr);
    const check = node(work, [cli, 'check', '--format', 'json']);
    assert.equal(check.status, 0, check.stderr);
    assert.deepEqual(JSON.parse(check.stdout), []);
    const run = node(work, [cli, 'run', '--provider', 'echo', '--no-cache']);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /10 cases in 4 suites: 10 passed/);
  });

  it('the installed runtime loads a prompt through require("prompt-registry/runtime")', () => {
    const r = node(app, [
      '-e',
      `require('prompt-registry/runtime').loadPrompt('support/triage', { root: 'repo' }).then((p) => console.log(JSON.stringify({ id: p.id, model: p.model, messages: p.render({ ticket: 'My card was charged twice' }).length })), (e) => { console.error(e); process.exit(1); })`,
    ]);
    assert.equal(r.status, 0, r.stderr);
    const got = JSON.parse(r.stdout) as { id: string; model: string; messages: number };
    assert.equal(got.id, 'support/triage');
    assert.ok(got.model && got.messages > 0, r.stdout);
  });
});
