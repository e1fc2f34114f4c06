// Files named on the command line run alone (`npx mocha test/unit/x.test.ts`); otherwise every unit test runs.
const named = process.argv.slice(2).some((a) => /\.test\.ts$/.test(a));
module.exports = {
  require: ['tsx/cjs'],
  spec: named ? [] : ['test/unit/**/*.test.ts'],
  timeout: 20000,
  reporter: 'spec',
};
