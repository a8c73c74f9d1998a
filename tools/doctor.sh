#!/usr/bin/env bash
# make doctor: one line per tool the project uses: what this machine has, where it comes from, and the command that
# fixes what is missing. Status: ok; todo = not there yet, `make test` installs it itself (the command is what it
# runs); MISSING = `make test` cannot get it: you must (exit status 1); absent = not needed by `make test`.
# Run through make (tools/doctor.mk), which puts the project-local Node.js first on the PATH when there is one.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
NODE_VERSION="${NODE_VERSION:?run through make doctor}"
NODE_HOME="${NODE_HOME:?run through make doctor}"
NODE_NPM_VERSION="${NODE_NPM_VERSION:-}"
# The Fargate image's OCI tools are needed by `make test` only once it builds that image.
OCI_REQUIRED="${OCI_REQUIRED:-0}"
missing=0
line() { # line NAME STATUS TEXT
  printf '%-15s %-8s %s\n' "$1" "$2" "$3"
  [ "$2" = MISSING ] && missing=$((missing + 1))
  return 0
}
have() { command -v "$1" >/dev/null 2>&1; }
first_line() { "$@" 2>&1 | head -n1; }
as_root() { if [ "$(id -u)" -eq 0 ]; then echo "$*"; else echo "sudo $*"; fi; }
can_apt() { have apt-get && { [ "$(id -u)" -eq 0 ] || have sudo; }; }

# --- node and npm ---------------------------------------------------------------------------------------------------
major="${NODE_VERSION%%.*}"
node_path="$(command -v node || true)"
node_version="$(node --version 2>/dev/null || true)"
if [ -n "$node_path" ] && [ "$node_path" = "$NODE_HOME/bin/node" ]; then
  line node ok "$node_version (project-local, ${NODE_HOME#"$ROOT"/}, from the npm registry's node-<os>-<cpu> package)"
elif [[ "$node_version" == "v$major".* ]]; then
  line node ok "$node_version ($node_path)"
elif [ -n "${USE_MACHINE_NODE:-}" ]; then
  line node MISSING "${node_version:-none} on the PATH is not Node.js $major (USE_MACHINE_NODE is set): unset it, or nvm install"
elif [ "$(uname -s)" = Linux ] && [[ "$(uname -m)" =~ ^(x86_64|aarch64)$ ]]; then
  line node todo "${node_version:-none} on the PATH is not $major: make node (Node.js $NODE_VERSION into .tools/; every make target does it first)"
else
  line node MISSING "${node_version:-none} on the PATH is not $major and no $major build is pinned for this platform: nvm install (.nvmrc)"
fi
if have npm; then
  line npm ok "$(npm --version 2>/dev/null)$([ "$node_path" = "$NODE_HOME/bin/node" ] && echo " (project-local)")"
elif [ -n "$node_path" ]; then
  line npm MISSING "none: install npm $NODE_NPM_VERSION with your Node.js (or let make install Node.js $NODE_VERSION)"
else
  line npm todo "none: make node installs npm $NODE_NPM_VERSION with Node.js $NODE_VERSION"
fi
# cdktf-cli's node-pty has no prebuilt binary for Node.js 24's ABI: npm ci compiles it (node-gyp).
if have make && { have c++ || have g++; }; then
  line c++ ok "$(first_line "$(command -v c++ || command -v g++)" --version) (node-gyp builds cdktf-cli's node-pty)"
else
  line c++ MISSING "no C++ compiler: $(as_root apt-get install -y build-essential) (npm ci compiles cdktf-cli's node-pty)"
fi

# --- terraform and the AWS provider ---------------------------------------------------------------------------------
if have terraform; then
  tf="$(terraform version 2>/dev/null | head -n1)"
  tf_version="${tf#Terraform v}"
  if [ "$(printf '%s\n1.10.0\n' "$tf_version" | sort -V | head -n1)" = 1.10.0 ]; then
    line terraform ok "$tf_version ($(command -v terraform))"
  else
    line terraform MISSING "$tf_version is older than 1.10: install Terraform >= 1.10 (developer.hashicorp.com/terraform/install)"
  fi
