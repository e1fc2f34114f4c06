import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import ts from 'typescript';
import { loadPrompt } from '../../src/runtime';
import { buildDist } from './helpers/dist';
import { GitRepo, promptText } from './helpers/gitRepo';
import { REPO_ROOT, tmpDir, writeFiles } from './helpers/tmp';

const BUNDLE = path.join(REPO_ROOT, 'dist', 'runtime.js');
const TYPES = path.join(REPO_ROOT, 'dist', 'types', 'runtime', 'index.d.ts');

function node(cwd: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: { ...process.env, NODE_PATH: '' } });
}

/** A folder whose node_modules holds only this package (a symlink), as an app that installed it. */
function appDir(): string {
  const dir = tmpDir('pr-app-');
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(REPO_ROOT, path.join(dir, 'node_modules', 'prompt-registry'), 'dir');
  return dir;
}

function promptRepo(): { repo: GitRepo; v1: string } {
  const repo = new GitRepo();
  const v1 = repo.commitFiles('v1', {
    'prompts/greet.md': promptText({ model: 'gpt-4o', inputs: { name: { required: true } } }, 'Hello {{name}}.'),
  });
  repo.commitFiles('v2', {
    'prompts/greet.md': promptText({ model: 'gpt-4o', inputs: { name: { required: true } } }, 'Howdy {{name}}.'),
  });
  repo.git('tag', '-a', '-m', 'publish', 'prompt-registry/greet/production', v1);
  repo.write({ 'prompts/bad.md': '---\nmodel: gpt-4o\ntemperature: hot\n---\nHi.\n' });
  return { repo, v1 };
}

