import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import {
  CloudwatchMetricAlarm,
  CloudwatchMetricAlarmConfig,
} from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { CloudwatchLogMetricFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-metric-filter";
import { APP_ALARMS, APP_METRICS, APP_REQUEST_LOG, APP_UPLOAD_PATH } from "../../shared/app-contract";

/** Alarm thresholds; every one has a default that suits the app's size. */
export interface AlarmThresholds {
  /** 5xx responses (target and ALB) in percent of requests, per minute, 3 of 5 minutes. @default 5 */
  readonly errorRatePercent?: number;
  /** Below this many requests a minute the 5xx rate counts as 0 (one failed request of two is not 50 %). @default 10 */
  readonly errorRateMinRequests?: number;
  /** p95 of TargetResponseTime in seconds, per minute, 3 of 5 minutes. @default 3 */
  readonly latencyP95Seconds?: number;
  /** Failed uploads (the app answered 5xx to POST /upload) in 5 minutes. @default 3 */
  readonly uploadFailures?: number;
  /** EB enhanced-health level that alarms, for 5 minutes: 15 Warning, 20 Degraded, 25 Severe. @default 20 */
  readonly environmentHealthLevel?: 15 | 20 | 25;
}

/** The secure-by-default thresholds (docs/maintenance.md explains each). */
export const DEFAULT_ALARM_THRESHOLDS: Required<AlarmThresholds> = {
  errorRatePercent: 5,
  errorRateMinRequests: 10,
  latencyP95Seconds: 3,
  uploadFailures: 3,
  environmentHealthLevel: 20,
};

export interface AppAlarmsProps {
  /** Alarm and metric names start with this, e.g. `imageshare-dev`. */
  readonly namePrefix: string;
  /** The shared ALB's ARN suffix (`app/NAME/ID`), the `LoadBalancer` dimension of AWS/ApplicationELB. */
  readonly loadBalancerArnSuffix: string;
  /** Log group of the app's request log lines (the upload metric filters read it). */
  readonly appLogGroupName: string;
  /** The compute's health alarms, created here with the shared ones. */
  readonly healthAlarms: readonly HealthAlarmSpec[];
  /** Topic that receives ALARM and OK transitions. */
  readonly topicArn: string;
  /** @default DEFAULT_ALARM_THRESHOLDS */
  readonly thresholds?: AlarmThresholds;
  /** The metric filters need the app's log group: the group, or what creates it (EB's environment). @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/** One alarm as the runbook and the dashboard see it. */
export interface WatchedAlarm {
  /** Short name; the runbook entry in docs/maintenance.md has this heading. */
  readonly runbook: string;
  readonly alarm: CloudwatchMetricAlarm;
}

const ALB = "AWS/ApplicationELB";

const { message, routeField, statusField } = APP_REQUEST_LOG;
const uploadLines = `($.message = "${message}") && ($.${routeField} = "${APP_UPLOAD_PATH}")`;

/**
 * The app's request log lines (their shape is the contract's `requestLog`: app/imageshare/contract.json; written by
 * app/imageshare/web.py `finish_request`, JSON from app/imageshare/logs.py) for the upload path: failures are the
 * app's 5xx (storage down, bugs), refusals its 4xx (user mistakes: too large, not an image, bad CSRF). CloudWatch
 * Logs JSON filter syntax with numeric comparisons:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
 */
export const UPLOAD_LOG_PATTERNS = {
  failed: `{ ${uploadLines} && ($.${statusField} >= 500) }`,
  refused: `{ ${uploadLines} && ($.${statusField} >= 400) && ($.${statusField} < 500) }`,
} as const;

/**
 * The app's alarms, each notifying one topic on ALARM and OK, with a description naming its runbook entry, in the
 * order the dashboard shows them: 5xx rate, the compute's availability alarms, p95 latency, the compute's health
 * alarms, failed uploads (from the app's own logs). Metric names, namespaces and dimensions: "CloudWatch metrics for
 * your Application Load Balancer"
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html).
 */
export class AppAlarms extends Construct {
  readonly alarms: WatchedAlarm[] = [];
  /** Custom namespace of the log-derived metrics, one per environment so dev and prod never mix. */
  readonly appNamespace: string;
  readonly uploadFailuresFilter: CloudwatchLogMetricFilter;
  readonly uploadsRefusedFilter: CloudwatchLogMetricFilter;

  constructor(scope: Construct, id: string, props: AppAlarmsProps) {
    super(scope, id);
    const t = { ...DEFAULT_ALARM_THRESHOLDS, ...props.thresholds };
    const lb = { LoadBalancer: props.loadBalancerArnSuffix };
    this.appNamespace = `${props.namePrefix}/app`;

    const filter = (name: string, metricName: string, pattern: string) =>
      new CloudwatchLogMetricFilter(this, `${name}-filter`, {
        name: `${props.namePrefix}-${name}`,
        logGroupName: props.appLogGroupName,
        pattern,
        // No default value: the metric has data only when an upload failed, so it costs nothing while idle and
        // "missing" means "none".
        metricTransformation: { name: metricName, namespace: this.appNamespace, value: "1", unit: "Count" },
        dependsOn: props.dependsOn,
      });
    // The ids are the resources' addresses: kept as they were deployed.
    this.uploadFailuresFilter = filter(
      "upload-failures",
      APP_METRICS.uploadFailures,
      UPLOAD_LOG_PATTERNS.failed,
    );
    this.uploadsRefusedFilter = filter(
      "uploads-refused",
      APP_METRICS.uploadsRefused,
      UPLOAD_LOG_PATTERNS.refused,
    );

    const compute = (concern: HealthAlarmSpec["concern"]) =>
      props.healthAlarms.filter((a) => a.concern === concern);
    const specs: AlarmSpec[] = [
      appErrorsAlarm(t, lb),
      ...compute("availability"),
      slowResponsesAlarm(t, lb),
      ...compute("health"),
      uploadFailuresAlarm(t, this.appNamespace, this.uploadFailuresFilter),
    ];
    for (const { runbook, config } of specs) {
      const alarm = new CloudwatchMetricAlarm(this, runbook, {
        alarmName: `${props.namePrefix}-${runbook}`,
        alarmActions: [props.topicArn],
        okActions: [props.topicArn],
        ...config,
        alarmDescription: `${config.alarmDescription} Runbook: docs/maintenance.md#${runbook}`,
      });
      this.alarms.push({ runbook, alarm });
    }
  }
}

/** One alarm: its runbook entry (and id) and everything but the name and the actions, which are the same for all. */
export interface AlarmSpec {
  /** Heading of its runbook entry in docs/maintenance.md, and the alarm's id and name suffix. */
  readonly runbook: string;
  readonly config: Omit<CloudwatchMetricAlarmConfig, "alarmName" | "alarmActions" | "okActions">;
}

/** An alarm on a compute's health (constructs/compute/seam.ts): where it stands on the dashboard is its concern. */
export interface HealthAlarmSpec extends AlarmSpec {
  /** `availability` (is anything serving) follows the error rate, `health` (the platform's verdict) latency. */
  readonly concern: "availability" | "health";
}

type Thresholds = Required<AlarmThresholds>;

/** 5xx answers of the targets and the ALB itself, as a share of requests. */
function appErrorsAlarm(t: Thresholds, lb: Record<string, string>): AlarmSpec {
  return {
    runbook: "app-errors",
    config: {
      alarmDescription:
        `5xx answers (targets and the ALB itself) above ${t.errorRatePercent} % of requests in 3 of 5 minutes ` +
        `(minutes with fewer than ${t.errorRateMinRequests} requests count as 0).`,
      comparisonOperator: "GreaterThanThreshold",
      threshold: t.errorRatePercent,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      // The ALB publishes nothing in a minute without requests: no requests, no errors.
      treatMissingData: "notBreaching",
      metricQuery: [
        {
          id: "error_rate",
          label: "5xx in % of requests",
          returnData: true,
          expression:
            `IF(requests >= ${t.errorRateMinRequests}, ` +
            `100 * (FILL(target_5xx, 0) + FILL(alb_5xx, 0)) / requests, 0)`,
        },
        albSum("target_5xx", "HTTPCode_Target_5XX_Count", lb),
        albSum("alb_5xx", "HTTPCode_ELB_5XX_Count", lb),
        albSum("requests", "RequestCount", lb),
      ],
    },
  };
}

/** p95 target response time. */
function slowResponsesAlarm(t: Thresholds, lb: Record<string, string>): AlarmSpec {
  return {
    runbook: "slow-responses",
    config: {
      alarmDescription: `p95 target response time above ${t.latencyP95Seconds} s in 3 of 5 minutes.`,
      namespace: ALB,
      metricName: "TargetResponseTime",
      dimensions: lb,
      extendedStatistic: "p95",
      period: 60,
      comparisonOperator: "GreaterThanThreshold",
      threshold: t.latencyP95Seconds,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      // A p95 of a handful of requests is noise, and no requests means nothing was slow.
      evaluateLowSampleCountPercentiles: "ignore",
      treatMissingData: "notBreaching",
    },
  };
}

/** Uploads the app answered with a 5xx, counted from its own request log. */
function uploadFailuresAlarm(t: Thresholds, namespace: string, filter: CloudwatchLogMetricFilter): AlarmSpec {
  return {
    runbook: APP_ALARMS.uploadFailures,
    config: {
      alarmDescription: `${t.uploadFailures} or more uploads failed with a 5xx in 5 minutes (refused uploads, 4xx, do not count).`,
      namespace,
      metricName: APP_METRICS.uploadFailures,
      statistic: "Sum",
      period: 300,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: t.uploadFailures,
      evaluationPeriods: 1,
      // The filter publishes only on a failure: no data is no failure.
      treatMissingData: "notBreaching",
      dependsOn: [filter],
    },
  };
}

function albSum(id: string, metricName: string, dimensions: Record<string, string>) {
  return {
    id,
    returnData: false,
    metric: { namespace: ALB, metricName, dimensions, stat: "Sum", period: 60 },
  };
}
