// The layer rules of eslint/layers.mjs, through the project's own ESLint config (eslint.config.mjs) and
// the folder-cycle check that `npm run lint` runs beside it.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ESLint } from 'eslint';

const ROOT = path.resolve(__dirname, '../..');

describe('lint: layer rules', function () {
  // Loading the config and its plugins is the slow part; one instance serves every case.
  this.timeout(60_000);
  let eslint: ESLint;
  before(() => {
    eslint = new ESLint({ cwd: ROOT });
  });

  /** The rule ids and messages ESLint reports for `code` as if it were the file at `filePath`. */
  async function lint(filePath: string, code: string): Promise<{ ruleId: string | null; message: string }[]> {
    const [result] = await eslint.lintText(code, { filePath });
    return result!.messages.map((m) => ({ ruleId: m.ruleId, message: m.message }));
  }

  it('fails a core file that imports vscode, even for types only', async () => {
    for (const code of [
      "import * as vscode from 'vscode';\nexport const uri = vscode.Uri.file('/');\n",
      "import type { Uri } from 'vscode';\nexport type U = Uri;\n",
      "export type U = import('vscode').Uri;\n",
    ]) {
      const messages = await lint('src/core/config/example.ts', code);
      assert.deepEqual(
        messages.map((m) => m.ruleId),
        ['local/host-boundaries'],
        code,
      );
      assert.match(messages[0]!.message, /src\/core may not import 'vscode'/);
    }
  });

  it('fails a core file that reaches into the extension or the CLI', async () => {
    const extension = await lint(
      'src/core/run/example.ts',
      "import { activate } from '../../extension/extension';\nexport const a = activate;\n",
    );
    assert.deepEqual(
      extension.map((m) => m.ruleId),
      ['local/host-boundaries'],
    );
    assert.match(extension[0]!.message, /src\/core may not import src\/extension \(\.\.\/\.\.\/extension\/extension\)/);

    const cli = await lint('src/core/text/example.ts', "export * from '../../cli/main';\n");
    assert.deepEqual(
      cli.map((m) => m.ruleId),
      ['local/host-boundaries'],
    );
  });

  it('fails the CLI and the extension importing each other, and the runtime importing either', async () => {
    const cases: [string, string][] = [
      ['src/cli/example.ts', "import '../extension/extension';\n"],
      ['src/extension/example.ts', "import '../cli/main';\n"],
      ['src/runtime/example.ts', "import '../cli/main';\n"],
      ['src/runtime/example.ts', "import '../extension/extension';\n"],
      ['src/cli/example.ts', "import 'vscode';\n"],
    ];
    for (const [file, code] of cases) {
      assert.deepEqual(
        (await lint(file, code)).map((m) => m.ruleId),
        ['local/host-boundaries'],
        `${file}: ${code}`,
      );
    }
  });

  it('fails a base-layer folder importing a domain folder', async () => {
    const messages = await lint(
      'src/core/text/example.ts',
      "import type { ResolvedConfig } from '../config/load';\nexport type C = ResolvedConfig;\n",
    );
    assert.deepEqual(
      messages.map((m) => m.ruleId),
      ['local/core-layers'],
    );
    assert.match(messages[0]!.message, /base folder 'text' may not import the domain folder 'config'/);
  });

  it('fails a core file outside the layer table', async () => {
    const unknown = await lint('src/core/newthing/example.ts', 'export const x = 1;\n');
    assert.deepEqual(
      unknown.map((m) => m.ruleId),
      ['local/core-layers'],
    );
    assert.match(unknown[0]!.message, /src\/core\/newthing is not in the layer table/);
    const loose = await lint('src/core/example.ts', 'export const x = 1;\n');
    assert.match(loose[0]!.message, /src\/core\/example\.ts is in no layer/);
  });

  it('passes imports of the same layer, of lower layers and of packages', async () => {
    const code = [
      "import * as fs from 'node:fs';",
      "import { z } from 'zod';",
      "import type { Range } from '../text/lineIndex';",
      "import type { Catalog } from '../catalog/types';",
      "import type { ParsedPrompt } from './types';",
      'export const read = (p: string): string => fs.readFileSync(p, z.string().parse("utf8") as "utf8");',
      'export type T = [Range, Catalog, ParsedPrompt];',
      '',
    ].join('\n');
    assert.deepEqual(await lint('src/core/prompt/example.ts', code), []);
    assert.deepEqual(
      await lint('src/extension/example.ts', "import 'vscode';\nimport '../core/text/lineIndex';\n"),
      [],
    );
  });
});

describe('lint: folder cycles in src/core', function () {
  this.timeout(30_000);
  const script = path.join(ROOT, 'eslint/folderCycles.mjs');
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pr-cycles-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function write(files: Record<string, string>): void {
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
  }

  it('reports a cycle between folders with the imports that form it, and fails', () => {
    write({
      'alpha/a.ts': "import { b } from '../beta/b';\nexport const a = b;\n",
      // A type-only import still ties the folders together.
      'beta/b.ts': "import type { G } from '../gamma';\nexport const b = 1 as unknown as G;\n",
      'gamma/index.ts': "export type G = typeof import('../alpha/a').a;\n",
      'delta/d.ts': "import { a } from '../alpha/a';\nexport const d = a;\n",
    });
    const run = spawnSync(process.execPath, [script, dir], { cwd: dir, encoding: 'utf8' });
    assert.equal(run.status, 1, run.stderr);
    assert.equal(
      run.stderr,
      [
        'folder cycle: alpha → beta → gamma → alpha',
        "  alpha → beta: alpha/a.ts:1 imports '../beta/b'",
        "  beta → gamma: beta/b.ts:1 imports '../gamma'",
        "  gamma → alpha: gamma/index.ts:1 imports '../alpha/a'",
        '',
        '1 folder cycle(s) in . (see eslint/layers.mjs)',
        '',
      ].join('\n'),
    );
  });

  it('passes folders that import one way only, and imports within a folder', () => {
    write({
      'alpha/a.ts': "import { b } from '../beta/b';\nimport { a2 } from './a2';\nexport const a = b + a2;\n",
      'alpha/a2.ts': "import { b } from '../beta/b';\nexport const a2 = b;\n",
      'beta/b.ts': "import { c } from './c';\nexport const b = c;\n",
      'beta/c.ts': 'export const c = 1;\n',
    });
    const run = spawnSync(process.execPath, [script, dir], { cwd: dir, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
  });
});
