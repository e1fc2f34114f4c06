// Test-only extension for the code-server launcher (test/integration/launch/code-server.mjs).
// code-server ignores extensionDevelopmentPath/extensionTestsPath, so instead this extension
// is installed into the throwaway extensions dir, activates on startup and runs the suites.
// Everything it needs comes from env vars set on the code-server process (they reach the
// extension host). Without PR_TEST_RESULTS it does nothing, so it is harmless elsewhere.
'use strict';
const { runSuites } = require('./run-suites');

function activate() {
  if (!process.env.PR_TEST_RESULTS) return;
  // Do not block activation of other extensions: run after activate() returns.
  setTimeout(() => {
    runSuites().catch((err) => console.error('[integration-runner]', err));
  }, 0);
}

module.exports = { activate, deactivate() {} };
