/**
 * The whole-stack checks read a Fargate compute (shared/synthesized/compute-fargate.ts) from its service and task
 * definition, and refuse one that runs outside what the seam records.
 */
import { synthProject, SynthesizedStack, Resource } from "../../test-support/synth";
import { appComputeOf, instanceSubnetNames, refOf } from "../../shared/synthesized";
import { estimateStack } from "../../shared/cost/estimate";
import { securityClaims } from "../../tools/security-summary";
import { appTopology } from "../../test-support/app-topology";

const stack = synthProject()["app-dev-fargate"];

function changed(change: (copy: SynthesizedStack) => void): SynthesizedStack {
  const copy = structuredClone(stack);
  change(copy);
  return copy;
}
const serviceOf = (s: SynthesizedStack) => Object.values(s.resource!.aws_ecs_service)[0];
const networkOf = (s: SynthesizedStack) =>
  serviceOf(s).network_configuration as Resource[] | Resource as Resource;

test("app-dev-fargate: the service and its task definition, in the instance subnets, behind /healthz", () => {
  const compute = appComputeOf(stack);
  expect(compute.kind).toBe("fargate");
  expect(compute.runtime).toEqual([
    expect.stringMatching(/^aws_ecs_service\./),
    expect.stringMatching(/^aws_ecs_task_definition\./),
  ]);
  expect(compute).toMatchObject({
    healthCheckPath: "/healthz",
    minimumCapacity: 1,
    logRetentionDays: 30,
    appPort: 8000,
    platformSecurityGroup: false,
    assignsPublicIp: false,
    requiresImdsV2: undefined,
    requiredInterfaceServices: ["ecr.api", "ecr.dkr", "logs"],
  });
  expect(Object.keys(compute.appEnvironment).sort()).toEqual([
    "AWS_REGION",
    "IMAGES_BUCKET",
    "KMS_KEY_ARN",
    "LOG_LEVEL",
    "MAX_UPLOAD_MB",
  ]);
  for (const check of [instanceSubnetNames, appTopology, securityClaims])
    expect(() => check(stack)).not.toThrow();
  expect(estimateStack({ name: "app-dev-fargate", json: stack }).fixedMonthlyUsd).toBeGreaterThan(0);
});

test.each<[string, (s: SynthesizedStack) => void, RegExp]>([
  [
    "a service in subnets the local does not record",
    (s) => {
      const publicSubnets = Object.keys(s.resource!.aws_subnet).filter((name) => name.includes("public"));
      networkOf(s).subnets = publicSubnets.map((name) => refOf("aws_subnet", name, "id"));
    },
    /the service's subnets .* is not the seam's/,
  ],
  [
    "a service with another security group",
    (s) => {
      const other = Object.keys(s.resource!.aws_security_group).find((name) => !name.includes("task-sg"))!;
      networkOf(s).security_groups = [refOf("aws_security_group", other, "id")];
    },
    /the service's security groups .* is not the seam's/,
  ],
  [
    "a task definition whose task role is not the app role",
    (s) => {
      const definition = Object.values(s.resource!.aws_ecs_task_definition)[0];
      definition.task_role_arn = definition.execution_role_arn;
    },
    /the service's task role .* is not the seam's/,
  ],
  [
    "a second service beside the recorded one",
    (s) => {
      s.resource!.aws_ecs_service.sideline = { ...serviceOf(s) };
    },
    /expected one aws_ecs_service, found 2/,
  ],
])("refused: %s", (_name, change, error) => {
  expect(() => appComputeOf(changed(change))).toThrow(error);
});

test("the HCL export's jsonencode container definitions still give what the budget estimate needs", () => {
  const hcl = changed((s) => {
    const definition = Object.values(s.resource!.aws_ecs_task_definition)[0];
    definition.container_definitions = '${jsonencode([{"name" = "app"}])}';
  });
  expect(appComputeOf(hcl)).toMatchObject({
    appEnvironment: {},
    minimumCapacity: 1,
    logRetentionDays: 30,
    appPort: 8000,
  });
  expect(() => estimateStack({ name: "app-dev-fargate", json: hcl })).not.toThrow();
});
