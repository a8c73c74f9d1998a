/**
 * Fixed monthly cost of the ECS-on-Fargate compute and its image repository, read from the synthesized JSON: the
 * service's desired count × its task definition's vCPU and memory, at the Fargate price of the task's CPU
 * architecture (https://aws.amazon.com/fargate/pricing/: per vCPU-hour and per GB-hour, Linux/ARM or Linux/x86),
 * the target-tracking policy's CloudWatch alarms, and ECR storage (https://aws.amazon.com/ecr/pricing/).
 */
import { Resource, SynthesizedStackFile, resolveRef } from "../synthesized";
import { RegionPrices } from "./price-table";

/** One fixed monthly line (the estimator's CostItem, without the rounding it applies). */
export interface FargateLine {
  readonly description: string;
  readonly quantity: number;
  readonly priceKey: string;
}

/**
 * What a repository stores, as an assumption: the image is about 45 MB compressed (`make image` reports it) and the
 * lifecycle rule keeps 20 images whose base layers are shared, so about 1 GB at most.
 */
export const ECR_STORED_GB_ASSUMPTION = 1;

/** Alarms Application Auto Scaling creates for one target-tracking policy (one to scale out, one to scale in). */
export const TARGET_TRACKING_ALARMS = 2;

function taskDefinitionOf(address: string, service: Resource, stack: SynthesizedStackFile): Resource {
  const found = resolveRef(stack.json, service.task_definition);
  if (found.type !== "aws_ecs_task_definition")
    throw new Error(`${address}: its task_definition is not a task definition of the stack`);
  return found.resource;
}

/** vCPU-hours and GB-hours of the service's desired tasks for a month, at its architecture's prices. */
export function fargateServiceLines(
  address: string,
  service: Resource,
  stack: SynthesizedStackFile,
  hours: number,
): FargateLine[] {
  if (service.launch_type !== "FARGATE") throw new Error(`${address}: only FARGATE services are priced`);
  const definition = taskDefinitionOf(address, service, stack);
  const platform = ((definition.runtime_platform ?? {}) as Record<string, unknown>).cpu_architecture;
  const arch = platform === "ARM64" ? "arm" : "x86";
  const tasks = Number(service.desired_count ?? 0);
  const vcpu = Number(definition.cpu) / 1024;
  const gb = Number(definition.memory) / 1024;
  return [
    {
      description: `Fargate ${arch} ${vcpu} vCPU × ${tasks} task(s) (desired count) × ${hours} h`,
      quantity: tasks * vcpu * hours,
      priceKey: `fargate.${arch}.vcpuHour`,
    },
    {
      description: `Fargate ${arch} ${gb} GB × ${tasks} task(s) × ${hours} h`,
      quantity: tasks * gb * hours,
      priceKey: `fargate.${arch}.gbHour`,
    },
  ];
}

/** The repository's storage (an assumption, labelled as one). */
export function ecrRepositoryLines(): FargateLine[] {
  return [
    {
      description: `ECR storage, ${ECR_STORED_GB_ASSUMPTION} GB (assumption: ~45 MB image, 20 kept, shared layers)`,
      quantity: ECR_STORED_GB_ASSUMPTION,
      priceKey: "ecr.storage.gbMonth",
    },
  ];
}

/** Target tracking creates CloudWatch alarms; step and scheduled scaling are not priced here. */
export function scalingPolicyLines(address: string, policy: Resource): FargateLine[] {
  if (policy.policy_type !== "TargetTrackingScaling")
    throw new Error(`${address}: only target-tracking scaling policies are priced (shared/cost/fargate.ts)`);
  return [
    {
      description: "CloudWatch alarms of the target-tracking policy (scale out, scale in)",
      quantity: TARGET_TRACKING_ALARMS,
      priceKey: "cloudwatch.alarm.month",
    },
  ];
}

/** The unit and price of a line's key, for the estimator's item(). */
export function linePrice(prices: RegionPrices, line: FargateLine): { price: number; unit: string } {
  return { price: prices.usd(line.priceKey), unit: prices.entry(line.priceKey).unit };
}
