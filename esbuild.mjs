// Bundles the extension and the CLI. `vscode` stays external: the host provides it.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';

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
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: `#!/usr/bin/env node\n${common.banner.js}` } },
];

// `prompt-registry init` copies these next to the CLI into a new repository.
fs.rmSync('dist/samples', { recursive: true, force: true });
fs.cpSync('prompts', 'dist/samples', { recursive: true });

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
