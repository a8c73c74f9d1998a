/**
 * The EC2 compute's health alarm: fewer healthy targets than the group should have (the ALB's HealthyHostCount of
 * the app's target group: "CloudWatch metrics for your Application Load Balancer", dimensions TargetGroup and
 * LoadBalancer, https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html).
 * The stack's AppAlarms creates it with the shared 5xx, latency and failed-upload alarms, on the same topic.
 */
import { HealthAlarmSpec } from "../seam";

/** Where the CloudWatch agent writes the app log: one group per environment. */
export function appLogGroupName(namePrefix: string): string {
  return `/${namePrefix}/app`;
}

/** Too few healthy instances behind the ALB for 5 minutes; no data (no target group or no ALB) counts as too few. */
export function healthyHostsAlarm(
  desiredInstances: number,
  dimensions: { readonly TargetGroup: string; readonly LoadBalancer: string },
): HealthAlarmSpec {
  return {
    runbook: "healthy-hosts-below-desired",
    concern: "availability",
    config: {
      alarmDescription: `Fewer than ${desiredInstances} healthy instance(s) behind the ALB for 5 minutes.`,
      namespace: "AWS/ApplicationELB",
      metricName: "HealthyHostCount",
      dimensions: { ...dimensions },
      statistic: "Minimum",
      period: 60,
      comparisonOperator: "LessThanThreshold",
      threshold: desiredInstances,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      treatMissingData: "breaching",
    },
  };
}
