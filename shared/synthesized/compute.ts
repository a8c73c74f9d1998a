/**
 * The compute of a synthesized app stack, found through the seam: the Terraform local `compute` every app stack
 * records (stacks/app-stack.ts `recordCompute`, constructs/compute/seam.ts). Every whole-stack check asks here where
 * the compute is, and this reader fails closed: an app stack without the local, a kind no reader knows, a reference
 * that leads nowhere, or a resource that runs code outside the recorded compute (the seam bypassed) all throw, so a
 * compute can never pass a check by being invisible to it.
 */
import { Resource, SynthesizedStack, asList, resourcesOf } from "./stacks";
import { parseReference } from "./references";
import { beanstalkReader } from "./compute-beanstalk";
import { fargateReader } from "./compute-fargate";
import { ComputeLocal, ComputeReader, ComputeSeam, SynthesizedCompute } from "./compute-types";

export type {
  ComputeFacts,
  ComputeLocal,
  ComputeReader,
  ComputeSeam,
  SynthesizedCompute,
} from "./compute-types";

/** The kinds the whole-stack checks know. A kind without a reader fails every check. */
export const COMPUTE_READERS: Readonly<Record<string, ComputeReader>> = {
  beanstalk: beanstalkReader,
  fargate: fargateReader,
};

/**
 * Resource types that run code. Each one in an app stack must belong to the recorded compute: anything else runs
 * outside what the checks look at.
 */
export const RUNNING_TYPES: readonly string[] = [
  "aws_elastic_beanstalk_environment",
  "aws_ecs_service",
  "aws_ecs_task_definition",
  "aws_autoscaling_group",
  "aws_launch_template",
  "aws_instance",
  "aws_spot_instance_request",
  "aws_spot_fleet_request",
  "aws_ec2_fleet",
  "aws_eks_cluster",
  "aws_eks_node_group",
  "aws_eks_fargate_profile",
  "aws_lambda_function",
  "aws_apprunner_service",
  "aws_lightsail_instance",
  "aws_batch_compute_environment",
];

/** Names of the `type` resources a list of `${type.name.attr}` values points to; throws on anything else. */
function namesOf(stack: SynthesizedStack, values: unknown, type: string, what: string): string[] {
  return asList(values as string | string[] | undefined).map((value) => {
    const ref = parseReference(value);
    if (!ref || ref.data || ref.type !== type || !resourcesOf(stack, type)[ref.name]) {
      throw new Error(`the compute local's ${what} ${JSON.stringify(value)} is not a ${type} of the stack`);
    }
    return ref.name;
  });
}

/** The seam's local, resolved to logical names; throws when it is malformed. */
function seamOf(stack: SynthesizedStack, local: ComputeLocal): ComputeSeam {
  const [appRole] = namesOf(stack, [local.app_role_arn], "aws_iam_role", "app_role_arn");
  const seam: ComputeSeam = {
    kind: local.kind,
    subnets: namesOf(stack, local.subnet_ids, "aws_subnet", "subnet_ids"),
    securityGroups: namesOf(stack, local.security_group_ids, "aws_security_group", "security_group_ids"),
    roles: namesOf(stack, local.role_arns, "aws_iam_role", "role_arns"),
    appRole,
    logGroupName: String(local.log_group_name ?? ""),
  };
  if (seam.subnets.length === 0 || seam.securityGroups.length === 0 || !seam.logGroupName) {
    throw new Error("the compute local names no subnet, no security group or no log group");
  }
  if (!seam.roles.includes(appRole)) throw new Error("the compute local's app role is not among its roles");
  return seam;
}

/** Whether a stack holds an app at all: the local, a VPC, or anything that runs code. */
function looksLikeAppStack(stack: SynthesizedStack): boolean {
  return (
    stack.locals?.compute !== undefined ||
    Object.keys(resourcesOf(stack, "aws_vpc")).length > 0 ||
    RUNNING_TYPES.some((type) => Object.keys(resourcesOf(stack, type)).length > 0)
  );
}

/**
 * The compute of an app stack, or undefined for a stack without an app (no local, no VPC, nothing that runs code:
 * the state stack). Throws for an app stack the checks cannot see whole.
 */
export function computeOf(stack: SynthesizedStack): SynthesizedCompute | undefined {
  if (!looksLikeAppStack(stack)) return undefined;
  const local = stack.locals?.compute as ComputeLocal | undefined;
  if (local === undefined) {
    throw new Error(
      "an app stack without the Terraform local `compute` (the seam): no check can find its compute",
    );
  }
  const reader = COMPUTE_READERS[local.kind];
  if (reader === undefined) {
    throw new Error(
      `compute kind ${JSON.stringify(local.kind)} is unknown to the whole-stack checks ` +
        `(shared/synthesized/compute.ts COMPUTE_READERS): they cannot vouch for it`,
    );
  }
  const seam = seamOf(stack, local);
  const facts = reader.read(stack, seam);
  const running = RUNNING_TYPES.flatMap((type) =>
    Object.keys(resourcesOf(stack, type)).map((name) => `${type}.${name}`),
  );
  const outside = running.filter((address) => !facts.runtime.includes(address));
  if (outside.length > 0 || facts.runtime.length === 0) {
    throw new Error(
      `code runs outside the recorded ${local.kind} compute (the seam is bypassed): ${outside.join(", ") || "none recorded"}`,
    );
  }
  return { ...seam, ...facts };
}

/** The compute of a stack that must have one. */
export function appComputeOf(stack: SynthesizedStack): SynthesizedCompute {
  const compute = computeOf(stack);
  if (compute === undefined) throw new Error("not an app stack: it records no compute");
  return compute;
}

/** The one resource of an address (`type.name`). */
export function resourceAt(stack: SynthesizedStack, address: string): Resource {
  const [type, name] = [address.slice(0, address.indexOf(".")), address.slice(address.indexOf(".") + 1)];
  const resource = resourcesOf(stack, type)[name];
  if (!resource) throw new Error(`no resource ${address}`);
  return resource;
}
