# Sourced by tools/e2e/run.sh: the steps of an app stack whose compute runs the container image (issue 20). Each
# function is a no-op for a stack without a registry stack (registry-<env>: stacks/registry-stack.ts), so run.sh
# calls them for every stack. Uses run.sh's step, deploy, no_changes, cdktf_in_out, PY, OUT, WORK, ENDPOINT, CA, PORT.

registry_stack() { echo "registry-${APP_STACK#app-}"; }
has_registry() { [ -d "$OUT/stacks/$(registry_stack)" ]; }

# Before the app stack: its repository exists and holds the image, so the app plan's aws_ecr_image lookup finds it.
fargate_before_app() {
  has_registry || return 0
  local registry
  registry="$(registry_stack)"
  step "deploy $registry" deploy "$registry"
  step "diff $registry" no_changes "$registry"
  step "register the image in ECR (PutImage)" "$PY" tools/e2e/fargate.py register --out "$OUT" --stack "$APP_STACK" \
    --endpoint "$ENDPOINT" --ca "$CA"
}

# After the app check: the image itself runs as the synthesized task definition says and serves the app.
fargate_image_run() {
  has_registry || return 0
  step "image runs from the synthesized task definition" "$PY" tools/e2e/fargate.py run --out "$OUT" \
    --stack "$APP_STACK" --endpoint "$ENDPOINT" --ca "$CA" --emulator-port "$PORT"
}

# After the app stack's destroy: a repository holding images refuses deletion; emptied, it goes with its key.
fargate_destroy_registry() {
  has_registry || return 0
  step "destroy $(registry_stack)" "$PY" tools/e2e/fargate.py destroy --out "$OUT" --stack "$(registry_stack)" \
    --endpoint "$ENDPOINT" --ca "$CA" "--lock-flag=${LOCK_FLAG[*]}"
}
