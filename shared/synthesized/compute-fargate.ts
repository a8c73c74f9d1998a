/**
 * The whole-stack checks' reader of an ECS-on-Fargate compute: the service and its task definition, checked against
 * what the seam records (the service's subnets and security groups, the task role, must be the seam's).
 */
import type { ComputeFacts, ComputeReader, ComputeSeam } from "./compute";
import { Resource, SynthesizedStack, asList, resourcesOf } from "./stacks";
import { parseReference, resolveRef } from "./references";

/**
 * What Fargate tasks need with no internet route (ECR user guide, "Amazon ECR interface VPC endpoints": platform
 * 1.4.0 pulls through ecr.api and ecr.dkr, layers through the S3 gateway; the awslogs driver needs logs).
 */
const REQUIRED_INTERFACE_SERVICES = ["ecr.api", "ecr.dkr", "logs"];

/** ALB target-group health check interval when unset (ELB guide, "Health checks for your target groups"). */
const DEFAULT_HEALTH_CHECK_INTERVAL = 30;

function only(stack: SynthesizedStack, type: string): [string, Resource] {
  const all = Object.entries(resourcesOf(stack, type));
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
}

function namesOf(values: unknown, type: string): string[] {
  return asList(values as string[]).map((value) => {
    const ref = parseReference(value);
    if (!ref || ref.type !== type) throw new Error(`${JSON.stringify(value)} is not a ${type} reference`);
    return ref.name;
  });
}

function sameNames(found: string[], recorded: string[], what: string): void {
  if ([...found].sort().join() !== [...recorded].sort().join()) {
    throw new Error(`the service's ${what} (${found.join(", ")}) is not the seam's (${recorded.join(", ")})`);
  }
}

interface Container {
  readonly environment?: { name: string; value: string }[];
}

/**
 * The task's first container definition. In the HCL export (`cdktf synth --hcl`, which also estimates the budget)
 * the definitions are a `jsonencode(...)` expression, not JSON text: no check reads the export, so it gives none.
 */
function firstContainer(definitions: unknown): Container {
  const text = String(definitions);
  if (text.startsWith("${")) return {};
  return (JSON.parse(text) as Container[])[0];
}

function read(stack: SynthesizedStack, seam: ComputeSeam): ComputeFacts {
  const [serviceName, service] = only(stack, "aws_ecs_service");
  const definition = resolveRef(stack, service.task_definition);
  if (definition.type !== "aws_ecs_task_definition") throw new Error("the service runs no task definition");
  const network = (asList(service.network_configuration as Resource[])[0] ?? {}) as Resource;
  sameNames(namesOf(network.subnets, "aws_subnet"), seam.subnets, "subnets");
  sameNames(namesOf(network.security_groups, "aws_security_group"), seam.securityGroups, "security groups");
  sameNames(namesOf([definition.resource.task_role_arn], "aws_iam_role"), [seam.appRole], "task role");
  const container = firstContainer(definition.resource.container_definitions);
  const balancer = asList(service.load_balancer as Resource[])[0];
  const targetGroup = resolveRef(stack, balancer?.target_group_arn).resource;
  const healthCheck = (asList(targetGroup.health_check as Resource[])[0] ?? {}) as Resource;
  const logGroup = resolveRef(stack, seam.logGroupName).resource;
  return {
    runtime: [`aws_ecs_service.${serviceName}`, `aws_ecs_task_definition.${definition.name}`],
    appEnvironment: Object.fromEntries((container.environment ?? []).map((v) => [v.name, v.value])),
    healthCheckPath: String(healthCheck.path ?? "/"),
    healthCheckIntervalSeconds: Number(healthCheck.interval ?? DEFAULT_HEALTH_CHECK_INTERVAL),
    minimumCapacity: Number(service.desired_count ?? 0),
    logRetentionDays: Number(logGroup.retention_in_days ?? 0),
    appPort: Number(balancer?.container_port),
    // awsvpc: the task's ENI carries exactly the service's security groups.
    platformSecurityGroup: false,
    assignsPublicIp: network.assign_public_ip === true,
    // Fargate tasks have no EC2 instance metadata service.
    requiresImdsV2: undefined,
    requiredInterfaceServices: REQUIRED_INTERFACE_SERVICES,
  };
}

export const fargateReader: ComputeReader = { read };
