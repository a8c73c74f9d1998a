/**
 * app-dev-ec2: the EC2 compute wired into the stack (issue 21). The whole-stack oracles (reachability, routes,
 * policy evaluation, network invariants, app contract) run over every app stack, this one included; here is what
 * only the EC2 compute has.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { projectConfig } from "../../config";
import { Ec2ComputeConfig } from "../../shared/compute-config";
import { estimateStack } from "../../shared/cost/estimate";
import { bootScriptOf, heredoc } from "../../shared/synthesized";
import {
  Resource,
  asList,
  onlyResource,
  parsePolicy,
  resourcesOf,
  statementBySid,
  synthProject,
} from "../../test-support/synth";

const stacks = synthProject();
const stack = stacks["app-dev-ec2"];
const env = projectConfig.environments.find((e) => e.name === "dev-ec2")!;
const compute = env.compute as Ec2ComputeConfig;

function endpoint(service: string): Resource | undefined {
  return Object.values(resourcesOf(stack, "aws_vpc_endpoint")).find((e) =>
    String(e.service_name).endsWith(`.${service}`),
  );
}

describe("app-dev-ec2 stack", () => {
  test("keeps its state under app-dev-ec2/terraform.tfstate and records the compute as ec2", () => {
    expect((stack.terraform?.backend as { s3: { key: string } }).s3.key).toBe(
      "app-dev-ec2/terraform.tfstate",
    );
    expect((stack.locals as { compute: { kind: string } }).compute.kind).toBe("ec2");
  });

  test("has exactly the endpoints the EC2 compute needs: the S3 gateway and logs", () => {
    const services = Object.values(resourcesOf(stack, "aws_vpc_endpoint"))
      .map((e) => String(e.service_name).replace("com.amazonaws.eu-west-1.", ""))
      .sort();
    expect(services).toEqual(["logs", "s3"]);
    const gateway = parsePolicy(endpoint("s3")!.policy);
    expect(gateway.Statement.map((s) => s.Sid).sort()).toEqual([
      "AmazonLinux2023Repositories",
      "ImagesBucket",
      "ReleaseBundles",
    ]);
  });

  test("the gateway's release-bundle statement names the artifacts bucket this stack creates", () => {
    const names = Object.values(resourcesOf(stack, "aws_s3_bucket")).map((b) => String(b.bucket));
    const artifacts = names.find((n) => n.includes("-artifacts-"));
    const resource = statementBySid(parsePolicy(endpoint("s3")!.policy), "ReleaseBundles").Resource;
    expect(resource).toBe(`arn:aws:s3:::${artifacts}/ec2-bundles/*`);
  });

  test("launch template: latest AL2023 arm64 AMI from the public parameter, IMDSv2 with hop limit 1", () => {
    const ami = Object.values(stack.data?.aws_ssm_parameter ?? {})[0] as Resource;
    expect(ami.name).toBe("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64");
    const template = onlyResource(stack, "aws_launch_template");
    expect(template.image_id).toMatch(/^\$\{data\.aws_ssm_parameter\.[^.]+\.insecure_value\}$/);
    expect(template.metadata_options).toEqual({
      http_endpoint: "enabled",
      http_tokens: "required",
      http_put_response_hop_limit: 1,
      instance_metadata_tags: "disabled",
    });
    expect(template.instance_type).toBe(compute.instanceType);
    expect(template.monitoring).toEqual({ enabled: compute.detailedMonitoring });
  });

  test("launch template: encrypted gp3 root, no public IP, the compute's security group and instance profile", () => {
    const template = onlyResource(stack, "aws_launch_template");
    expect(template.block_device_mappings).toEqual([
      expect.objectContaining({
        device_name: "/dev/xvda",
        ebs: expect.objectContaining({ volume_type: "gp3", encrypted: "true" }),
      }),
    ]);
    const [nic] = template.network_interfaces as Record<string, unknown>[];
    expect(nic.associate_public_ip_address).toBe("false");
    const group = (stack.locals as { compute: { security_group_ids: string[] } }).compute.security_group_ids;
    expect(nic.security_groups).toEqual(group);
    expect(template.iam_instance_profile).toEqual({
      arn: expect.stringMatching(/^\$\{aws_iam_instance_profile\.[^.]+\.arn\}$/),
    });
  });

  test("user data: the boot script with the bundle's key and SHA-256, the data key filled in at apply time", () => {
    const userData = String(onlyResource(stack, "aws_launch_template").user_data);
    expect(userData).toMatch(/^\$\{base64encode\((replace\()+"#!\/bin\/bash\\n/);
    expect(userData).toMatch(/"@@APPLY_TIME_KMS_KEY_ARN@@", aws_kms_key\.storage_data-key_[^.]+\.arn\)/);
    // Read back as the instance gets it: every apply-time value in place.
    const script = bootScriptOf(userData);
    expect(script).not.toContain("@@");
    expect(heredoc(script, "APP_ENV")).toEqual([
      "AWS_REGION=eu-west-1",
      expect.stringMatching(/^IMAGES_BUCKET=\$\{aws_s3_bucket\.storage_images-bucket_[^.]+\.bucket\}$/),
      expect.stringMatching(/^KMS_KEY_ARN=\$\{aws_kms_key\.storage_data-key_[^.]+\.arn\}$/),
      "MAX_UPLOAD_MB=10",
      "LOG_LEVEL=INFO",
    ]);
    expect(script).toMatch(
      /^readonly BUNDLE_BUCKET='\$\{aws_s3_bucket\.ec2_bundle_artifacts_bucket_[^.]+\.id\}'$/m,
    );
    const object = onlyResource(stack, "aws_s3_object");
    const sha = /^ec2-bundles\/([0-9a-f]{64})\.tar$/.exec(String(object.key))![1];
    expect(userData).toContain(`readonly BUNDLE_SHA256='${sha}'`);
    expect(userData).toContain(`readonly AL2023_RELEASE='${compute.al2023Release}'`);
    const asset = path.join(__dirname, "../..", String(object.source).replace(/^\$\{path\.module\}\//, ""));
    if (fs.existsSync(asset)) {
      expect(crypto.createHash("sha256").update(fs.readFileSync(asset)).digest("hex")).toBe(sha);
    }
  });

  test("group: config capacity across the instance subnets, ELB health checks, refresh that keeps capacity", () => {
    const group = onlyResource(stack, "aws_autoscaling_group");
    expect(group).toMatchObject({
      min_size: compute.minInstances,
      max_size: compute.maxInstances,
      desired_capacity: compute.desiredInstances ?? compute.minInstances,
      health_check_type: "ELB",
      health_check_grace_period: 600,
      instance_refresh: {
        strategy: "Rolling",
        preferences: expect.objectContaining({ min_healthy_percentage: 100, max_healthy_percentage: 200 }),
      },
    });
    const subnets = (stack.locals as { compute: { subnet_ids: string[] } }).compute.subnet_ids;
    expect(group.vpc_zone_identifier).toEqual(subnets);
    expect(group.launch_template).toEqual({
      id: expect.stringMatching(/aws_launch_template\..+\.id/),
      version: expect.stringMatching(/aws_launch_template\..+\.latest_version/),
    });
    expect(asList(group.depends_on as string[])).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^aws_s3_object\./),
        expect.stringMatching(/^aws_vpc_endpoint\./),
      ]),
    );
  });

  test("target tracking on average CPU", () => {
    expect(onlyResource(stack, "aws_autoscaling_policy")).toMatchObject({
      policy_type: "TargetTrackingScaling",
      target_tracking_configuration: {
        predefined_metric_specification: { predefined_metric_type: "ASGAverageCPUUtilization" },
      },
    });
  });

  test("an instance target group on the app port behind a host-header rule on the shared ALB's listener", () => {
    const targetGroup = onlyResource(stack, "aws_lb_target_group");
    expect(targetGroup).toMatchObject({ target_type: "instance", protocol: "HTTP", port: 80 });
    expect((targetGroup.health_check as { path: string }).path).toBe("/healthz");
    const rule = onlyResource(stack, "aws_lb_listener_rule");
    expect(rule.listener_arn).toMatch(/^\$\{aws_lb_listener\./);
    expect(rule.condition).toEqual([
      { host_header: { values: [expect.stringMatching(/^\$\{aws_lb\.[^.]+\.dns_name\}$/)] } },
    ]);
    expect(rule.action).toEqual([
      expect.objectContaining({
        type: "forward",
        target_group_arn: expect.stringContaining("aws_lb_target_group"),
      }),
    ]);
  });

  test("alarm on healthy hosts below desired, on the same topic as the shared alarms", () => {
    const alarms = Object.values(resourcesOf(stack, "aws_cloudwatch_metric_alarm"));
    const healthy = alarms.find((a) => String(a.alarm_name).endsWith("-healthy-hosts-below-desired"))!;
    expect(healthy).toMatchObject({
      namespace: "AWS/ApplicationELB",
      metric_name: "HealthyHostCount",
      comparison_operator: "LessThanThreshold",
      threshold: compute.desiredInstances ?? compute.minInstances,
    });
    const topics = new Set(alarms.flatMap((a) => asList(a.alarm_actions as string[])));
    expect(topics.size).toBe(1);
    expect(alarms.map((a) => String(a.alarm_name).replace("imageshare-dev-ec2-", "")).sort()).toEqual([
      "app-errors",
      "healthy-hosts-below-desired",
      "slow-responses",
      "upload-failures",
    ]);
  });

  test("the budget is make cost's fixed estimate plus the allowance; the dashboard graphs every alarm", () => {
    const budget = onlyResource(stack, "aws_budgets_budget");
    const fixed = estimateStack({ name: "app-dev-ec2", json: stack as never }).fixedMonthlyUsd;
    expect(budget.limit_amount).toBe((fixed + env.operations.budgetUsageAllowanceUsd).toFixed(2));
    const body = String(onlyResource(stack, "aws_cloudwatch_dashboard").dashboard_body);
    for (const name of Object.keys(resourcesOf(stack, "aws_cloudwatch_metric_alarm"))) {
      expect(body).toContain(`\${aws_cloudwatch_metric_alarm.${name}.arn}`);
    }
  });

  test("the app log group is encrypted with its own key, and the failed-upload filter reads it", () => {
    const groups = Object.values(resourcesOf(stack, "aws_cloudwatch_log_group"));
    const app = groups.find((g) => g.name === "/imageshare-dev-ec2/app")!;
    expect(app.kms_key_id).toMatch(/^\$\{aws_kms_key\.ec2_log-key_[^.]+\.arn\}$/);
    const filters = Object.values(resourcesOf(stack, "aws_cloudwatch_log_metric_filter"));
    for (const filter of filters) {
      expect(filter.log_group_name).toBe(
        (stack.locals as { compute: { log_group_name: string } }).compute.log_group_name,
      );
      expect(filter.depends_on).toEqual([
        expect.stringMatching(/^aws_cloudwatch_log_group\.ec2_app-log-group_/),
      ]);
    }
  });
});
