#!/usr/bin/env bash
# The move to CDK Terrain (cdktn), the maintained fork of the archived cdktf, proven as a rename: in a temporary copy
# of the repository, swap cdktf/cdktf-cli/@cdktf/provider-aws for cdktn/cdktn-cli/@cdktn/provider-aws (same API and
# file names), synthesize every stack, validate each with real Terraform, and report how the synthesized JSON
# differs from cdktf's. The app is run directly (what `cdktn synth` runs, cdktf.json "app"): cdktn-cli 0.24 needs
# Node >= 22.19 (its package.json "engines") and this project runs on Node 20. Usage: cdktn-check.sh CDKTF_OUT WORK_DIR (TF_CLI_CONFIG_FILE and
# PROVIDER_VERSION from tools/e2e/run.sh when a local mirror is used).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CDKTF_OUT="$1"
WORK="$2"
# Versions: the fork's first provider-aws release for cdktn 0.24 (npm registry, checked 2026-12).
CDKTN_VERSION=0.24.0
CDKTN_PROVIDER_AWS_VERSION=25.7.0
CONSTRUCTS_VERSION=10.7.2 # cdktn 0.24 wants constructs >= 10.6

rm -rf "$WORK"
mkdir -p "$WORK/repo"
(cd "$ROOT" && git ls-files -z | tar --null -T - -cf -) | tar -xf - -C "$WORK/repo"
mkdir -p "$WORK/repo/app/build"
cp -r "$ROOT/app/build/bundles" "$WORK/repo/app/build/"
# Synthesis reads the image layouts' digest, index and small blobs (manifest, config; stacks/image.ts), not the layers.
(cd "$ROOT" && find app/build/image -maxdepth 1 -name 'linux-*' -type d | while read -r layout; do
  find "$layout" -maxdepth 3 -type f -size -1024k; done | tar -T - -cf -) | tar -xf - -C "$WORK/repo"
cd "$WORK/repo"
rm -f package-lock.json
node -e '
const fs = require("fs");
const pkg = JSON.parse(fs.readFileSync("package.json", "utf8"));
const dev = pkg.devDependencies;
pkg.dependencies = {
  cdktn: process.argv[1],
  "@cdktn/provider-aws": process.argv[2],
  constructs: process.argv[3],
};
pkg.devDependencies = {
  "ts-node": dev["ts-node"],
  typescript: dev.typescript,
  "@types/node": dev["@types/node"],
};
fs.writeFileSync("package.json", JSON.stringify(pkg, null, 2));
' "$CDKTN_VERSION" "$CDKTN_PROVIDER_AWS_VERSION" "$CONSTRUCTS_VERSION"
# The rename: imports only.
find . -name '*.ts' -not -path './node_modules/*' -print0 |
  xargs -0 sed -i -e 's#from "cdktf"#from "cdktn"#' -e 's#"@cdktf/provider-aws/#"@cdktn/provider-aws/#'
npm install --no-audit --no-fund --loglevel=error > "$WORK/npm-install.log" 2>&1 ||
  { tail -n 30 "$WORK/npm-install.log" >&2; exit 1; }
CDKTF_OUTDIR="$WORK/out" npx ts-node --transpile-only main.ts > "$WORK/synth.log" 2>&1 ||
  { tail -n 40 "$WORK/synth.log" >&2; exit 1; }

for dir in "$WORK"/out/stacks/*; do
  if [ -n "${PROVIDER_VERSION:-}" ]; then
    printf '{"terraform":{"required_providers":{"aws":{"source":"hashicorp/aws","version":"%s"}}}}\n' \
      "$PROVIDER_VERSION" > "$dir/e2e_override.tf.json"
  fi
  (cd "$dir" && terraform init -backend=false -input=false -no-color > init.log 2>&1 &&
    terraform validate -no-color > validate.log 2>&1) ||
    { cat "$dir/init.log" "$dir/validate.log" >&2; exit 1; }
  echo "cdktn: $(basename "$dir") synthesizes and validates"
done
(cd "$ROOT" && npx ts-node --transpile-only tools/e2e/compare-synth.ts "$CDKTF_OUT" "$WORK/out") | tee "$WORK/differences.txt"
