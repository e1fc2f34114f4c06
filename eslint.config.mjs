// ESLint 9 flat config. `npm run lint` runs it with the folder-cycle check (eslint/folderCycles.mjs) and
// `prettier --check`. What may import what is written once, in eslint/layers.mjs, and held by the local
// rules in eslint/plugin.mjs.
//
// Not type-aware on purpose: typescript-eslint's type-checked presets build the whole program, which
// tripled the lint's time on this machine (about 9 s of CPU without types, 28 s with); `npm run typecheck`
// already runs the compiler.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import local from './eslint/plugin.mjs';

export default defineConfig(
  {
    ignores: [
      'dist/',
      'out/',
      '.stryker-tmp/',
      'reports/',
      '.cache/',
      '.vscode-test/',
      'test/fixtures/',
      'test/results/',
      'test/screenshots/',
    ],
  },
  {
    // A disable comment that no longer silences anything is stale: it fails, so none linger.
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // `_` marks a name kept on purpose (a parameter a signature needs, a destructured rest).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      // `catch {}` is how best-effort clean-up (kill a process that may be gone, read an optional map) says so.
      'no-empty': ['error', { allowEmptyCatch: true }],
      // Prettier wraps code at 120; what it cannot break (one long message or template) may run to 140, no further.
      'max-len': [
        'error',
        { code: 140, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreUrls: true, ignoreRegExpLiterals: true },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.cjs', 'test/runner-extension/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/browser/**/*.mjs'],
    // Playwright's page.evaluate callbacks run in the browser.
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ['test/**/*.ts'],
    // Tests require() on purpose: plain-JS runner modules, package.json, and node's own module objects,
    // whose members a test swaps to count calls (an `import * as` namespace is frozen).
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { local },
    rules: { 'local/host-boundaries': 'error', 'local/core-layers': 'error' },
  },
);
