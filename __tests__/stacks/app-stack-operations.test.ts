import { App, Testing } from "cdktf";
import { buildApp } from "../../main";
import { EnvironmentConfig, ProjectConfig, projectConfig } from "../../config";
import { AppStack } from "../../stacks/app-stack";
import { estimateStack } from "../../shared/cost/estimate";
import { ebSetting } from "../../shared/synthesized";
import {
  Resource,
  SynthesizedStack,
  onlyResource,
  refOf,
  resolveRef,
  resourcesOf,
  synthProject,
} from "../../test-support/synth";

function withOperations(name: string, change: Partial<EnvironmentConfig["operations"]>): ProjectConfig {
  return {
    ...projectConfig,
    environments: projectConfig.environments.map((env) =>
      env.name === name ? { ...env, operations: { ...env.operations, ...change } } : env,
    ),
  };
}

const stacks = synthProject();
// Elastic Beanstalk's operations: app-stack-fargate.test.ts and app-stack-ec2.test.ts cover the other computes'.
const environments = projectConfig.environments
  .filter((env) => env.compute.kind === "beanstalk")
  .map((env) => [env.name, env] as const);

/** Logical name of the only resource of a type. */
function only(stack: SynthesizedStack, type: string): string {
  const names = Object.keys(resourcesOf(stack, type));
  if (names.length !== 1) throw new Error(`expected one ${type}`);
  return names[0];
}

const alarmsOf = (stack: SynthesizedStack) =>
  Object.values(resourcesOf(stack, "aws_cloudwatch_metric_alarm"));

/** Every metric an alarm reads: its own, or those of its metric-math queries. */
function metricsOf(
  alarm: Resource,
): { namespace: string; metric_name: string; dimensions: Record<string, string> }[] {
  if (alarm.metric_name) return [alarm as never];
  return (alarm.metric_query as { metric?: never }[]).filter((q) => q.metric).map((q) => q.metric as never);
}

describe.each(environments)("app-%s operations", (name, env) => {
  const stack = stacks[`app-${name}`];
  const lbSuffix = refOf("aws_lb", only(stack, "aws_lb"), "arn_suffix");
  const envName = refOf(
    "aws_elastic_beanstalk_environment",
    only(stack, "aws_elastic_beanstalk_environment"),
    "name",
  );
  const topicArn = refOf("aws_sns_topic", only(stack, "aws_sns_topic"), "arn");

  test("every alarm watches this stack's ALB (ARN suffix) or EB environment (name) and notifies its topic", () => {
    const alarms = alarmsOf(stack);
    expect(alarms).toHaveLength(5);
    for (const alarm of alarms) {
      expect(alarm.alarm_actions).toEqual([topicArn]);
      expect(alarm.ok_actions).toEqual([topicArn]);
      for (const metric of metricsOf(alarm)) {
        const expected = {
          "AWS/ApplicationELB": { LoadBalancer: lbSuffix },
          "AWS/ElasticBeanstalk": { EnvironmentName: envName },
          [`imageshare-${name}/app`]: undefined,
        }[metric.namespace];
        expect([alarm.alarm_name, metric.namespace, metric.dimensions]).toEqual([
          alarm.alarm_name,
          metric.namespace,
          expected,
        ]);
      }
    }
    const watched = alarms.flatMap((a) => metricsOf(a).map((m) => `${m.namespace} ${m.metric_name}`)).sort();
    expect(watched).toEqual(
      [
        "AWS/ApplicationELB HTTPCode_ELB_5XX_Count",
        "AWS/ApplicationELB HTTPCode_Target_5XX_Count",
        "AWS/ApplicationELB RequestCount",
        "AWS/ApplicationELB TargetResponseTime",
        "AWS/ElasticBeanstalk EnvironmentHealth",
        "AWS/ElasticBeanstalk InstancesOk",
        `imageshare-${name}/app UploadFailures`,
      ].sort(),
    );
  });

  test("healthy instances below the environment's MinSize alarm", () => {
    const alarm = alarmsOf(stack).find((a) => a.metric_name === "InstancesOk");
    const environment = onlyResource(stack, "aws_elastic_beanstalk_environment");
    expect(alarm?.threshold).toBe(Number(ebSetting(environment, "aws:autoscaling:asg", "MinSize")));
    expect(alarm?.threshold).toBe(env.compute.kind === "beanstalk" && env.compute.minInstances);
  });

  test("EB publishes InstancesOk (the ConfigDocument asks for it; EnvironmentHealth comes without asking)", () => {
    const environment = onlyResource(stack, "aws_elastic_beanstalk_environment");
    const document = JSON.parse(
      ebSetting(environment, "aws:elasticbeanstalk:healthreporting:system", "ConfigDocument"),
    );
    expect(document).toEqual({ CloudWatchMetrics: { Environment: { InstancesOk: 60 } }, Version: 1 });
    expect(ebSetting(environment, "aws:elasticbeanstalk:healthreporting:system", "SystemType")).toBe(
      "enhanced",
    );
  });

  test("the upload metric filters read this environment's web.stdout.log, after EB created it", () => {
    for (const filter of Object.values(resourcesOf(stack, "aws_cloudwatch_log_metric_filter"))) {
      expect(filter.log_group_name).toBe(`/aws/elasticbeanstalk/${envName}/var/log/web.stdout.log`);
      expect(filter.depends_on).toContain(
        `aws_elastic_beanstalk_environment.${only(stack, "aws_elastic_beanstalk_environment")}`,
      );
    }
  });

  test("the budget's limit is make cost's fixed estimate of this very stack plus the configured allowance", () => {
    const budget = onlyResource(stack, "aws_budgets_budget");
    const fixed = estimateStack({ name: `app-${name}`, json: stack as never }).fixedMonthlyUsd;
    expect(budget.limit_amount).toBe((fixed + env.operations.budgetUsageAllowanceUsd).toFixed(2));
    expect(budget.notification).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          notification_type: "FORECASTED",
          threshold: 80,
          subscriber_sns_topic_arns: [topicArn],
        }),
        expect.objectContaining({
          notification_type: "ACTUAL",
          threshold: 100,
          subscriber_sns_topic_arns: [topicArn],
        }),
      ]),
    );
    expect(budget.cost_filter).toEqual([{ name: "TagKeyValue", values: [`user:Environment$${name}`] }]);
  });

  test("the dashboard graphs every alarm", () => {
    const body = onlyResource(stack, "aws_cloudwatch_dashboard").dashboard_body as string;
    for (const alarmName of Object.keys(resourcesOf(stack, "aws_cloudwatch_metric_alarm"))) {
      expect(body).toContain(refOf("aws_cloudwatch_metric_alarm", alarmName, "arn"));
    }
  });

  test("the topic's key is its own, not the data key", () => {
    const topic = onlyResource(stack, "aws_sns_topic");
    const key = resolveRef(stack, topic.kms_master_key_id);
    const environment = onlyResource(stack, "aws_elastic_beanstalk_environment");
    const dataKey = ebSetting(environment, "aws:elasticbeanstalk:application:environment", "KMS_KEY_ARN");
    expect(refOf("aws_kms_key", key.name, "arn")).not.toBe(dataKey);
  });
});

