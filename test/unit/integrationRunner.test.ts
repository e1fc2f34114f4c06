// The integration runner's rule for uncaught errors from other extensions in the host
// (test/runner-extension/foreign-errors.js): built-in extensions' faults are recorded,
// ours always fail the running test.
import * as assert from 'node:assert/strict';

const { isForeign, routeForeignErrors } = require('../runner-extension/foreign-errors.js') as {
  isForeign(err: unknown, ourPaths: (string | undefined)[]): boolean;
  routeForeignErrors(
    ourPaths: (string | undefined)[],
    onForeign: (e: { message: string; stack: string }) => void,
  ): { attach(): void; detach(): void };
};

const CODE_SERVER = '/ci/.cache/vscode-host/code-server/node_modules/code-server/lib/vscode';
const OURS = '/tmp/pr-integration-host-Ab12/extensions/prompt-registry.prompt-registry-0.1.0';
const SUITES = '/tmp/pr-integration-host-Ab12/extensions/prompt-registry.integration-runner-0.0.0/suites';
const NODE_FRAMES = [
  'at afterWriteDispatched (node:internal/stream_base_commons:159:15)',
  'at writeGeneric (node:internal/stream_base_commons:150:3)',
  'at Socket.end (node:net:1026:31)',
];

function error(message: string, frames: string[]): Error {
  const e = new Error(message);
  e.stack = [`Error: ${message}`, ...frames.map((f) => `    ${f}`)].join('\n');
  return e;
}

/** As CI saw it: vscode.git's check-ignore writing to a git that had already quit. */
const gitExtensionEpipe = () =>
  error('write EPIPE', [
    ...NODE_FRAMES,
    `at ${CODE_SERVER}/extensions/git/dist/main.js:66:494`,
    'at new Promise (<anonymous>)',
    `at ar.checkIgnore (${CODE_SERVER}/extensions/git/dist/main.js:66:204)`,
  ]);

describe('integration runner: uncaught errors from other extensions', () => {
  const ours = [OURS, SUITES];

  it('takes an error raised inside a built-in extension as foreign', () => {
    assert.equal(isForeign(gitExtensionEpipe(), ours), true);
    // VS Code desktop (the electron launcher) keeps built-ins under resources/app/extensions.
    const desktop = error('write EPIPE', [
      ...NODE_FRAMES,
      'at ar.checkIgnore (C:\\Program Files\\Microsoft VS Code\\resources\\app\\extensions\\git\\dist\\main.js:2:1)',
    ]);
    assert.equal(isForeign(desktop, ours), true);
  });

  it('never takes ours as foreign: our extension, our suites, or a stack through both', () => {
    assert.equal(
      isForeign(error('write EPIPE', [...NODE_FRAMES, `at readObjects (${OURS}/dist/extension.js:56215:17)`]), ours),
      false,
    );
    assert.equal(isForeign(error('boom', [`at Context.<anonymous> (${SUITES}/history.test.js:10:3)`]), ours), false);
    const mixed = error('boom', [
      `at ${CODE_SERVER}/extensions/git/dist/main.js:66:494`,
      `at provide (${OURS}/dist/extension.js:10:1)`,
    ]);
    assert.equal(isForeign(mixed, ours), false);
    // The electron launcher runs our extension from the repository: its path is what counts, not its name.
    const repo = '/home/dev/prompt-registry';
    assert.equal(
      isForeign(
        error('boom', [`at ${CODE_SERVER}/extensions/git/dist/main.js:1:1`, `at f (${repo}/dist/extension.js:1:1)`]),
        [repo],
      ),
      false,
    );
  });

  it('never takes an error without a built-in frame as foreign (Node internals only, or no stack)', () => {
    assert.equal(isForeign(error('write EPIPE', NODE_FRAMES), ours), false);
    assert.equal(isForeign('a string', ours), false);
    assert.equal(isForeign(undefined, ours), false);
  });

  it("routes foreign errors away from the listener added after it (mocha's) and passes ours on", () => {
    const saved = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    const toMocha: unknown[] = [];
    const recorded: { message: string }[] = [];
    const mochaListener = (e: unknown) => toMocha.push(e);
    try {
      const route = routeForeignErrors(ours, (e) => recorded.push(e));
      process.on('uncaughtException', mochaListener);
      route.attach();
      const mine = error('boom', [`at f (${OURS}/dist/extension.js:1:1)`]);
      process.emit('uncaughtException', gitExtensionEpipe());
      process.emit('uncaughtException', mine);
      assert.deepEqual(
        recorded.map((e) => e.message),
        ['write EPIPE'],
      );
      assert.deepEqual(toMocha, [mine]);
      route.detach();
      assert.equal(
        process.listenerCount('uncaughtException'),
        0,
        'detach removes the filter; mocha removes its own listener itself',
      );
    } finally {
      process.removeAllListeners('uncaughtException');
      for (const l of saved) process.on('uncaughtException', l);
    }
  });
});
