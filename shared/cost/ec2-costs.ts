/**
 * What the EC2 compute costs at rest (constructs/compute/ec2/): its Auto Scaling group at min_size (instance hours,
 * root volumes from the launch template, detailed monitoring) and the alarms target tracking keeps.
 */
import { Resource, referencesIn, resourcesOf } from "../synthesized";
import { CostItem, DEFAULTS, EstimateContext, Estimator, item, priceOf } from "./estimate-core";

/** EC2 metrics detailed monitoring sends at one-minute resolution, billed as custom metrics (CloudWatch pricing). */
const DETAILED_MONITORING_METRICS = 7;

/** The launch template an Auto Scaling group launches from (its `launch_template.id` reference). */
function launchTemplateOf(address: string, group: Resource, ctx: EstimateContext): Resource {
  const ref = referencesIn(group.launch_template).find((r) => r.type === "aws_launch_template");
  const template = ref ? resourcesOf(ctx.stack.json, "aws_launch_template")[ref.name] : undefined;
  if (!template) throw new Error(`${address}: no aws_launch_template of this stack in launch_template`);
  return template;
}

/** Instances at min_size, their root volumes, and detailed monitoring when the template turns it on. */
function autoscalingGroupItems(address: string, r: Resource, ctx: EstimateContext): CostItem[] {
  const instances = Number(r.min_size);
  const template = launchTemplateOf(address, r, ctx);
  const instanceType = String(template.instance_type);
  const mappings = (template.block_device_mappings ?? []) as { ebs?: Record<string, unknown> }[];
  const ebs = mappings[0]?.ebs ?? {};
  const volumeGb = Number(ebs.volume_size ?? DEFAULTS.rootVolumeGb);
  const volumeType = String(ebs.volume_type ?? DEFAULTS.rootVolumeType);
  const ec2 = priceOf(ctx, `ec2.${instanceType}.hour`);
  const disk = priceOf(ctx, `ebs.${volumeType}.gbMonth`);
  const items = [
    item(
      address,
      `EC2 ${instanceType} × ${instances} (min_size) × ${ctx.hours} h`,
      instances * ctx.hours,
      ec2.unit,
      ec2.price,
    ),
    item(
      address,
      `EBS root volume ${volumeType} ${volumeGb} GiB × ${instances} instance(s)`,
      instances * volumeGb,
      disk.unit,
      disk.price,
    ),
  ];
  if ((template.monitoring as { enabled?: boolean } | undefined)?.enabled) {
    const metric = priceOf(ctx, "cloudwatch.metric.month");
    const count = DETAILED_MONITORING_METRICS * instances;
    items.push(item(address, `EC2 detailed monitoring × ${instances}`, count, metric.unit, metric.price));
  }
  return items;
}

/** Target tracking creates and keeps two CloudWatch alarms (Auto Scaling user guide, "Target tracking"). */
function scalingPolicyItems(address: string, r: Resource, ctx: EstimateContext): CostItem[] {
  if (r.policy_type !== "TargetTrackingScaling") return [];
  const alarm = priceOf(ctx, "cloudwatch.alarm.month");
  return [item(address, "target-tracking CloudWatch alarms (high and low)", 2, alarm.unit, alarm.price)];
}

export const EC2_ESTIMATORS: Record<string, Estimator> = {
  aws_autoscaling_group: autoscalingGroupItems,
  aws_autoscaling_policy: scalingPolicyItems,
};
