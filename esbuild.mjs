// Bundles the extension and the CLI. `vscode` stays external: the host provides it.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

const watch = process.argv.includes('--watch');
// zod's error-message locales are cut to English, the one the core uses: the others were a third of what
// every command and the extension loaded.
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /[\\/]locales[\\/]index\.js$/ }, (a) =>
      /[\\/]zod[\\/]/.test(a.importer)
        ? { path: path.join(path.dirname(a.importer), '../locales/index.js'), namespace: 'zod-en' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-en' }, (a) => ({
      contents: `export { default as en } from ${JSON.stringify(path.join(path.dirname(a.path), 'en.js'))};`,
      resolveDir: path.dirname(a.path),
    }));
  },
};
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Prefer ESM entry points: UMD builds (jsonc-parser's) hide their requires from the bundler.
  mainFields: ['module', 'main'],
  // Minified with source maps: a smaller bundle parses faster at every start, and stacks still map to src/.
  minify: true,
  keepNames: true,
  sourcemap: true,
  logLevel: 'warning',
  legalComments: 'none',
  // Some dependencies ship ESM that reads import.meta.url; give the CJS bundle a real one.
  // zod probes `navigator`, which recent Node hosts (VS Code 1.139's extension host) log as a migration error.
  define: { 'import.meta.url': '__importMetaUrl', navigator: 'undefined' },
  plugins: [zodEnglishOnly],
  banner: { js: 'const __importMetaUrl = require("url").pathToFileURL(__filename).href;' },
};

const builds = [
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  // The CLI is ESM split into chunks: each command's modules are compiled only when that command runs
  // (see the lazy imports in src/cli/main.ts), so `--version` or `check` never compile the provider client,
  // diff or git code. Parsing the whole bundle was most of a short command's start.
  {
    ...common,
    format: 'esm',
    splitting: true,
    entryPoints: { bin: 'src/cli/bin.ts' },
    outdir: 'dist/cli',
    outExtension: { '.js': '.mjs' },
    chunkNames: '[name]-[hash]',
    define: { navigator: 'undefined' },
    // Bundled CommonJS dependencies call require(); ESM has none, so each chunk gets one (and __dirname).
    banner: {
      js: [
        "import { createRequire as __createRequire } from 'node:module';",
        "import { fileURLToPath as __fileURLToPath } from 'node:url';",
        'const require = __createRequire(import.meta.url);',
        'const __filename = __fileURLToPath(import.meta.url);',
        "const __dirname = __fileURLToPath(new URL('.', import.meta.url));",
      ].join(' '),
    },
  },
];

// The runtime API for applications: Node built-ins only at run time (names kept: apps check error classes by name).
builds.push({ ...common, entryPoints: ['src/runtime/index.ts'], outfile: 'dist/runtime.js' });

// `prompt-registry init` copies these next to the CLI into a new repository.
fs.rmSync('dist/samples', { recursive: true, force: true });
fs.rmSync('dist/cli', { recursive: true, force: true });
fs.cpSync('prompts', 'dist/cli/samples', { recursive: true });
// `bin` must stay dist/cli.js (a CommonJS file: the package has no "type"), so it hands over to the ESM entry.
fs.mkdirSync('dist', { recursive: true });
fs.writeFileSync('dist/cli.js', "#!/usr/bin/env node\n'use strict';\nimport('./cli/bin.mjs');\n", { mode: 0o755 });

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