describe("the budget follows the estimate", () => {
  test("a larger allowance or a costlier environment moves the limit by exactly that much", () => {
    const base = Number(onlyResource(stacks["app-dev"], "aws_budgets_budget").limit_amount);
    const moreAllowance = synthProject(withOperations("dev", { budgetUsageAllowanceUsd: 115 }));
    expect(Number(onlyResource(moreAllowance["app-dev"], "aws_budgets_budget").limit_amount)).toBeCloseTo(
      base + 100,
      2,
    );

    const bigger: ProjectConfig = {
      ...projectConfig,
      environments: projectConfig.environments.map((e) =>
        e.name === "dev" ? { ...e, compute: { ...e.compute, minInstances: 2 } } : e,
      ),
    };
    const biggerStack = synthProject(bigger)["app-dev"];
    const estimate = estimateStack({ name: "app-dev", json: biggerStack as never }).fixedMonthlyUsd;
    expect(onlyResource(biggerStack, "aws_budgets_budget").limit_amount).toBe((estimate + 15).toFixed(2));
    expect(Number(onlyResource(biggerStack, "aws_budgets_budget").limit_amount)).toBeGreaterThan(base);
  });
});

describe("who is notified", () => {
  function appStack(config: ProjectConfig, name: string): AppStack {
    const app = buildApp(Testing.app() as App, config);
    return app.node.findChild(`app-${name}`) as AppStack;
  }
  const warnings = (stack: AppStack) =>
    stack.node
      .findAll()
      .flatMap((c) => c.node.metadata)
      .filter((m) => m.type === "@cdktf/warn")
      .map((m) => String(m.data))
      // Other warnings (plain HTTP in dev) are tested with their own settings.
      .filter((w) => w.includes("alarmEmail"));

  test("without alarmEmail, synthesis warns that alarms reach nobody, naming the setting", () => {
    expect(warnings(appStack(projectConfig, "dev"))).toEqual([
      expect.stringContaining("environments.dev.operations.alarmEmail is not set"),
    ]);
    expect(warnings(appStack(projectConfig, "dev"))[0]).toContain("reach nobody");
  });

  test("with alarmEmail, the topic has that email subscription and there is no warning", () => {
    const config = withOperations("dev", { alarmEmail: "oncall@example.com" });
    expect(warnings(appStack(config, "dev"))).toEqual([]);
    expect(onlyResource(synthProject(config)["app-dev"], "aws_sns_topic_subscription")).toMatchObject({
      protocol: "email",
      endpoint: "oncall@example.com",
    });
  });
});
