import { readFileSync } from "fs";
import {
  AppAlarms,
  AlarmThresholds,
  DEFAULT_ALARM_THRESHOLDS,
  UPLOAD_LOG_PATTERNS,
} from "../../../constructs/operations/app-alarms";
import { appLogGroupName, beanstalkHealthAlarms } from "../../../constructs/compute/beanstalk/alarms";
import { Resource, SynthesizedStack, resourcesOf, synthConstruct } from "../../../test-support/synth";

const TOPIC = "arn:aws:sns:eu-west-1:123456789012:ops";
const LB_SUFFIX = "app/imageshare-dev-alb/0123456789abcdef";
const ENV_NAME = "imageshare-dev";

function synthAlarms(thresholds?: AlarmThresholds): SynthesizedStack {
  return synthConstruct((scope) => {
    new AppAlarms(scope, "alarms", {
      namePrefix: "imageshare-dev",
      loadBalancerArnSuffix: LB_SUFFIX,
      // Beanstalk's health alarms stand in for any compute's (constructs/compute/seam.ts).
      appLogGroupName: appLogGroupName(ENV_NAME),
      healthAlarms: beanstalkHealthAlarms(ENV_NAME, 2, thresholds),
      topicArn: TOPIC,
      thresholds,
    });
  });
}

function alarm(stack: SynthesizedStack, name: string): Resource {
  const found = Object.values(resourcesOf(stack, "aws_cloudwatch_metric_alarm")).filter(
    (a) => a.alarm_name === `imageshare-dev-${name}`,
  );
  if (found.length !== 1) throw new Error(`expected one alarm ${name}, found ${found.length}`);
  return found[0];
}

/**
 * The subset of CloudWatch Logs JSON filter syntax the patterns use: `{ (C) && (C) ... }` with C either
 * `$.field = "text"` or `$.field OP number` (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html).
 */
function matchesJsonFilter(pattern: string, entry: Record<string, unknown>): boolean {
  const body = /^\{\s*(.*?)\s*\}$/.exec(pattern);
  if (!body) throw new Error(`not a JSON filter: ${pattern}`);
  return body[1].split("&&").every((term) => {
    const c = /^\(\$\.(\w+) (=|!=|>=|<=|>|<) (".*"|\d+)\)$/.exec(term.trim());
    if (!c) throw new Error(`unsupported term: ${term}`);
    const [, field, op, raw] = c;
    const value = entry[field];
    if (raw.startsWith('"')) return op === "=" ? value === JSON.parse(raw) : value !== JSON.parse(raw);
    if (typeof value !== "number") return false;
    const n = Number(raw);
    return {
      "=": value === n,
      "!=": value !== n,
      ">=": value >= n,
      "<=": value <= n,
      ">": value > n,
      "<": value < n,
    }[op] as boolean;
  });
}

const metricQueries = (a: Resource) => a.metric_query as Record<string, unknown>[];

