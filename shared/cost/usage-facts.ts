/**
 * What the variable model (shared/cost/usage-cost.ts) needs to know about a stack, read from its resources. The
 * compute's part comes through the seam (shared/synthesized/compute.ts) and is keyed by compute kind: a stack
 * whose compute no usage model knows fails the estimate instead of silently getting no usage costs.
 */
import { Resource, SynthesizedCompute, SynthesizedStackFile, computeOf, resourcesOf } from "../synthesized";
import { UsageFacts } from "./usage-cost";

/** The compute's share of the usage facts. */
type ComputeUsage = Pick<UsageFacts, "instances" | "healthCheckIntervalSeconds" | "logRetentionDays">;

/** Usage of each compute kind the estimate knows. */
export const COMPUTE_USAGE: Readonly<Record<string, (compute: SynthesizedCompute) => ComputeUsage>> = {
  // Each instance is health-checked from every ALB AZ; EB streams the app's logs with its own retention.
  beanstalk: (compute) => ({
    instances: compute.minimumCapacity,
    healthCheckIntervalSeconds: compute.healthCheckIntervalSeconds,
    logRetentionDays: compute.logRetentionDays,
  }),
  // Each task is an ip target health-checked from every ALB AZ; awslogs writes to a group with its own retention.
  fargate: (compute) => ({
    instances: compute.minimumCapacity,
    healthCheckIntervalSeconds: compute.healthCheckIntervalSeconds,
    logRetentionDays: compute.logRetentionDays,
  }),
  // The same for the EC2 group: its instances are targets of the ALB; the agent ships the app log to our group.
  ec2: (compute) => ({
    instances: compute.minimumCapacity,
    healthCheckIntervalSeconds: compute.healthCheckIntervalSeconds,
    logRetentionDays: compute.logRetentionDays,
  }),
};

function resourcesOfType(stack: SynthesizedStackFile, type: string): Resource[] {
  return Object.values(resourcesOf(stack.json, type));
}

/** The compute's usage facts; a stack without an app has none. */
function computeUsage(stack: SynthesizedStackFile): ComputeUsage | undefined {
  const compute = computeOf(stack.json);
  if (compute === undefined) return undefined;
  const usage = COMPUTE_USAGE[compute.kind];
  if (usage === undefined) {
    throw new Error(
      `${stack.name}: no usage model for compute kind "${compute.kind}" in shared/cost/usage-facts.ts`,
    );
  }
  return usage(compute);
}

/** What the variable model needs to know about a stack. */
export function usageFacts(stack: SynthesizedStackFile): UsageFacts {
  const compute = computeUsage(stack);
  const albs = resourcesOfType(stack, "aws_lb");
  const albAzs = albs.reduce((n, lb) => n + (Array.isArray(lb.subnets) ? lb.subnets.length : 0), 0);
  const kmsEncryption = resourcesOfType(stack, "aws_s3_bucket_server_side_encryption_configuration")
    .flatMap((c) => (c.rule ?? []) as Record<string, unknown>[])
    .filter((rule) => {
      const apply = (rule.apply_server_side_encryption_by_default ?? {}) as Record<string, unknown>;
      return apply.sse_algorithm === "aws:kms";
    });
  const retentions = resourcesOfType(stack, "aws_cloudwatch_log_group")
    .map((g) => Number(g.retention_in_days))
    .filter((d) => d > 0);
  return {
    hasApp: compute !== undefined,
    instances: compute?.instances ?? 0,
    albAzs,
    healthCheckIntervalSeconds: compute?.healthCheckIntervalSeconds ?? 15,
    bucketKeys: kmsEncryption.length > 0 && kmsEncryption.every((rule) => rule.bucket_key_enabled === true),
    wafWebAcls: resourcesOfType(stack, "aws_wafv2_web_acl").length,
    interfaceEndpoints: resourcesOfType(stack, "aws_vpc_endpoint").filter(
      (e) => e.vpc_endpoint_type === "Interface",
    ).length,
    logRetentionDays: compute?.logRetentionDays ?? (retentions.length > 0 ? Math.max(...retentions) : 30),
    flowLogsAcceptedTraffic: resourcesOfType(stack, "aws_flow_log").some((f) => f.traffic_type !== "REJECT"),
  };
}
