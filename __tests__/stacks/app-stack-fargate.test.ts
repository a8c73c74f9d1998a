import * as fs from "fs";
import * as path from "path";
import {
  Resource,
  SynthesizedStack,
  asList,
  parsePolicy,
  refOf,
  resolveRef,
  resourcesOf,
  synthProject,
} from "../../test-support/synth";
import { projectConfig } from "../../config";
import { FargateComputeConfig } from "../../shared/compute-config";
import { executionRoleStatements, taskTrustCondition } from "../../constructs/compute/fargate/policies";

const stacks = synthProject();
const stack = stacks["app-dev-fargate"];
const registry = stacks["registry-dev-fargate"];
const env = projectConfig.environments.find((e) => e.name === "dev-fargate")!;
const settings = env.compute as FargateComputeConfig;
const builtDigest = fs
  .readFileSync(path.join(__dirname, "..", "..", "app", "build", "image", "linux-arm64", "digest"), "utf8")
  .trim();

/** The fields of the container definition the tests read. */
interface Container {
  image: string;
  user: string;
  readonlyRootFilesystem: boolean;
  privileged: boolean;
  linuxParameters: { capabilities: unknown };
  mountPoints: unknown[];
  healthCheck: { command: string[] };
  portMappings: unknown[];
  environment: { name: string; value: string }[];
  logConfiguration: { logDriver: string; options: Record<string, string> };
}
type Condition = Record<string, Record<string, string>>;
const backendKey = (s: SynthesizedStack) =>
  (s.terraform as { backend: { s3: { key: string } } }).backend.s3.key;

function only(s: SynthesizedStack, type: string): [string, Resource] {
  const all = Object.entries(resourcesOf(s, type));
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
}
const endpointServices = (s: SynthesizedStack) =>
  Object.values(resourcesOf(s, "aws_vpc_endpoint"))
    .map((e) => String(e.service_name).split(".").slice(3).join("."))
    .sort();

const [, taskDefinition] = only(stack, "aws_ecs_task_definition");
const [container] = JSON.parse(String(taskDefinition.container_definitions)) as Container[];
const [, service] = only(stack, "aws_ecs_service");

describe("the exact endpoint set of each compute", () => {
  test("Beanstalk: EB's five interface endpoints and the S3 gateway", () => {
    expect(endpointServices(stacks["app-dev"])).toEqual(
      ["cloudformation", "elasticbeanstalk", "elasticbeanstalk-health", "logs", "s3", "sqs"].sort(),
    );
  });
  test("Fargate: ecr.api, ecr.dkr, logs and the S3 gateway, nothing Beanstalk needs", () => {
    expect(endpointServices(stack)).toEqual(["ecr.api", "ecr.dkr", "logs", "s3"]);
  });
});

