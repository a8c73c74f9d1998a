import { TerraformOutput } from "cdktf";
import {
  EnvironmentOptions,
  EnvironmentResources,
  assertNoSecretProperties,
  environmentSettings,
} from "../../../../constructs/compute/beanstalk/settings";
import { Resource, SynthesizedStack, synthConstruct } from "../../../../test-support/synth";
import { ebNamespace, ebSetting, ebSettings } from "../../../../shared/synthesized";
import { BEANSTALK_TEST_OPTIONS } from "../../../../test-support/beanstalk-fixture";

const OPTIONS: EnvironmentOptions = BEANSTALK_TEST_OPTIONS;
const RESOURCES: EnvironmentResources = {
  serviceRoleArn: "arn:aws:iam::123456789012:role/imageshare-dev-eb-service",
  instanceProfileName: "imageshare-dev-eb-instance",
  instanceSecurityGroupId: "sg-instances",
  knownCname: "imageshare-dev-123456789012.eu-west-1.elasticbeanstalk.com",
};

/** The settings as Terraform receives them (tokens such as Fn.join resolved), shaped like the environment resource. */
function settingsOf(overrides: Partial<EnvironmentOptions> = {}): Resource {
  const stack: SynthesizedStack = synthConstruct((scope) => {
    new TerraformOutput(scope, "settings", {
      value: environmentSettings({ ...OPTIONS, ...overrides }, RESOURCES),
    });
  });
  return { setting: stack.output?.settings?.value };
}

const env = settingsOf();

describe("environmentSettings", () => {
  test("names the ALB's security group so EB attaches none of its own to the Terraform-owned ALB", () => {
    expect(ebNamespace(env, "aws:elbv2:loadbalancer")).toEqual({
      SharedLoadBalancer: OPTIONS.loadBalancer.loadBalancerArn,
      SecurityGroups: "sg-alb",
    });
  });

  test("puts instances in the instance subnets without public IPs; no load-balancer subnets or scheme", () => {
    // The shared ALB's subnets and scheme are the aws_lb's own; EB would only use these for an ALB it creates.
    expect(ebNamespace(env, "aws:ec2:vpc")).toEqual({
      VPCId: "vpc-1",
      Subnets: '${join(",", ["subnet-i1", "subnet-i2"])}',
      AssociatePublicIpAddress: "false",
    });
  });

  test("writes no option the way EB would not read it back on a shared ALB (no diff on every plan)", () => {
    // terraform-provider-aws#1471: on a shared ALB EB returns HostHeaders with its CNAME added and does not
    // return ManagedSecurityGroup; rule priorities are mapped to absolute ones (EB shared-ALB guide).
    const names = ebSettings(env).map((s) => `${s.namespace}:${s.name}`);
    for (const option of [
      "aws:elbv2:loadbalancer:ManagedSecurityGroup",
      "aws:elbv2:listenerrule:publichost:Priority",
      "aws:ec2:vpc:ELBSubnets",
      "aws:ec2:vpc:ELBScheme",
    ])
      expect(names).not.toContain(option);
    for (const setting of ebSettings(env).filter((s) => s.name === "HostHeaders"))
      expect(setting.value.split(",")).toContain(RESOURCES.knownCname);
  });

  test("publishes the asked-for enhanced-health metrics through the ConfigDocument, none by default", () => {
    const health = "aws:elasticbeanstalk:healthreporting:system";
    expect(ebNamespace(env, health)).toEqual({ SystemType: "enhanced" });
    const withMetrics = settingsOf({ healthMetrics: ["InstancesOk", "InstancesSevere"] });
    expect(JSON.parse(ebSetting(withMetrics, health, "ConfigDocument"))).toEqual({
      CloudWatchMetrics: { Environment: { InstancesOk: 60, InstancesSevere: 60 } },
      Version: 1,
    });
  });

  test("takes instance type, architecture and capacity from the props", () => {
    expect(ebNamespace(env, "aws:ec2:instances")).toEqual({
      InstanceTypes: "t4g.micro",
      SupportedArchitectures: "arm64",
    });
    expect(ebNamespace(env, "aws:autoscaling:asg")).toEqual({ MinSize: "2", MaxSize: "4" });
  });

  test("deploys and replaces instances without dropping capacity", () => {
    expect(ebNamespace(env, "aws:elasticbeanstalk:command")).toEqual({
      DeploymentPolicy: "RollingWithAdditionalBatch",
      BatchSizeType: "Fixed",
      BatchSize: "1",
    });
    expect(ebNamespace(env, "aws:autoscaling:updatepolicy:rollingupdate")).toEqual({
      RollingUpdateEnabled: "true",
      RollingUpdateType: "Health",
    });
  });

  test("health-checks the liveness endpoint on nginx's port, not /readyz", () => {
    expect(ebNamespace(env, "aws:elasticbeanstalk:environment:process:default")).toEqual({
      HealthCheckPath: "/healthz",
      Port: "80",
      Protocol: "HTTP",
      MatcherHTTPCode: "200",
    });
  });

  test("reports enhanced health and streams instance and health logs with the configured retention", () => {
    expect(ebSetting(env, "aws:elasticbeanstalk:healthreporting:system", "SystemType")).toBe("enhanced");
    expect(ebNamespace(env, "aws:elasticbeanstalk:cloudwatch:logs")).toEqual({
      StreamLogs: "true",
      DeleteOnTerminate: "false",
      RetentionInDays: "30",
    });
    expect(ebNamespace(env, "aws:elasticbeanstalk:cloudwatch:logs:health")).toEqual({
      HealthStreamingEnabled: "true",
      DeleteOnTerminate: "false",
      RetentionInDays: "30",
    });
    const prod = settingsOf({ logRetentionDays: 365 });
    expect(ebSetting(prod, "aws:elasticbeanstalk:cloudwatch:logs", "RetentionInDays")).toBe("365");
    expect(ebSetting(prod, "aws:elasticbeanstalk:cloudwatch:logs:health", "RetentionInDays")).toBe("365");
  });

  test("passes exactly the settings the app reads as environment properties", () => {
    expect(ebNamespace(env, "aws:elasticbeanstalk:application:environment")).toEqual({
      IMAGES_BUCKET: "images-bucket",
      KMS_KEY_ARN: "arn:aws:kms:eu-west-1:123456789012:key/k",
      AWS_REGION: "eu-west-1",
      MAX_UPLOAD_MB: "10",
      LOG_LEVEL: "INFO",
    });
  });

  test.each([
    ["DB_PASSWORD", "hunter2"],
    ["SECRET_KEY", "abc"],
    ["FLASK_SECRET", "abc"],
    ["GITHUB_TOKEN", "ghp_x"],
    ["SIGNING_KEY", "c2VjcmV0"],
    ["AWS_SECRET_ACCESS_KEY", "x"],
  ])("refuses secret-looking property %s", (name, value) => {
    expect(() => assertNoSecretProperties({ [name]: value })).toThrow(name);
  });

  test("accepts a KEY property only when its value names a key (an ARN or a reference), not when it is one", () => {
    expect(() => assertNoSecretProperties({ KMS_KEY_ARN: "arn:aws:kms:eu-west-1:1:key/k" })).not.toThrow();
    expect(() => assertNoSecretProperties({ KMS_KEY_ARN: "${aws_kms_key.data.arn}" })).not.toThrow();
    expect(() => assertNoSecretProperties({ KMS_KEY_ARN: "c2VjcmV0" })).toThrow("KMS_KEY_ARN");
  });
});

