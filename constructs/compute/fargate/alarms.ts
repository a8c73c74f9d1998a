/**
 * Fargate's part of the operations: the service runs fewer tasks than it wants. Container Insights publishes
 * `RunningTaskCount` and `DesiredTaskCount` per service (namespace ECS/ContainerInsights, dimensions ClusterName and
 * ServiceName: ECS developer guide, "Amazon ECS Container Insights metrics"); the alarm is their difference. The
 * stack's AppAlarms creates it with the shared ALB 5xx, latency and failed-upload alarms, on the same topic.
 */
import { HealthAlarmSpec } from "../seam";

const INSIGHTS = "ECS/ContainerInsights";

/** Fewer tasks running than desired for 5 minutes (a crash loop, an image that cannot be pulled, no capacity). */
export function fargateHealthAlarms(clusterName: string, serviceName: string): HealthAlarmSpec[] {
  const dimensions = { ClusterName: clusterName, ServiceName: serviceName };
  const metric = (id: string, metricName: string) => ({
    id,
    metric: { namespace: INSIGHTS, metricName, dimensions, period: 60, stat: "Average" },
  });
  return [
    {
      runbook: "tasks-below-desired",
      concern: "availability",
      config: {
        alarmDescription: "The ECS service ran fewer tasks than desired for 5 minutes.",
        metricQuery: [
          metric("running", "RunningTaskCount"),
          metric("desired", "DesiredTaskCount"),
          { id: "missing", expression: "desired - running", label: "tasks missing", returnData: true },
        ],
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        evaluationPeriods: 5,
        datapointsToAlarm: 5,
        // No data means Container Insights is not reporting the service at all: treat it as broken.
        treatMissingData: "breaching",
      },
    },
  ];
}