describe("app-dev-fargate task definition", () => {
  test("Fargate, awsvpc, ARM64 Linux, CPU and memory from the configuration", () => {
    expect(taskDefinition).toMatchObject({
      requires_compatibilities: ["FARGATE"],
      network_mode: "awsvpc",
      cpu: String(settings.cpu),
      memory: String(settings.memoryMiB),
      runtime_platform: { cpu_architecture: "ARM64", operating_system_family: "LINUX" },
      skip_destroy: true,
    });
  });

  test("the image by the digest `make image` wrote, never by tag, and only after the lookup finds it pushed", () => {
    expect(container.image).toMatch(
      /\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/imageshare-dev-fargate@sha256:[0-9a-f]{64}$/,
    );
    expect(container.image.endsWith(`@${builtDigest}`)).toBe(true);
    const [lookupName, lookup] = Object.entries(stack.data?.aws_ecr_image ?? {})[0];
    expect(lookup).toMatchObject({ repository_name: "imageshare-dev-fargate", image_digest: builtDigest });
    expect(taskDefinition.depends_on).toContain(`data.aws_ecr_image.${lookupName}`);
  });

  test("non-root, read-only root, no privileges, all capabilities dropped", () => {
    expect(container.user).toMatch(/^[1-9]\d*:[1-9]\d*$/);
    expect(container.readonlyRootFilesystem).toBe(true);
    expect(container.privileged).toBe(false);
    expect(container.linuxParameters.capabilities).toEqual({ drop: ["ALL"] });
  });

  test("the only writable path is a task volume on the image's spool", () => {
    expect(container.mountPoints).toEqual([{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }]);
    expect(taskDefinition.volume).toEqual([{ name: "tmp" }]);
  });

  test("a container health check, the app's port, and the app's settings without secrets", () => {
    expect(container.healthCheck.command[0]).toBe("CMD");
    expect(container.portMappings).toEqual([{ containerPort: 8000, hostPort: 8000, protocol: "tcp" }]);
    const names = (container.environment as { name: string }[]).map((v) => v.name);
    expect(names).toEqual(["AWS_REGION", "IMAGES_BUCKET", "KMS_KEY_ARN", "LOG_LEVEL", "MAX_UPLOAD_MB"]);
    expect(JSON.stringify(container)).not.toMatch(/SECRET|PASSWORD|secrets/i);
  });

  test("awslogs to a group encrypted with its own key, with retention", () => {
    const options = container.logConfiguration.options;
    expect(container.logConfiguration.logDriver).toBe("awslogs");
    const logGroup = resolveRef(stack, options["awslogs-group"]).resource;
    expect(logGroup.retention_in_days).toBe(env.logRetentionDays);
    const key = resolveRef(stack, logGroup.kms_key_id).resource;
    const keyPolicy = parsePolicy(key.policy);
    expect(JSON.stringify(keyPolicy)).toContain(`log-group:/ecs/imageshare-dev-fargate/app`);
  });
});

describe("app-dev-fargate service", () => {
  test("Fargate (LATEST = 1.4.0) in the instance subnets, no public IP, the compute security group", () => {
    const compute = stack.locals?.compute as Record<string, unknown>;
    expect(service).toMatchObject({
      launch_type: "FARGATE",
      platform_version: "LATEST",
      desired_count: settings.minTasks,
      network_configuration: { assign_public_ip: false },
    });
    const network = service.network_configuration as Record<string, unknown>;
    expect(network.subnets).toEqual(compute.subnet_ids);
    expect(network.security_groups).toEqual(compute.security_group_ids);
    expect(compute.kind).toBe("fargate");
  });

  test("circuit breaker with rollback, and the apply waits for a steady state", () => {
    expect(service.deployment_circuit_breaker).toEqual({ enable: true, rollback: true });
    expect(service.wait_for_steady_state).toBe(true);
    expect(service.enable_execute_command).toBe(false);
  });

  test("an ip target group on the app port behind a host-header rule of the serving listener", () => {
    const [tgName, targetGroup] = only(stack, "aws_lb_target_group");
    const [, rule] = only(stack, "aws_lb_listener_rule");
    const [listenerName, listener] = only(stack, "aws_lb_listener");
    expect(targetGroup).toMatchObject({ target_type: "ip", port: 8000, protocol: "HTTP" });
    expect(rule.listener_arn).toBe(refOf("aws_lb_listener", listenerName, "arn"));
    expect(listener.port).toBe(80);
    expect(JSON.stringify(rule.condition)).toContain("host_header");
    expect(asList(rule.action)[0]).toMatchObject({
      type: "forward",
      target_group_arn: refOf("aws_lb_target_group", tgName, "arn"),
    });
    expect(asList(service.load_balancer)[0]).toMatchObject({ container_name: "app", container_port: 8000 });
  });

  test("target tracking between the configured minimum and maximum", () => {
    const [, target] = only(stack, "aws_appautoscaling_target");
    const [, policy] = only(stack, "aws_appautoscaling_policy");
    expect(target).toMatchObject({ min_capacity: settings.minTasks, max_capacity: settings.maxTasks });
    expect(policy.policy_type).toBe("TargetTrackingScaling");
  });

  test("created after the endpoints, associations, rules and role policies", () => {
    const needed = ["aws_vpc_endpoint", "aws_route_table_association", "aws_iam_role_policy"].flatMap(
      (type) => Object.keys(resourcesOf(stack, type)).map((name) => `${type}.${name}`),
    );
    expect(asList(service.depends_on as string[])).toEqual(expect.arrayContaining(needed));
  });
});

