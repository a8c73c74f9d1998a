import { App, Testing } from "cdktf";
import { projectConfig } from "../../config";
import { buildApp } from "../../main";
import { onlyResource, parsePolicy, resolveRef, resourcesOf, synthProject } from "../../test-support/synth";
import { PolicyStatement } from "../../constructs/policies/document";
import { environmentCompute } from "../../stacks/compute";
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

    test("gives its VPC endpoints the policies its compute asks for (constructs/compute/<kind>/endpoints.ts)", () => {
      const sids = (statements?: readonly PolicyStatement[]) => statements?.map((st) => st.Sid);
      const sidsOf = (policy: unknown) =>
        policy === undefined ? undefined : sids(parsePolicy(policy).Statement);
      const endpoints = Object.values(resourcesOf(stack, "aws_vpc_endpoint"));
      const needs = environmentCompute(env).endpointNeeds({
        region: env.region,
        accountId: "123456789012",
        namePrefix: `${projectConfig.project}-${name}`,
      });
      const specs = needs.interfaceEndpoints;
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
      expect(sidsOf(gateway?.policy)).toEqual([...sids(needs.gatewayStatements)!, "ImagesBucket"]);
    });
  },
);

/** What each compute names its security group, roles and log group (the app role first). */
const COMPUTE_NAMES: Record<string, { sg: string; roles: string[]; logGroup: RegExp }> = {
  beanstalk: {
    sg: "eb-instances",
    roles: ["eb-instance", "eb-service"],
    logGroup: /^\/aws\/elasticbeanstalk\/\$\{aws_elastic_beanstalk_environment\./,
  },
  fargate: {
    sg: "ecs-tasks",
    roles: ["ecs-task", "ecs-execution"],
    logGroup: /^\$\{aws_cloudwatch_log_group\./,
  },
  ec2: {
    sg: "app-instances",
    roles: ["instance"],
    logGroup: /^\$\{aws_cloudwatch_log_group\./,
  },
};

describe.each(projectConfig.environments.map((env) => [env.name, env.compute.kind]))(
  "app-%s records its compute",
  (name, kind) => {
    const stack = stacks[`app-${name}`];
    const ref = (type: string, value: unknown) => {
      const found = resolveRef(stack, value);
      expect(found.type).toBe(type);
      return found.resource;
    };

    test("as the Terraform local `compute`: kind, subnets, security group, roles, app role, log group", () => {
      const compute = stack.locals?.compute as Record<string, unknown>;
      expect(Object.keys(compute).sort()).toEqual([
        "app_role_arn",
        "kind",
        "log_group_name",
        "role_arns",
        "security_group_ids",
        "subnet_ids",
      ]);
      expect(compute.kind).toBe(kind);
      const names = COMPUTE_NAMES[kind];
      const subnets = (compute.subnet_ids as string[]).map((id) => ref("aws_subnet", id));
      expect(subnets.map((s) => (s.tags as Record<string, string>).Tier)).toEqual(
        subnets.map(() => "instance"),
      );
      expect(
        (compute.security_group_ids as string[]).map((id) => ref("aws_security_group", id).name),
      ).toEqual([`imageshare-${name}-${names.sg}`]);
      expect(ref("aws_iam_role", compute.app_role_arn).name).toBe(`imageshare-${name}-${names.roles[0]}`);
      expect((compute.role_arns as string[]).map((arn) => ref("aws_iam_role", arn).name).sort()).toEqual(
        names.roles.map((role) => `imageshare-${name}-${role}`).sort(),
      );
      expect(compute.log_group_name).toMatch(names.logGroup);
    });
  },
);

test("one app stack per environment besides the state stack, and a registry stack per Fargate environment", () => {
  expect(Object.keys(stacks).sort()).toEqual([
    "app-dev",
    "app-dev-ec2",
    "app-dev-fargate",
    "app-prod",
    "registry-dev-fargate",
    "state",
  ]);
});

test("cdktf synth prints the configuration warnings of each app stack (plain HTTP in dev, placeholder domain in prod)", () => {
  const app = buildApp(Testing.app() as App);
  const warnings = (stackName: string) =>
    app.node
      .findChild(stackName)
      .node.metadata.filter((entry) => entry.type === "@cdktf/warn")
      .map((entry) => String(entry.data));
  expect(warnings("app-dev")).toEqual([expect.stringContaining("PLAIN HTTP ONLY")]);
  expect(warnings("app-prod")).toEqual([expect.stringContaining("is a placeholder")]);
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
