/**
 * Elastic Beanstalk's part of the operations: where the app's log lines land, and the health alarms on what EB
 * publishes (AWS/ElasticBeanstalk, dimension EnvironmentName: "Publishing Amazon CloudWatch custom metrics for an
 * environment", https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/health-enhanced-cloudwatch.html). The
 * stack's AppAlarms creates them with the shared alarms, on the same topic.
 */
import { AlarmThresholds, DEFAULT_ALARM_THRESHOLDS } from "../../operations/app-alarms";
import { HealthAlarmSpec } from "../seam";
import { APP_METRICS } from "../../../shared/app-contract";

const EB = "AWS/ElasticBeanstalk";

/** The enhanced-health metric the no-healthy-instances alarm reads; the environment is asked to publish it. */
export const INSTANCES_OK_METRIC = APP_METRICS.instancesOk;

/**
 * Where EB streams the web process's output (stdout and stderr of the Procfile's `web` process) on Amazon Linux
 * 2023 platforms, one group per environment: `/aws/elasticbeanstalk/ENV/var/log/web.stdout.log` (EB guide, "Using
 * Elastic Beanstalk with Amazon CloudWatch Logs", instance log streaming; docs/deploy.md lists the groups seen).
 */
export function appLogGroupName(environmentName: string): string {
  return `/aws/elasticbeanstalk/${environmentName}/var/log/web.stdout.log`;
}

/** The environment's health alarms: too few healthy instances, and EB's own verdict. */
export function beanstalkHealthAlarms(
  environmentName: string,
  minHealthyInstances: number,
  thresholds: AlarmThresholds = {},
): HealthAlarmSpec[] {
  const dimensions = { EnvironmentName: environmentName };
  const healthLevel = thresholds.environmentHealthLevel ?? DEFAULT_ALARM_THRESHOLDS.environmentHealthLevel;
  return [
    noHealthyInstancesAlarm(minHealthyInstances, dimensions),
    environmentDegradedAlarm(healthLevel, dimensions),
  ];
}

/** Too few instances in enhanced-health state OK, or none reporting. */
function noHealthyInstancesAlarm(
  minHealthyInstances: number,
  dimensions: Record<string, string>,
): HealthAlarmSpec {
  return {
    runbook: "no-healthy-instances",
    concern: "availability",
    config: {
      alarmDescription: `Fewer than ${minHealthyInstances} instance(s) in enhanced-health state OK for 5 minutes.`,
      namespace: EB,
      metricName: INSTANCES_OK_METRIC,
      dimensions,
      // EB publishes one sample a minute (ConfigDocument in settings.ts).
      statistic: "Maximum",
      period: 60,
      comparisonOperator: "LessThanThreshold",
      threshold: minHealthyInstances,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      // No sample means EB is not reporting anyone healthy (environment gone, health agent or endpoint broken).
      treatMissingData: "breaching",
    },
  };
}

/** EB's own verdict on the environment. */
function environmentDegradedAlarm(healthLevel: number, dimensions: Record<string, string>): HealthAlarmSpec {
  return {
    runbook: "environment-degraded",
    concern: "health",
    config: {
      alarmDescription:
        `EB enhanced health at ${healthLevel} or worse (15 Warning, 20 Degraded, 25 Severe) ` +
        `for 5 minutes.`,
      namespace: EB,
      metricName: "EnvironmentHealth",
      dimensions,
      statistic: "Maximum",
      period: 60,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: healthLevel,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      // Silence is the no-healthy-instances alarm's job: this one keeps its state through gaps.
      treatMissingData: "missing",
    },
  };
}