describe("app-dev-fargate roles", () => {
  const roles = resourcesOf(stack, "aws_iam_role");
  const execution = resolveRef(stack, taskDefinition.execution_role_arn);
  const task = resolveRef(stack, taskDefinition.task_role_arn);

  test("two separate roles, no managed policies, both trusting ECS tasks of this account and region only", () => {
    expect(execution.name).not.toBe(task.name);
    expect(resourcesOf(stack, "aws_iam_role_policy_attachment")).toEqual({});
    for (const role of [execution.resource, task.resource]) {
      const [statement] = parsePolicy(role.assume_role_policy).Statement;
      expect(statement.Principal).toEqual({ Service: "ecs-tasks.amazonaws.com" });
      const account = String((statement.Condition as Condition).StringEquals["aws:SourceAccount"]);
      expect(account).toMatch(/^\$\{data\.aws_caller_identity\..+\.account_id\}$/);
      expect(statement.Condition).toEqual(taskTrustCondition("eu-west-1", account));
    }
    expect(Object.keys(roles)).toHaveLength(3); // + the flow-log role
  });

  test("the execution role carries exactly the pull-and-log statements", () => {
    const policies = Object.values(resourcesOf(stack, "aws_iam_role_policy")).filter(
      (p) => p.role === refOf("aws_iam_role", execution.name, "id"),
    );
    expect(policies).toHaveLength(1);
    const statements = parsePolicy(policies[0].policy).Statement;
    expect(statements.map((s) => s.Sid)).toEqual(
      executionRoleStatements({
        region: "eu-west-1",
        accountId: "x",
        namePrefix: "imageshare-dev-fargate",
      }).map((s) => s.Sid),
    );
  });

  test("the task role is the app role: the storage grant (S3 prefixes, KMS through S3) is attached to it", () => {
    expect(stack.locals?.compute).toMatchObject({ app_role_arn: refOf("aws_iam_role", task.name, "arn") });
    const grants = Object.values(resourcesOf(stack, "aws_iam_role_policy")).filter(
      (p) =>
        p.role === refOf("aws_iam_role", task.name, "id") ||
        p.role === refOf("aws_iam_role", task.name, "name"),
    );
    const text = grants.map((g) => String(g.policy)).join("\n");
    expect(text).toContain("kms:ViaService");
    expect(text).toContain("uploads/");
  });
});

describe("app-dev-fargate alarms", () => {
  test("tasks below desired, with the shared 5xx, latency and failed-upload alarms, on one topic", () => {
    const alarms = Object.values(resourcesOf(stack, "aws_cloudwatch_metric_alarm"));
    const names = alarms.map((a) => String(a.alarm_name));
    expect(names).toEqual(expect.arrayContaining(["imageshare-dev-fargate-tasks-below-desired"]));
    expect(names).toHaveLength(4);
    expect(new Set(alarms.map((a) => JSON.stringify(a.alarm_actions))).size).toBe(1);
    const [, dashboard] = only(stack, "aws_cloudwatch_dashboard");
    expect(String(dashboard.dashboard_body)).toContain("tasks-below-desired");
  });
});

describe("registry-dev-fargate", () => {
  test("an ECR repository encrypted with its own key, immutable tags, scan on push, a lifecycle rule", () => {
    const [repoName, repository] = only(registry, "aws_ecr_repository");
    expect(repository).toMatchObject({
      name: "imageshare-dev-fargate",
      image_tag_mutability: "IMMUTABLE",
      image_scanning_configuration: { scan_on_push: true },
      force_delete: false,
    });
    const [encryption] = asList(repository.encryption_configuration) as Record<string, unknown>[];
    expect(encryption.encryption_type).toBe("KMS");
    expect(resolveRef(registry, encryption.kms_key).type).toBe("aws_kms_key");
    const [, lifecycle] = only(registry, "aws_ecr_lifecycle_policy");
    expect(lifecycle.repository).toBe(refOf("aws_ecr_repository", repoName, "name"));
    expect(JSON.parse(String(lifecycle.policy)).rules[0].action).toEqual({ type: "expire" });
  });

  test("its own state key in the shared backend", () => {
    expect(backendKey(registry)).toBe("registry-dev-fargate/terraform.tfstate");
    expect(backendKey(stack)).toBe("app-dev-fargate/terraform.tfstate");
  });
});