describe("AppAlarms", () => {
  const stack = synthAlarms();

  test("every alarm notifies the topic on ALARM and OK and names its runbook entry", () => {
    const alarms = Object.values(resourcesOf(stack, "aws_cloudwatch_metric_alarm"));
    expect(alarms.map((a) => a.alarm_name).sort()).toEqual(
      ["app-errors", "environment-degraded", "no-healthy-instances", "slow-responses", "upload-failures"].map(
        (n) => `imageshare-dev-${n}`,
      ),
    );
    for (const a of alarms) {
      expect(a.alarm_actions).toEqual([TOPIC]);
      expect(a.ok_actions).toEqual([TOPIC]);
      const runbook = String(a.alarm_name).replace("imageshare-dev-", "");
      expect(a.alarm_description).toContain(`docs/maintenance.md#${runbook}`);
      expect(["breaching", "notBreaching", "missing", "ignore"]).toContain(a.treat_missing_data);
    }
  });

  test("the runbook has an entry for every alarm", () => {
    const runbook = readFileSync("docs/maintenance.md", "utf8");
    for (const a of Object.values(resourcesOf(stack, "aws_cloudwatch_metric_alarm"))) {
      const name = String(a.alarm_name).replace("imageshare-dev-", "");
      expect(runbook).toMatch(new RegExp(`^### ${name}$`, "m"));
    }
  });

  test("app-errors: 5xx of targets and of the ALB over RequestCount, a rate with a minimum volume", () => {
    const a = alarm(stack, "app-errors");
    const queries = metricQueries(a);
    const metrics = Object.fromEntries(queries.filter((q) => q.metric).map((q) => [q.id, q.metric]));
    expect(metrics).toEqual({
      target_5xx: expect.objectContaining({
        namespace: "AWS/ApplicationELB",
        metric_name: "HTTPCode_Target_5XX_Count",
      }),
      alb_5xx: expect.objectContaining({
        namespace: "AWS/ApplicationELB",
        metric_name: "HTTPCode_ELB_5XX_Count",
      }),
      requests: expect.objectContaining({ namespace: "AWS/ApplicationELB", metric_name: "RequestCount" }),
    });
    for (const m of Object.values(metrics) as Record<string, unknown>[]) {
      expect(m).toMatchObject({ dimensions: { LoadBalancer: LB_SUFFIX }, stat: "Sum", period: 60 });
    }
    const returned = queries.filter((q) => q.return_data === true);
    expect(returned).toHaveLength(1);
    expect(returned[0].expression).toBe(
      "IF(requests >= 10, 100 * (FILL(target_5xx, 0) + FILL(alb_5xx, 0)) / requests, 0)",
    );
    expect(a).toMatchObject({
      threshold: 5,
      comparison_operator: "GreaterThanThreshold",
      evaluation_periods: 5,
      datapoints_to_alarm: 3,
      treat_missing_data: "notBreaching",
    });
    expect(a.metric_name).toBeUndefined();
  });

  test("no-healthy-instances: EB's InstancesOk of this environment below the minimum; silence breaches", () => {
    expect(alarm(stack, "no-healthy-instances")).toMatchObject({
      namespace: "AWS/ElasticBeanstalk",
      metric_name: "InstancesOk",
      dimensions: { EnvironmentName: ENV_NAME },
      comparison_operator: "LessThanThreshold",
      threshold: 2,
      treat_missing_data: "breaching",
    });
  });

  test("slow-responses: p95 of TargetResponseTime of this ALB", () => {
    const a = alarm(stack, "slow-responses");
    expect(a).toMatchObject({
      namespace: "AWS/ApplicationELB",
      metric_name: "TargetResponseTime",
      dimensions: { LoadBalancer: LB_SUFFIX },
      extended_statistic: "p95",
      threshold: 3,
      comparison_operator: "GreaterThanThreshold",
      treat_missing_data: "notBreaching",
      evaluate_low_sample_count_percentiles: "ignore",
    });
    expect(a.statistic).toBeUndefined();
  });

  test("environment-degraded: EB's EnvironmentHealth of this environment at Degraded (20) or worse", () => {
    expect(alarm(stack, "environment-degraded")).toMatchObject({
      namespace: "AWS/ElasticBeanstalk",
      metric_name: "EnvironmentHealth",
      dimensions: { EnvironmentName: ENV_NAME },
      comparison_operator: "GreaterThanOrEqualToThreshold",
      threshold: 20,
      treat_missing_data: "missing",
    });
  });

  test("upload-failures: the app's failed uploads from its web.stdout.log, refusals counted apart and not alarmed", () => {
    const filters = Object.values(resourcesOf(stack, "aws_cloudwatch_log_metric_filter"));
    expect(filters).toHaveLength(2);
    for (const f of filters) {
      expect(f.log_group_name).toBe(`/aws/elasticbeanstalk/${ENV_NAME}/var/log/web.stdout.log`);
    }
    const byMetric = Object.fromEntries(
      filters.map((f) => [(f.metric_transformation as Record<string, string>).name, f]),
    );
    expect(byMetric.UploadFailures).toMatchObject({
      pattern: UPLOAD_LOG_PATTERNS.failed,
      metric_transformation: { namespace: "imageshare-dev/app", value: "1" },
    });
    expect(byMetric.UploadsRefused.pattern).toBe(UPLOAD_LOG_PATTERNS.refused);
    expect(
      (byMetric.UploadFailures.metric_transformation as Record<string, unknown>).default_value,
    ).toBeUndefined();
    expect(alarm(stack, "upload-failures")).toMatchObject({
      namespace: "imageshare-dev/app",
      metric_name: "UploadFailures",
      statistic: "Sum",
      period: 300,
      threshold: 3,
      comparison_operator: "GreaterThanOrEqualToThreshold",
      treat_missing_data: "notBreaching",
    });
    const alarmed = Object.values(resourcesOf(stack, "aws_cloudwatch_metric_alarm")).map(
      (a) => a.metric_name,
    );
    expect(alarmed).not.toContain("UploadsRefused");
  });

  test("the filter patterns select request lines of POST /upload by status class: 5xx fails, 4xx is refused", () => {
    // Lines shaped like the app's (app/tests/test_failures.py pins that shape for failed and refused uploads).
    const line = (route: string, status: number, message = "request") => ({
      message,
      route,
      status,
      method: "POST",
    });
    const cases: [Record<string, unknown>, "failed" | "refused" | "neither"][] = [
      [line("/upload", 503), "failed"],
      [line("/upload", 500), "failed"],
      [line("/upload", 413), "refused"],
      [line("/upload", 400), "refused"],
      [line("/upload", 303), "neither"],
      [line("/pics", 503), "neither"],
      [line("/upload", 503, "storage call failed: %s"), "neither"],
    ];
    for (const [entry, expected] of cases) {
      const failed = matchesJsonFilter(UPLOAD_LOG_PATTERNS.failed, entry);
      const refused = matchesJsonFilter(UPLOAD_LOG_PATTERNS.refused, entry);
      expect([entry, failed ? "failed" : refused ? "refused" : "neither"]).toEqual([entry, expected]);
    }
    const logs = readFileSync("app/imageshare/logs.py", "utf8");
    expect(logs).toMatch(/_FIELDS = \(.*"route".*"status"/);
    expect(logs).toContain('"message": record.getMessage()');
  });

  test("thresholds come from the props, each defaulting to DEFAULT_ALARM_THRESHOLDS", () => {
    const custom = synthAlarms({
      errorRatePercent: 1,
      latencyP95Seconds: 0.5,
      uploadFailures: 1,
      environmentHealthLevel: 25,
    });
    expect(alarm(custom, "app-errors").threshold).toBe(1);
    expect(alarm(custom, "slow-responses").threshold).toBe(0.5);
    expect(alarm(custom, "upload-failures").threshold).toBe(1);
    expect(alarm(custom, "environment-degraded").threshold).toBe(25);
    expect(metricQueries(alarm(custom, "app-errors")).find((q) => q.return_data)?.expression).toContain(
      `requests >= ${DEFAULT_ALARM_THRESHOLDS.errorRateMinRequests},`,
    );
  });
});
