import { App } from "cdktf";
import { projectConfig, validateConfig } from "./config";
import { StateStack } from "./stacks/state-stack";
import { AppStack, appStackName } from "./stacks/app-stack";
import { RegistryStack, needsRegistry, registryStackName } from "./stacks/registry-stack";

/** Builds every stack from the validated configuration. */
export function buildApp(app: App, config = projectConfig): App {
  const valid = validateConfig(config);
  new StateStack(app, "state", valid);
  for (const env of valid.environments) {
    // The image repository first: `make push` fills it before the app stack's plan looks the image up.
    if (needsRegistry(env)) new RegistryStack(app, registryStackName(env), valid, env);
    new AppStack(app, appStackName(env), valid, env);
  }
  return app;
}

if (require.main === module) {
  // skipValidation: cdktf adds a pre-synth check that shells out to `terraform version` once a stack uses
  // DataResource, importFrom, moves or a cloud backend. None does today; synthesis must stay terraform-free if one
  // is added (__tests__/synthesis.test.ts runs `cdktf synth` with a terraform tripwire on the PATH).
  buildApp(new App({ skipValidation: true })).synth();
}