else
  line terraform MISSING "not on the PATH: install Terraform >= 1.10 (developer.hashicorp.com/terraform/install); make e2e runs it"
fi
pin="$(grep -o "providerVersion: '[0-9.]*'" node_modules/@cdktf/provider-aws/lib/provider/index.js 2>/dev/null |
  head -n1 | tr -dc '0-9.')"
# The same search as tools/e2e/run.sh.
mirror="${E2E_PROVIDER_MIRROR:-}"
if [ -z "$mirror" ]; then
  found="$(find /opt /usr/local/share -path '*/registry.terraform.io/hashicorp/aws/*/terraform-provider-aws_v*' \
    -type f 2>/dev/null | head -n1 || true)"
  [ -n "$found" ] && mirror="${found%%/registry.terraform.io/*}"
fi
if [ -n "$mirror" ] && [ -d "$mirror/registry.terraform.io/hashicorp/aws" ]; then
  mirrored="$(ls "$mirror/registry.terraform.io/hashicorp/aws" | sort -V | tail -n1)"
  line "aws provider" ok "$mirrored from the filesystem mirror $mirror (make e2e; the stacks pin ${pin:-?})"
else
  line "aws provider" ok "${pin:-the pinned version} from the Terraform registry at terraform init (network; E2E_PROVIDER_MIRROR=DIR for a mirror)"
fi

# --- python and the Python tools ------------------------------------------------------------------------------------
if have python3; then
  py="$(python3 -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')"
  if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    line python MISSING "$py is older than 3.11: $(as_root apt-get install -y python3.11 python3.11-venv)"
  elif ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    line python MISSING "$py without venv/ensurepip: $(as_root apt-get install -y python3-venv)"
  else
    line python ok "$py ($(command -v python3), venv)"
  fi
else
  line python MISSING "no python3: $(as_root apt-get install -y python3 python3-venv)"
fi
if [ -x .venv-checkov/bin/checkov ]; then
  line checkov ok "$(.venv-checkov/bin/checkov --version 2>/dev/null) (.venv-checkov, tools/checkov/requirements.txt)"
else
  line checkov todo "not installed: make checkov (tools/checkov/requirements.txt into .venv-checkov)"
fi
if moto="$(app/.venv/bin/python -c 'import moto; print(moto.__version__)' 2>/dev/null)"; then
  line moto ok "$moto (app/.venv, app/requirements-dev.lock)"
else
  line moto todo "not installed: make -C app venv (app/requirements-dev.lock into app/.venv)"
fi
if [ -x /usr/bin/chromium ]; then
  # (Debian's launcher script prints shell noise on stderr on some machines.)
  line chromium ok "$(/usr/bin/chromium --version 2>/dev/null | head -n1) (/usr/bin/chromium, the app's browser tests)"
elif can_apt; then
  line chromium todo "not installed: make -C app browser ($(as_root apt-get install -y chromium))"
else
  line chromium MISSING "no /usr/bin/chromium and no apt-get as root: install chromium (the app's browser tests)"
fi

# --- OCI tools for the Fargate image ---------------------------------------------------------------------------------
for tool in skopeo umoci mmdebstrap docker-registry; do
  if have "$tool"; then
    line "$tool" ok "$(first_line "$tool" --version) ($(command -v "$tool"), the Fargate image)"
  elif [ "$OCI_REQUIRED" = 1 ]; then
    line "$tool" MISSING "not installed: $(as_root apt-get install -y "$tool") (the Fargate image)"
  else
    line "$tool" absent "not installed: $(as_root apt-get install -y "$tool") (the Fargate image; not needed by make test yet)"
  fi
done

if [ "$missing" -gt 0 ]; then
  echo "doctor: $missing missing: make test cannot run here until the MISSING lines are fixed"
  exit 1
fi
echo "doctor: make test can run here (it installs the todo lines itself)"
