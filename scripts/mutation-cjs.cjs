// @stryker-mutator/mocha-runner 10.0.0 requires `mocha/lib/cli/run-helpers` without an extension; mocha 12 ships
// it as run-helpers.cjs, which plain require() does not try. Letting the resolver try `.cjs` bridges that until
// the runner catches up; it changes nothing for files that already name their extension.
const Module = require('node:module');
if (!Module._extensions['.cjs']) Module._extensions['.cjs'] = Module._extensions['.js'];
