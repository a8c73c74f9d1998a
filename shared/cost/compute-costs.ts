/**
 * What each compute costs: its fixed estimators (by resource type) and its usage facts (by compute kind, read
 * through the seam: shared/synthesized/compute.ts). A kind without a usage model fails the estimate.
 */
import { Resource, ebSetting } from "../synthesized";
import {
  CostItem,
  DEFAULTS,
  EstimateContext,
  Estimator,
  albItems,
  countSubnets,
  item,
  priceOf,
} from "./estimate-core";
import { FargateLine, fargateServiceLines, linePrice } from "./fargate";
import { EC2_ESTIMATORS } from "./ec2-costs";

const LAUNCH = "aws:autoscaling:launchconfiguration";
const ENVIRONMENT = "aws:elasticbeanstalk:environment";

function ebInstances(resource: Resource): number {
  if (ebSetting(resource, ENVIRONMENT, "EnvironmentType", "LoadBalanced") === "SingleInstance") return 1;
  return Number(ebSetting(resource, "aws:autoscaling:asg", "MinSize", String(DEFAULTS.minInstances)));
}

/**
 * Environment-level metrics an environment's health ConfigDocument asks EB to publish, each a custom metric;
 * EnvironmentHealth is free ("Publishing Amazon CloudWatch custom metrics for an environment", EB guide). Instance-level
 * ones would be per instance: refused, as nothing here prices them.
 */
function ebHealthMetrics(resource: Resource): string[] {
  const document = ebSetting(resource, "aws:elasticbeanstalk:healthreporting:system", "ConfigDocument", "");
  if (document === "") return [];
  const metrics = (JSON.parse(document) as { CloudWatchMetrics?: Record<string, Record<string, number>> })
    .CloudWatchMetrics;
  if (metrics?.Instance && Object.keys(metrics.Instance).length > 0) {
    throw new Error(
      "instance-level EB health metrics are billed per instance: shared/cost/estimate.ts has no estimator",
    );
  }
  return Object.keys(metrics?.Environment ?? {}).filter((name) => name !== "EnvironmentHealth");
}

/** EC2 instances of the environment and their root volumes. */
function ebInstanceItems(address: string, r: Resource, ctx: EstimateContext): CostItem[] {
  const instances = ebInstances(r);
  const instanceType = ebSetting(
    r,
    "aws:ec2:instances",
    "InstanceTypes",
    ebSetting(r, LAUNCH, "InstanceType", DEFAULTS.instanceType),
  )
    .split(",")[0]
    .trim();
  const volumeGb = Number(ebSetting(r, LAUNCH, "RootVolumeSize", String(DEFAULTS.rootVolumeGb)));
  const volumeType = ebSetting(r, LAUNCH, "RootVolumeType", DEFAULTS.rootVolumeType);
  const ec2 = priceOf(ctx, `ec2.${instanceType}.hour`);
  const ebs = priceOf(ctx, `ebs.${volumeType}.gbMonth`);
  return [
    item(
      address,
      `EC2 ${instanceType} × ${instances} (MinSize) × ${ctx.hours} h`,
      instances * ctx.hours,
      ec2.unit,
      ec2.price,
    ),
    item(
      address,
      `EBS root volume ${volumeType} ${volumeGb} GiB × ${instances} instance(s)`,
      instances * volumeGb,
      ebs.unit,
      ebs.price,
    ),
  ];
}

/** What a load-balanced environment adds: EB's scaling alarms, and its own ALB unless it shares ours. */
function ebLoadBalancedItems(address: string, r: Resource, ctx: EstimateContext): CostItem[] {
  if (ebSetting(r, ENVIRONMENT, "EnvironmentType", "LoadBalanced") === "SingleInstance") return [];
  const alarm = priceOf(ctx, "cloudwatch.alarm.month");
  const items = [
    item(address, "EB scaling-trigger CloudWatch alarms", DEFAULTS.scalingAlarms, alarm.unit, alarm.price),
  ];
  if (ebSetting(r, ENVIRONMENT, "LoadBalancerIsShared", "false") !== "true") {
    const lbType = ebSetting(r, ENVIRONMENT, "LoadBalancerType", "classic");
    if (lbType !== "application") {
      throw new Error(
        `${address}: EB would create a ${lbType} load balancer, which shared/cost/estimate.ts cannot price`,
      );
    }
    const subnets = countSubnets(ebSetting(r, "aws:ec2:vpc", "ELBSubnets", ""));
    items.push(...albItems(address, subnets, "EB-managed ALB", ctx));
  }
  return items;
}

/** The lines of shared/cost/fargate.ts as items. */
export function lineItems(address: string, lines: FargateLine[], ctx: EstimateContext): CostItem[] {
  return lines.map((line) => {
    const p = linePrice(ctx.prices, line);
    return item(address, line.description, line.quantity, p.unit, p.price);
  });
}

/** Fixed estimators of the resources that run a compute. */
export const COMPUTE_ESTIMATORS: Record<string, Estimator> = {
  aws_ecs_service: (address, r, ctx) =>
    lineItems(address, fargateServiceLines(address, r, ctx.stack, ctx.hours), ctx),
  ...EC2_ESTIMATORS,
  aws_elastic_beanstalk_environment: (address, r, ctx) => {
    const items = ebInstanceItems(address, r, ctx);
    const healthMetrics = ebHealthMetrics(r);
    if (healthMetrics.length > 0) {
      const metric = priceOf(ctx, "cloudwatch.metric.month");
      items.push(
        item(
          address,
          `EB enhanced-health custom metrics (${healthMetrics.join(", ")})`,
          healthMetrics.length,
          metric.unit,
          metric.price,
        ),
      );
    }
    return [...items, ...ebLoadBalancedItems(address, r, ctx)];
  },
};
