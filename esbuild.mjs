// Bundles the extension and the CLI. `vscode` stays external: the host provides it.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Prefer ESM entry points: UMD builds (jsonc-parser's) hide their requires from the bundler.
  mainFields: ['module', 'main'],
  sourcemap: true,
  logLevel: 'warning',
  legalComments: 'none',
  // Some dependencies ship ESM that reads import.meta.url; give the CJS bundle a real one.
  // zod probes `navigator`, which recent Node hosts (VS Code 1.139's extension host) log as a migration error.
  define: { 'import.meta.url': '__importMetaUrl', navigator: 'undefined' },
  banner: { js: 'const __importMetaUrl = require("url").pathToFileURL(__filename).href;' },
};

const builds = [
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    banner: { js: `#!/usr/bin/env node\n${common.banner.js}` },
  },
];

// The runtime API for applications: Node built-ins only at run time, so it is minified (names kept: apps
// check error classes by name) and zod's error-message locales are cut to English, the one the core uses.
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
builds.push({
  ...common,
  entryPoints: ['src/runtime/index.ts'],
  outfile: 'dist/runtime.js',
  minify: true,
  keepNames: true,
  plugins: [zodEnglishOnly],
});

// `prompt-registry init` copies these next to the CLI into a new repository.
fs.rmSync('dist/samples', { recursive: true, force: true });
fs.cpSync('prompts', 'dist/samples', { recursive: true });

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