describe("environmentSettings: shared-ALB listener rules", () => {
  test("names the serving listener's rules (EB attaches its default rule by itself only to port 80)", () => {
    expect(ebSetting(env, "aws:elbv2:listener:80", "Rules")).toBe("default,publichost");
    const tls = settingsOf({ loadBalancer: { ...OPTIONS.loadBalancer, servingListenerPort: 443 } });
    expect(ebSetting(tls, "aws:elbv2:listener:443", "Rules")).toBe("default,publichost");
    expect(ebSettings(tls).some((s) => s.namespace === "aws:elbv2:listener:80")).toBe(false);
  });

  test("routes the ALB's DNS name to the app when there is no custom domain (EB's rule matches only the CNAME)", () => {
    expect(ebNamespace(env, "aws:elbv2:listenerrule:publichost")).toEqual({
      HostHeaders:
        "alb-1.eu-west-1.elb.amazonaws.com,imageshare-dev-123456789012.eu-west-1.elasticbeanstalk.com",
      Process: "default",
    });
  });

  test("routes a custom domain to the app with a host-header rule declared at creation", () => {
    const withDomain = settingsOf({
      loadBalancer: { ...OPTIONS.loadBalancer, servingListenerPort: 443, domainName: "images.example.com" },
    });
    expect(ebSetting(withDomain, "aws:elbv2:listener:443", "Rules")).toBe("default,publichost");
    expect(ebNamespace(withDomain, "aws:elbv2:listenerrule:publichost")).toEqual({
      HostHeaders: "images.example.com,imageshare-dev-123456789012.eu-west-1.elasticbeanstalk.com",
      Process: "default",
    });
  });
});
