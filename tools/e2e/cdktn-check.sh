#!/usr/bin/env bash
# The move to CDK Terrain (cdktn), the maintained fork of the archived cdktf, proven as a rename with the fork's own
# CLI. Two parts, both called by tools/e2e/run.sh:
#   cdktn-check.sh CDKTF_OUT WORK_DIR        (beside the deploys) in a copy of the repository, swap cdktf/cdktf-cli/
#       @cdktf/provider-aws for cdktn/cdktn-cli/@cdktn/provider-aws (same API and file names; imports only), run
#       `cdktn synth`, validate every stack with real Terraform, list how the JSON differs from cdktf's; then
#       WORK_DIR/ready (or WORK_DIR/failed).
#   cdktn-check.sh diff WORK_DIR STACK CDKTF_OUT   (after `cdktf deploy STACK`) waits for the part above, puts the
#       override file the stack was deployed with (same emulator, S3 backend and state key) next to cdktn's stack and
#       runs `cdktn diff STACK`: it must print "No changes", the proof that a team can switch tools on a live stack.
# cdktn-cli 0.24 needs Node >= 22.19 (its package.json "engines"): make runs this on the project's Node 24.
# TF_CLI_CONFIG_FILE and PROVIDER_VERSION come from run.sh when a local provider mirror is used.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
# Versions (npm registry, checked 2026-12-04: the only cdktn and cdktn-cli release, and the newest provider-aws for
# it); constructs: the newest release in their peer range (>=10.6.0 <10.8.0).
CDKTN_VERSION=0.24.0
CDKTN_CLI_VERSION=0.24.0
CDKTN_PROVIDER_AWS_VERSION=25.7.0
CONSTRUCTS_VERSION=10.7.2

node -e 'const [a, b] = process.versions.node.split(".").map(Number);
  if (a < 22 || (a === 22 && b < 19)) { console.error(`cdktn-cli needs Node >= 22.19, this is ${process.version}: run it through make e2e`); process.exit(1); }'

diff_stack() {
  local work="$1" stack="$2" cdktf_out="$3" waited=0
  until [ -e "$work/ready" ] || [ -e "$work/failed" ]; do
    [ "$waited" -ge 1200 ] && { echo "the cdktn synth did not finish in 20 min" >&2; return 1; }
    sleep 2
    waited=$((waited + 2))
  done
  [ -e "$work/ready" ] || { echo "the cdktn synth failed: see $work/../cdktn-check.log" >&2; return 1; }
  # The very override file cdktf deployed the stack with (emulator endpoints, its CA, the S3 backend and state key,
  # the provider version: the mirror's or the cdktf stacks' pin, so the switch of tools is proven alone; cdktn's
  # bindings pin a newer provider, an upgrade of its own). The stacks' JSON is the same (compare-synth.ts).
  cp "$cdktf_out/stacks/$stack/e2e_override.tf.json" "$work/out/stacks/$stack/"
  # Initialized without a backend by the validation, its lock at the validated provider: start over.
  rm -rf "$work/out/stacks/$stack/.terraform" "$work/out/stacks/$stack/.terraform.lock.hcl"
  local lock=()
  [ -n "${TF_CLI_CONFIG_FILE:-}" ] && lock=(--skip-provider-lock)
  (cd "$work/repo" && npx cdktn diff "$stack" --skip-synth "${lock[@]}" --output "$work/out" --no-color) \
    > "$work/diff-$stack.log" 2>&1 || { tail -n 60 "$work/diff-$stack.log" >&2; return 1; }
  grep -q "No changes" "$work/diff-$stack.log" || {
    echo "cdktn diff $stack (stack deployed by cdktf deploy) is not empty:" >&2
    tail -n 80 "$work/diff-$stack.log" >&2
    return 1
  }
  echo "cdktn diff $stack ($(cd "$work/repo" && npx cdktn --version), Node $(node --version)): No changes"
}
if [ "${1:-}" = diff ]; then
  shift
  diff_stack "$@"
  exit
fi

CDKTF_OUT="$1"
WORK="$2"
rm -rf "$WORK"
mkdir -p "$WORK/repo"
trap '[ -e "$WORK/ready" ] || touch "$WORK/failed"' EXIT
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
const [cdktn, cli, aws, constructs] = process.argv.slice(1);
pkg.dependencies = { cdktn, "@cdktn/provider-aws": aws, constructs };
pkg.devDependencies = {
  "cdktn-cli": cli,
  "ts-node": dev["ts-node"],
  typescript: dev.typescript,
  "@types/node": dev["@types/node"],
};
fs.writeFileSync("package.json", JSON.stringify(pkg, null, 2));
' "$CDKTN_VERSION" "$CDKTN_CLI_VERSION" "$CDKTN_PROVIDER_AWS_VERSION" "$CONSTRUCTS_VERSION"
# The rename: imports only.
find . -name '*.ts' -not -path './node_modules/*' -print0 |
  xargs -0 sed -i -e 's#from "cdktf"#from "cdktn"#' -e 's#"@cdktf/provider-aws/#"@cdktn/provider-aws/#'
npm install --no-audit --no-fund --loglevel=error > "$WORK/npm-install.log" 2>&1 ||
  { tail -n 30 "$WORK/npm-install.log" >&2; exit 1; }
echo "cdktn-cli $(npx cdktn --version) on Node $(node --version)"
# The fork's CLI runs the app of cdktf.json, as cdktf synth does.
npx cdktn synth --output "$WORK/out" --no-color > "$WORK/synth.log" 2>&1 || { tail -n 40 "$WORK/synth.log" >&2; exit 1; }

for dir in "$WORK"/out/stacks/*; do
  if [ -n "${PROVIDER_VERSION:-}" ]; then
    printf '{"terraform":{"required_providers":{"aws":{"source":"hashicorp/aws","version":"%s"}}}}\n' \
      "$PROVIDER_VERSION" > "$dir/e2e_override.tf.json"
  fi
  (cd "$dir" && terraform init -backend=false -input=false -no-color > init.log 2>&1 &&
    terraform validate -no-color > validate.log 2>&1) ||
    { cat "$dir/init.log" "$dir/validate.log" >&2; exit 1; }
  echo "cdktn synth: $(basename "$dir") synthesizes and validates"
done
(cd "$ROOT" && npx ts-node --transpile-only tools/e2e/compare-synth.ts "$CDKTF_OUT" "$WORK/out") | tee "$WORK/differences.txt"
touch "$WORK/ready"
