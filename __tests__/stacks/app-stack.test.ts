import { projectConfig } from "../../config";
import { synthProject } from "../../test-support/synth";

const stacks = synthProject();

describe.each(projectConfig.environments.map((env) => [env.name, env] as const))(
  "app-%s stack",
  (name, env) => {
    const stack = stacks[`app-${name}`];

    test("stores its state in the S3 backend with both locks and the state key", () => {
      expect(stack.terraform?.backend).toEqual({
        s3: {
          bucket: projectConfig.state.bucketName,
          key: `app-${name}/terraform.tfstate`,
          region: projectConfig.state.region,
          encrypt: true,
          kms_key_id: projectConfig.state.kmsKeyAlias,
          dynamodb_table: projectConfig.state.lockTableName,
          use_lockfile: true,
        },
      });
    });

    test("configures the AWS provider for its region with default tags", () => {
      expect(stack.provider?.aws).toEqual([
        expect.objectContaining({
          region: env.region,
          default_tags: [{ tags: { Project: projectConfig.project, Environment: name, ManagedBy: "cdktf" } }],
        }),
      ]);
    });
  },
);

test("one app stack per environment besides the state stack", () => {
  expect(Object.keys(stacks).sort()).toEqual(["app-dev", "app-prod", "state"]);
});
