# Two entry points: `make demo` and `make test`. Every target installs what it is missing first.
SHELL := /bin/bash
.DEFAULT_GOAL := help
export CHECKPOINT_DISABLE := 1
export DISABLE_VERSION_CHECK := 1
# Python tools resolve from PyPI only, as hashed in their lock files: a machine's own pip mirrors and find-links
# (pip.conf, PIP_*) would hide what a clean machine downloads (app/Makefile does the same).
export PIP_CONFIG_FILE := /dev/null
unexport PIP_FIND_LINKS PIP_EXTRA_INDEX_URL PIP_INDEX_URL
export PIP_DISABLE_PIP_VERSION_CHECK := 1
include tools/node.mk tools/doctor.mk

NPM_STAMP := node_modules/.install-stamp
TS_NODE := npx ts-node --transpile-only

.PHONY: help deps lint fmt typecheck unit synth synth-hcl summary cost audit checkov test demo bundle app-test bench bench-record e2e e2e-emulator-test state-bootstrap clean e2e-faults state-lock force-unlock image-built cost-chart ec2-boot-test state-adopt

help: ## List the targets
	@grep -hE '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 14

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

deps: $(NPM_STAMP) ## Install the Node toolchain (npm ci) when package-lock.json changed

lint: deps ## eslint + prettier check
	npx eslint .
	npx prettier --check .

fmt: deps ## Format the TypeScript sources
	npx prettier --write .
	npx eslint --fix .

typecheck: deps ## tsc --noEmit (jest only transpiles)
	npx tsc --noEmit -p .

# Synthesis reads the built image's layouts (stacks/image.ts): built when missing or older than what goes in them.
IMAGE_DIGESTS := app/build/image/linux-arm64/digest app/build/image/linux-amd64/digest
IMAGE_INPUTS := $(shell find app/image app/imageshare -type f -name '*.py' -not -path '*/tests/*' 2>/dev/null) \
  app/image/debian.lock.json app/requirements.lock app/application.py app/gunicorn.conf.py

$(IMAGE_DIGESTS) &: $(IMAGE_INPUTS)
	$(MAKE) --no-print-directory image

image-built: $(IMAGE_DIGESTS) ## Build the image layouts only when an input changed (what synthesis needs)

unit: deps bundle image-built ## jest (synthesis reads the built bundle and image)
	npx jest

synth: deps bundle image-built ## Synthesize every stack into cdktf.out/ (zips each environment's bundle in app/build/bundles/)
	npx cdktf synth

synth-hcl: deps ## Synthesize plain Terraform (.tf) instead of JSON: the exit path from cdktf
	npx cdktf synth --hcl

CHECKOV_VENV := .venv-checkov
CHECKOV_STAMP := $(CHECKOV_VENV)/.install-stamp

$(CHECKOV_STAMP): tools/checkov/requirements.txt
	python3 -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet --require-hashes -r tools/checkov/requirements.txt
	@touch $@

checkov: synth $(CHECKOV_STAMP) ## checkov on cdktf.out, judged per stack against tools/checkov/accepted-findings.json
	@# checkov exits 1 on any finding; tools/checkov/gate.ts decides (and fails on output that is not a report).
	$(CHECKOV_VENV)/bin/checkov --config-file .checkov.yaml | $(TS_NODE) tools/checkov/gate.ts

summary: ## Print what the synthesized stacks contain
	@$(TS_NODE) tools/summary.ts

cost: ## Monthly cost of every stack from cdktf.out + shared/cost/prices.json (ARGS=--json for JSON)
	@# Synthesis logs go to stderr so that `make cost ARGS=--json` prints pure JSON.
	@$(MAKE) --no-print-directory synth >&2
	@$(TS_NODE) tools/cost.ts $(ARGS)

cost-chart: deps bundle image-built ## Write docs/cost-chart.svg and the figures of docs/cost.md and docs/variants.md from the estimator
	@# Every compute in the dev and prod profiles, synthesized in memory (tools/compute-profiles.ts); no network.
	@$(TS_NODE) tools/cost-docs.ts $(ARGS)

AUDIT_VENV := tools/.venv
AUDIT_STAMP := $(AUDIT_VENV)/.install-stamp

$(AUDIT_STAMP): tools/requirements-audit.txt
	python3 -m venv $(AUDIT_VENV)
	$(AUDIT_VENV)/bin/pip install --quiet --require-hashes -r tools/requirements-audit.txt
	@touch $@

audit: deps $(AUDIT_STAMP) ## npm audit + pip-audit of app/requirements.lock (network; AUDIT_REQUIRED=1: no skipping)
	@$(TS_NODE) tools/audit.ts $(AUDIT_VENV)/bin/pip-audit app/requirements.lock

state-bootstrap: synth ## Once per account: create the state stack, then move its own state into its bucket
	@# The first apply keeps its state in ./terraform.state.tfstate; the script migrates it into the bucket and sets
	@# the local file aside (.migrated). Later changes: npx cdktf deploy state. docs/deploy.md, step 1.
	scripts/state-bootstrap.sh cdktf.out

bundle: deps ## Build the source bundle of every environment (app/build/bundles/<architecture>-upload-<MiB>mb)
	@# One bundle per architecture and upload limit in config/environments.ts (tools/bundles.ts lists them).
	set -o pipefail; $(TS_NODE) tools/bundles.ts | while read -r arch limit dir; do \
	  $(MAKE) -C app bundle BUNDLE_ARCH=$$arch MAX_UPLOAD_MB=$$limit BUNDLE_DIR=$$dir || exit 1; \
	done