const SCRIPT = `
const rt = require(process.argv[1]);
(async () => {
  const p = await rt.loadPrompt('greet', { label: 'production' });
  const head = await rt.loadPrompt('greet');
  const bad = await rt.loadPrompt('bad').catch((e) => e);
  let missing;
  try { p.render({}); } catch (e) { missing = e; }
  const record = rt.callRecord(p, { latencyMs: 1, vars: { name: 'Ann' } });
  console.log(JSON.stringify({
    label: [p.version, p.label, p.render({ name: 'Ann' })[0].content],
    head: [head.version, head.status],
    bad: [bad.name, bad instanceof rt.PromptInvalidError, bad.line, bad.column, bad.message],
    missing: [missing.name, missing instanceof rt.MissingInputError, missing.inputs],
    record: [record.kind, record.promptId, record.promptVersionNumber],
  }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

describe('runtime bundle (dist/runtime.js) and its declarations', function () {
  this.timeout(180_000);

  before(buildDist);

  it('requires Node built-ins only, and stays small', () => {
    const code = fs.readFileSync(BUNDLE, 'utf8');
    const required = new Set([...code.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]!));
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    assert.deepEqual(
      [...required].filter((m) => !builtins.has(m)),
      [],
    );
    assert.ok(
      fs.statSync(BUNDLE).size < 600 * 1024,
      `${fs.statSync(BUNDLE).size} bytes: did the workspace, catalog or openai get bundled?`,
    );
  });

  it('loads with plain require from a folder of its own (no node_modules) in a child process', async () => {
    const { repo } = promptRepo();
    const alone = path.join(tmpDir('pr-bundle-'), 'runtime.js');
    fs.copyFileSync(BUNDLE, alone);
    const run = node(repo.dir, ['-e', SCRIPT, alone]);
    assert.equal(run.status, 0, run.stderr);
    const out = JSON.parse(run.stdout);
    assert.deepEqual(out.label, [1, 'production', 'Hello Ann.']);
    assert.deepEqual(out.head, [2, 'committed']);
    assert.deepEqual(out.bad.slice(0, 4), ['PromptInvalidError', true, 3, 14]);
    // zod's messages survive the bundle's cut of its locales: the same text as from the sources.
    const fromSource = await loadPrompt('bad', { root: repo.dir }).then(
      () => 'loaded',
      (e: Error) => e.message,
    );
    assert.equal(out.bad[4], fromSource);
    assert.match(out.bad[4], /^prompts\/bad\.md:3:14: Invalid "temperature": .*expected number/);
    assert.deepEqual(out.missing, ['MissingInputError', true, ['name']]);
    assert.deepEqual(out.record, ['app', 'greet', 1]);
  });

  it('resolves as prompt-registry/runtime through the package exports, from require and from import', () => {
    const { repo } = promptRepo();
    const app = appDir();
    writeFiles(app, {
      'cjs.js': `require('prompt-registry/runtime').loadPrompt('greet', { root: process.argv[2] }).then((p) => console.log(p.version));`,
      'esm.mjs': `import { loadPrompt, PromptNotFoundError } from 'prompt-registry/runtime';\nconst e = await loadPrompt('nope', { root: process.argv[2] }).catch((x) => x);\nconsole.log(e instanceof PromptNotFoundError, (await loadPrompt('greet', { root: process.argv[2], ref: 'HEAD~1' })).version);`,
    });
    const cjs = node(app, ['cjs.js', repo.dir]);
    assert.equal(cjs.stdout.trim(), '2', cjs.stderr);
    const esm = node(app, ['esm.mjs', repo.dir]);
    assert.equal(esm.stdout.trim(), 'true 1', esm.stderr);
    const hidden = node(app, ['-e', `require('prompt-registry/dist/cli.js')`]);
    assert.match(hidden.stderr, /ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });

  it('declarations reach nothing outside the package and type an app correctly (node16 and node10 resolution)', () => {
    const seen = new Set<string>();
    const walk = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
        assert.ok(m[1]!.startsWith('.'), `${path.relative(REPO_ROOT, file)} imports "${m[1]}"`);
        walk(path.resolve(path.dirname(file), `${m[1]}.d.ts`));
      }
    };
    walk(TYPES);
    const app = appDir();
    writeFiles(app, {
      'good.ts': [
        `import { loadPrompt, callRecord, CallLog, PromptInvalidError, type LoadedPrompt, type Message } from 'prompt-registry/runtime';`,
        `export async function run(): Promise<void> {`,
        `  const p: LoadedPrompt = await loadPrompt('greet', { label: 'production' });`,
        `  const n: number | null = p.version;`,
        `  const m: Message[] = p.render({ name: 'Ann' });`,
        `  const t: number | undefined = p.params.temperature;`,
        `  new CallLog('.').append(callRecord(p, { latencyMs: 1, usage: { prompt_tokens: 1 } }));`,
        `  const e: unknown = null;`,
        `  const where = e instanceof PromptInvalidError ? [e.line, e.column, e.problems[0]?.code] : [];`,
        `  void [n, m, t, p.inputs.name?.type, p.output.format, where];`,
        `}`,
      ].join('\n'),
      'bad.ts': [
        `import { loadPrompt } from 'prompt-registry/runtime';`,
        `export async function run(): Promise<void> {`,
        `  const p = await loadPrompt('greet', { lable: 'production' });`,
        `  const s: string = p.version;`,
        `  p.render({ name: 'Ann' })[0]?.text;`,
        `}`,
      ].join('\n'),
    });
    for (const moduleResolution of [ts.ModuleResolutionKind.Node16, ts.ModuleResolutionKind.Node10]) {
      const options: ts.CompilerOptions = {
        strict: true,
        noEmit: true,
        types: [],
        lib: ['lib.es2022.d.ts'],
        module: moduleResolution === ts.ModuleResolutionKind.Node16 ? ts.ModuleKind.Node16 : ts.ModuleKind.CommonJS,
        moduleResolution,
      };
      const errors = (file: string) =>
        ts
          .getPreEmitDiagnostics(ts.createProgram([path.join(app, file)], options))
          .map(
            (d) =>
              `${d.file ? path.basename(d.file.fileName) : ''} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
          );
      assert.deepEqual(errors('good.ts'), [], `moduleResolution ${moduleResolution}`);
      const bad = errors('bad.ts').join('\n');
      assert.match(bad, /'lable' does not exist/);
      assert.match(bad, /Type 'number \| null' is not assignable to type 'string'/);
      assert.match(bad, /Property 'text' does not exist on type 'Message'/);
    }
  });

  it('is left out of the extension package (the vsix needs only the extension)', () => {
    const ls = node(REPO_ROOT, [path.join(REPO_ROOT, 'node_modules/@vscode/vsce/vsce'), 'ls', '--no-dependencies']);
    assert.equal(ls.status, 0, ls.stderr);
    const files = ls.stdout.split('\n').map((l) => l.trim());
    assert.ok(files.includes('dist/extension.js'));
    assert.deepEqual(
      files.filter((f) => f.startsWith('dist/') && !f.startsWith('dist/extension.js')),
      [],
    );
  });
});
