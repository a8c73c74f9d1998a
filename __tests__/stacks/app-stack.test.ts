import { App, Testing } from "cdktf";
import { projectConfig } from "../../config";
import { buildApp } from "../../main";
import { onlyResource, parsePolicy, resolveRef, resourcesOf, synthProject } from "../../test-support/synth";
import { PolicyStatement } from "../../constructs/policies/document";
import {
  beanstalkGatewayStatements,
  beanstalkInterfaceEndpoints,
} from "../../constructs/policies/vpc-endpoints";
import { ebNamespace } from "../../shared/synthesized";

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

    test("gives its VPC endpoints the policies Elastic Beanstalk needs (constructs/policies/vpc-endpoints.ts)", () => {
      const sids = (statements?: readonly PolicyStatement[]) => statements?.map((st) => st.Sid);
      const sidsOf = (policy: unknown) =>
        policy === undefined ? undefined : sids(parsePolicy(policy).Statement);
      const endpoints = Object.values(resourcesOf(stack, "aws_vpc_endpoint"));
      const specs = beanstalkInterfaceEndpoints(env.region, "123456789012", env.sessionManager);
      expect(endpoints.filter((e) => e.vpc_endpoint_type === "Interface")).toHaveLength(specs.length);
      for (const spec of specs) {
        const endpoint = endpoints.find(
          (e) => e.service_name === `com.amazonaws.${env.region}.${spec.service}`,
        );
        expect({ service: spec.service, sids: sidsOf(endpoint?.policy) }).toEqual({
          service: spec.service,
          sids: sids(spec.statements),
        });
      }
      // The app's bucket comes last, added by allowBucketAccess from the app's grant.
      const gateway = endpoints.find((e) => e.vpc_endpoint_type === "Gateway");
      expect(sidsOf(gateway?.policy)).toEqual([
        ...sids(beanstalkGatewayStatements(env.region, "123456789012"))!,
        "ImagesBucket",
      ]);
    });
  },
);

test("one app stack per environment besides the state stack", () => {
  expect(Object.keys(stacks).sort()).toEqual(["app-dev", "app-prod", "state"]);
});

test("cdktf synth prints the configuration warnings of each app stack (plain HTTP in dev, placeholder domain in prod)", () => {
  const app = buildApp(Testing.app() as App);
  const warnings = (stackName: string) =>
    app.node
      .findChild(stackName)
      .node.metadata.filter((entry) => entry.type === "@cdktf/warn")
      .map((entry) => String(entry.data));
  expect(warnings("app-dev")).toEqual([expect.stringContaining("PLAIN HTTP ONLY")]);
  expect(warnings("app-prod")).toEqual([
    expect.stringContaining("domain.domainName"),
    expect.stringContaining("domain.hostedZoneId"),
  ]);
});

describe("protected data: the images bucket and the key that decrypts it", () => {
  const stacks = synthProject();
  const imagesData = (stackName: string) => {
    const stack = stacks[stackName];
    const environment = onlyResource(stack, "aws_elastic_beanstalk_environment");
    const properties = ebNamespace(environment, "aws:elasticbeanstalk:application:environment");
    return {
      bucket: resolveRef(stack, properties.IMAGES_BUCKET).resource,
      key: resolveRef(stack, properties.KMS_KEY_ARN).resource,
    };
  };

  test("prod: both refuse terraform destroy (prevent_destroy), as the state stack's do", () => {
    const { bucket, key } = imagesData("app-prod");
    expect(bucket.lifecycle).toEqual({ prevent_destroy: true });
    expect(key.lifecycle).toEqual({ prevent_destroy: true });
    expect(bucket.force_destroy).toBe(false);
  });

  test("dev: destroyable, except a bucket that still holds images (never force-destroyed)", () => {
    const { bucket, key } = imagesData("app-dev");
    expect(bucket.lifecycle).toBeUndefined();
    expect(key.lifecycle).toBeUndefined();
    // Without force_destroy, S3 refuses to delete a bucket that holds objects or versions (BucketNotEmpty).
    expect(bucket.force_destroy).toBe(false);
  });
});