bench: ## Throughput, latency and upload memory of one app instance on the emulator -> bench/latest.json (untracked)
	$(MAKE) -C app venv
	command -v wrk >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y wrk; }
	app/.venv/bin/python bench/run.py --out bench/latest.json

bench-record: ## Record the last `make bench` in bench/results.json and docs/limitations.md, together
	python3 bench/record.py

app-test: ## The app's lint, unit and browser tests
	$(MAKE) -C app test

e2e-emulator-test: ## pytest of the emulator patches (tools/e2e/emulator)
	$(MAKE) -C app venv
	cd tools/e2e && ../../app/.venv/bin/python -m pytest -q -p no:cacheprovider emulator/tests

EC2BOOT_VENV := tools/e2e/ec2boot/.venv
EC2BOOT_STAMP := $(EC2BOOT_VENV)/.install-stamp
# The boot test installs the bundle on this machine: its wheels must be for this machine's CPU.
HOST_ARCH := $(shell uname -m)

$(EC2BOOT_STAMP): tools/e2e/ec2boot/requirements.txt
	python3 -m venv $(EC2BOOT_VENV)
	$(EC2BOOT_VENV)/bin/pip install --quiet --require-hashes -r tools/e2e/ec2boot/requirements.txt
	@touch $@

ec2-boot-test: deps $(EC2BOOT_STAMP) ## The EC2 boot script for real in a throwaway root (root: unshare, overlay, chroot)
	@# systemd-analyze verifies the unit; Debian's python3.11 (the stand-in for AL2023's) needs its venv module.
	command -v systemd-analyze >/dev/null && /usr/bin/python3.11 -c 'import ensurepip' 2>/dev/null || \
	  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y systemd python3.11-venv; }
	$(MAKE) -C app bundle BUNDLE_ARCH=$(HOST_ARCH) MAX_UPLOAD_MB=10 BUNDLE_DIR=build/bundles/$(HOST_ARCH)-upload-10mb
	app/.venv/bin/python tools/e2e/ec2_boot.py standalone --work .e2e-ec2boot \
	  --bundle-dir app/build/bundles/$(HOST_ARCH)-upload-10mb --aws-cli $(EC2BOOT_VENV)/bin/aws

# The app stacks `make e2e` deploys: the one list. Each runs side by side with its own emulator, port and .e2e/<stack>/.
E2E_STACKS := app-dev app-dev-fargate app-dev-ec2

e2e: deps bundle image-built e2e-emulator-test ec2-boot-test ## Real terraform + AWS provider: validate, deploy, diff, destroy against the emulator
	@command -v terraform >/dev/null || { echo "make e2e needs terraform (>= 1.10) on the PATH" >&2; exit 1; }
	$(MAKE) --no-print-directory -j$(words $(E2E_STACKS)) -O $(addprefix e2e-stack-,$(E2E_STACKS))

e2e-stack-%: # One app stack's end-to-end run (make e2e starts them; the first also runs the project-wide checks)
	E2E_PROJECT_CHECKS=$(if $(filter $*,$(firstword $(E2E_STACKS))),1,0) tools/e2e/run.sh $* .e2e/$*

e2e-faults: deps bundle ## Killed apply, throttling, broken state object, S3 outage under load (docs/maintenance.md)
	@command -v terraform >/dev/null || { echo "make e2e-faults needs terraform (>= 1.10) on the PATH" >&2; exit 1; }
	$(MAKE) -C app venv
	cd tools/e2e && ../../app/.venv/bin/python -m faults

# The state-lock runbook (docs/maintenance.md): who holds STACK's lock, and releasing it after a killed apply.
STACK ?= app-dev
CDKTF_OUT ?= cdktf.out
state-lock: ## Who holds STACK's state lock (its ID for force-unlock); STACK=app-dev by default
	@CDKTF_OUT=$(CDKTF_OUT) scripts/state-lock.sh $(STACK)

force-unlock: ## Release STACK's state lock LOCK_ID (S3 lock file and DynamoDB item) after a killed apply
	@test -n "$(LOCK_ID)" || { echo "usage: make force-unlock STACK=app-dev LOCK_ID=<ID from make state-lock>" >&2; exit 2; }
	terraform -chdir=$(CDKTF_OUT)/stacks/$(STACK) force-unlock -force $(LOCK_ID)

state-adopt: ## After a killed apply: import what it created after its last state snapshot (the load balancer)
	@CDKTF_OUT=$(CDKTF_OUT) scripts/state-adopt.py $(STACK)

include app/image/image.mk

test: lint typecheck unit synth checkov audit ## Every check (what CI runs)
	@# The app's tests and the end-to-end run side by side: e2e spends most of its time waiting on the provider's
	@# polling, the browser tests on pages; each target's output is printed whole when it ends (-O).
	$(MAKE) --no-print-directory -j4 -O app-test e2e e2e-faults image-test

demo: synth summary ## Synthesize, summarize, and serve the app on http://127.0.0.1:8080
	$(MAKE) -C app demo-serve

clean: ## Remove build output (not node_modules)
	rm -rf cdktf.out coverage .e2e .e2e-faults .e2e-ec2boot
