import { App } from "cdktf";
import { projectConfig, validateConfig } from "./config";
import { StateStack } from "./stacks/state-stack";
import { AppStack, appStackName } from "./stacks/app-stack";

/** Builds every stack from the validated configuration. */
export function buildApp(app: App, config = projectConfig): App {
  const valid = validateConfig(config);
  new StateStack(app, "state", valid);
  for (const env of valid.environments) new AppStack(app, appStackName(env), valid, env);
  return app;
}

if (require.main === module) {
  // skipValidation: cdktf's pre-synth validation shells out to `terraform version` when a stack has data
  // sources; synthesis itself needs no terraform binary, and CI must not either.
  buildApp(new App({ skipValidation: true })).synth();
}
