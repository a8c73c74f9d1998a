# The Fargate image (issue 20): included by the root Makefile. Recipe and docs: app/image/, docs/image.md.
IMAGE_PY := app/.venv/bin/python
IMAGE_OUT := app/build/image
# apt needs root: sudo only when not already root.
IMAGE_SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
# Tools from Debian packages, installed when missing: skopeo (push), docker-registry (the push test's registry).
# (Each command here is named like its package.)
image-tools = @missing=""; for tool in $(1); do command -v $$tool >/dev/null || missing="$$missing $$tool"; done; \
	  if [ -n "$$missing" ]; then $(IMAGE_SUDO) apt-get update -qq && \
	    $(IMAGE_SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi

.PHONY: image image-lock image-test push run-task

image: ## OCI image layouts linux/amd64 + linux/arm64 in app/build/image/<os>-<arch>/ (digest, sbom.spdx.json)
	@$(MAKE) --no-print-directory -C app venv >/dev/null
	@$(IMAGE_PY) app/image/build.py --out $(IMAGE_OUT)

image-lock: ## Re-pin the image's Debian packages (app/image/debian.lock.json) from bookworm's signed indexes
	$(IMAGE_PY) app/image/lock_debian.py

image-test: ## The image's tests: two clean builds give one digest, image properties, push, the task runner
	$(call image-tools,skopeo docker-registry)
	@$(MAKE) --no-print-directory -C app venv >/dev/null
	cd app && .venv/bin/python -m pytest -q -p no:cacheprovider --durations=8 image/tests

image-built = @test -f $(IMAGE_OUT)/$(1)/digest || { echo "no image in $(IMAGE_OUT)/$(1): run make image first" >&2; exit 1; }

push: ## Copy the arm64 image to ECR (REPOSITORY=<account>.dkr.ecr.<region>.amazonaws.com/<name>; docs/image.md)
	$(call image-tools,skopeo)
	$(call image-built,$(or $(PLATFORM),linux-arm64))
	$(IMAGE_PY) app/image/push.py $(IMAGE_OUT)/$(or $(PLATFORM),linux-arm64) $(REPOSITORY) $(ARGS)

run-task: ## Run the amd64 image as an ECS container definition says (DEF=task-definition.json; docs/image.md)
	$(call image-built,linux-amd64)
	$(IMAGE_PY) app/image/run_task.py --layout $(IMAGE_OUT)/linux-amd64 --definition "$(DEF)" $(ARGS)
