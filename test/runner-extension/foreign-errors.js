// Every extension runs in the one extension host process, built-in ones too, and mocha
// takes any uncaught error as the running test's failure. The built-in git extension, for
// one, pipes paths into `git check-ignore --stdin` without an error handler, so a
// repository removed under it (the history suite does that) raises EPIPE in the host.
// Such an error is recorded and printed, not failed on, when its stack runs through a
// built-in extension (extensions/<name>/dist|out/…) and nowhere through our code (the
// extension under test, the suites, this runner). No `vscode` import: unit-tested in Node.
'use strict';

const BUILTIN_FRAME = /[\\/]extensions[\\/][a-z0-9-]+[\\/](?:dist|out)[\\/][^\s:()]+\.js:\d+/;

/** True when `err` came from a built-in extension and not from any of `ourPaths`. */
function isForeign(err, ourPaths) {
  const stack = String((err && err.stack) || '');
  return BUILTIN_FRAME.test(stack) && !ourPaths.some((p) => p && stack.includes(p));
}

/**
 * Puts a filter in front of the uncaughtException listeners added between this call and
 * attach() (mocha's): foreign errors go to `onForeign`, the rest to mocha as before.
 */
function routeForeignErrors(ourPaths, onForeign) {
  const before = new Set(process.listeners('uncaughtException'));
  const wrapped = [];
  return {
    attach() {
      for (const listener of process.listeners('uncaughtException').filter((l) => !before.has(l))) {
        const filter = (err, origin) => {
          if (!isForeign(err, ourPaths)) return listener(err, origin);
          onForeign({ message: String((err && err.message) || err), stack: String((err && err.stack) || '') });
        };
        process.removeListener('uncaughtException', listener);
        process.on('uncaughtException', filter);
        wrapped.push(filter);
      }
    },
    detach() {
      for (const f of wrapped) process.removeListener('uncaughtException', f);
    },
  };
}

module.exports = { isForeign, routeForeignErrors };
