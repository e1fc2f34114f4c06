// Mutation testing of the modules whose promises are safety (keys, hosts, redaction, catalog guards, runs,
// label compare-and-swap). Too slow for CI: run by hand, one module at a time, see docs/testing.md.
// MUTATION_SPEC narrows the unit files Stryker runs (comma-separated globs); by default every unit test runs.
// MUTATION_NAME keeps each per-module run's incremental file and reports apart, so runs never clobber each other.
const name = process.env.MUTATION_NAME ?? 'all';
const spec = process.env.MUTATION_SPEC ? process.env.MUTATION_SPEC.split(',') : ['test/unit/**/*.test.ts'];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'mocha',
  mochaOptions: { config: '.mocharc.cjs', spec, require: ['tsx/cjs'] },
  coverageAnalysis: 'perTest',
  // Two cores shared by several people: one test process keeps the machine usable.
  concurrency: 1,
  mutate: [
    'src/core/catalog/**/*.ts',
    'src/core/text/redact.ts',
    'src/core/providers/keys.ts',
    'src/core/providers/keyPolicy.ts',
    'src/core/providers/allowedHosts.ts',
    'src/core/run/**/*.ts',
    'src/core/history/labels*.ts',
  ],
  incremental: true,
  incrementalFile: `reports/${name}/stryker-incremental.json`,
  tempDirName: '.stryker-tmp',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/${name}/mutation.html` },
  jsonReporter: { fileName: `reports/${name}/mutation.json` },
  thresholds: { high: 90, low: 85, break: null },
};
