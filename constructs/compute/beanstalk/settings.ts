/**
 * The option settings of the Elastic Beanstalk environment (EB guide, "Configuration options"): what the Beanstalk
 * construct's caller chooses and what it created, turned into namespace/name/value triples.
 */
import { ElasticBeanstalkEnvironmentSetting } from "@cdktf/provider-aws/lib/elastic-beanstalk-environment";
import { Fn, ITerraformDependable } from "cdktf";
import { CpuArchitecture } from "../../../shared/types";
import { APP_ENVIRONMENT_VARIABLES, APP_HEALTH_CHECK_PATH } from "../../../shared/app-contract";

/** What the environment needs from the network and endpoints. */
export interface BeanstalkNetwork {
  /** VPC of the environment. */
  readonly vpcId: string;
  /** Subnets without a route to the internet; the instances live here. */
  readonly instanceSubnetIds: string[];
  /** Port the ALB forwards to on the instances (EB's nginx). */
  readonly appPort: number;
  /** Security group of the interface endpoints (instances reach them on 443). */
  readonly endpointSecurityGroupId: string;
  /** Managed prefix list of S3 (the gateway endpoint's destinations). */
  readonly s3PrefixListId: string;
}

/** What the environment needs from the Terraform-owned shared ALB. */
export interface BeanstalkLoadBalancer {
  /** ARN of the shared Application Load Balancer. */
  readonly loadBalancerArn: string;
  /** The ALB's security group. */
  readonly securityGroupId: string;
  /** Listener that serves the app: 443 with TLS, otherwise 80. */
  readonly servingListenerPort: number;
  /** The ALB's DNS name; routed to the app when there is no custom domain. */
  readonly dnsName: string;
  /** Custom domain served by the app. @default the ALB's DNS name is routed instead */
  readonly domainName?: string;
  /** The listeners and their Terraform-owned rules; the environment is created after them. */
  readonly listeners: ITerraformDependable[];
}

/** The app's settings, passed as environment properties (names from app/imageshare/config.py). */
export interface BeanstalkAppSettings {
  /** Images bucket name (IMAGES_BUCKET). */
  readonly imagesBucketName: string;
  /** ARN of the key the app encrypts with (KMS_KEY_ARN). */
  readonly kmsKeyArn: string;
  /** Upload limit in MiB (MAX_UPLOAD_MB). */
  readonly uploadLimitMb: number;
  /** App log level (LOG_LEVEL). @default "INFO" */
  readonly logLevel?: "DEBUG" | "INFO" | "WARNING" | "ERROR";
}

/** What the environment's option settings are made of: the caller's choices. */
export interface EnvironmentOptions {
  /** Region of the environment. */
  readonly region: string;
  /** EC2 instance type. */
  readonly instanceType: string;
  /** CPU architecture of `instanceType` and of the bundle's wheels. */
  readonly architecture: CpuArchitecture;
  /** Auto Scaling minimum. */
  readonly minInstances: number;
  /** Auto Scaling maximum. */
  readonly maxInstances: number;
  /** Retention of the instance and health log groups. */
  readonly logRetentionDays: number;
  /**
   * Environment-level enhanced-health metrics EB publishes to CloudWatch (AWS/ElasticBeanstalk, dimension
   * EnvironmentName) once a minute, e.g. `InstancesOk`: each is a custom metric. `EnvironmentHealth` is published
   * without asking. @default none
   */
  readonly healthMetrics?: readonly string[];
  /** Weekly managed-update window (UTC, `Day:HH:MM`). @default "Sun:03:00" */
  readonly maintenanceWindow?: string;
  /** Where the instances run and what they reach. */
  readonly network: BeanstalkNetwork;
  /** The shared ALB the environment attaches to. */
  readonly loadBalancer: BeanstalkLoadBalancer;
  /** The app's own settings. */
  readonly app: BeanstalkAppSettings;
}

/** What the Beanstalk construct created that the settings name. */
export interface EnvironmentResources {
  /** EB service role (environment and managed updates). */
  readonly serviceRoleArn: string;
  /** Instance profile of the instances. */
  readonly instanceProfileName: string;
  /** The instances' only security group. */
  readonly instanceSecurityGroupId: string;
  /** The environment's CNAME, known before creation (`<cnamePrefix>.<region>.elasticbeanstalk.com`). */
  readonly knownCname: string;
}

/** Environment property names that suggest a secret; property values are readable by anyone who can describe the
 * environment, so secrets never go there. KEY is allowed only for values that are ARNs (a key's name, not a key). */
const SECRET_NAME = /SECRET|PASSWORD|PASSWD|TOKEN|CREDENTIAL|PRIVATE|API_?KEY|ACCESS_?KEY/i;

/** Throws when an environment property looks like a secret. */
export function assertNoSecretProperties(properties: Record<string, string>): void {
  for (const [name, value] of Object.entries(properties)) {
    const keyWithSecretValue = /KEY/i.test(name) && !/^(arn:aws:|\$\{)/.test(value);
    if (SECRET_NAME.test(name) || keyWithSecretValue) {
      throw new Error(
        `Environment property ${name} looks like a secret: properties are visible to anyone who can describe ` +
          `the environment; read secrets at runtime instead`,
      );
    }
  }
}

/** The EB option namespaces the environment sets (AWS EB guide, "General options for all environments"). */
const NS = {
  environment: "aws:elasticbeanstalk:environment",
  vpc: "aws:ec2:vpc",
  instances: "aws:ec2:instances",
  asg: "aws:autoscaling:asg",
  launch: "aws:autoscaling:launchconfiguration",
  rollingUpdate: "aws:autoscaling:updatepolicy:rollingupdate",
  command: "aws:elasticbeanstalk:command",
  loadBalancer: "aws:elbv2:loadbalancer",
  process: "aws:elasticbeanstalk:environment:process:default",
  health: "aws:elasticbeanstalk:healthreporting:system",
  logs: "aws:elasticbeanstalk:cloudwatch:logs",
  healthLogs: "aws:elasticbeanstalk:cloudwatch:logs:health",
  managedActions: "aws:elasticbeanstalk:managedactions",
  platformUpdate: "aws:elasticbeanstalk:managedactions:platformupdate",
  properties: "aws:elasticbeanstalk:application:environment",
} as const;

/** The listener rule that routes the app's public host name to it (see `loadBalancerSettings`). */
const HOST_RULE = "publichost";

type Setting = ElasticBeanstalkEnvironmentSetting;

/** One option setting; EB takes every value as a string. */
function set(namespace: string, name: string, value: string | number | boolean): Setting {
  return { namespace, name, value: String(value) };
}

/** Every option setting of the environment, grouped by what it decides. */
export function environmentSettings(options: EnvironmentOptions, resources: EnvironmentResources): Setting[] {
  return [
    set(NS.environment, "EnvironmentType", "LoadBalanced"),
    set(NS.environment, "LoadBalancerType", "application"),
    set(NS.environment, "LoadBalancerIsShared", true),
    set(NS.environment, "ServiceRole", resources.serviceRoleArn),
    ...instanceSettings(options, resources),
    ...deploymentSettings(),
    ...loadBalancerSettings(options.loadBalancer, resources.knownCname),
    // Liveness only (the contract's /healthz). /readyz calls S3: a storage blip would fail every target at once
    // and make enhanced health replace healthy instances.
    set(NS.process, "HealthCheckPath", APP_HEALTH_CHECK_PATH),
    set(NS.process, "Port", options.network.appPort),
    set(NS.process, "Protocol", "HTTP"),
    set(NS.process, "MatcherHTTPCode", 200),
    ...healthAndLogSettings(options),
    set(NS.managedActions, "ManagedActionsEnabled", true),
    set(NS.managedActions, "PreferredStartTime", options.maintenanceWindow ?? "Sun:03:00"),
    set(NS.managedActions, "ServiceRoleForManagedUpdates", resources.serviceRoleArn),
    set(NS.platformUpdate, "UpdateLevel", "minor"),
    set(NS.platformUpdate, "InstanceRefreshEnabled", true),
    ...propertySettings(options),
  ];
}

/** Where the instances run, what they are and how they launch. */
function instanceSettings(options: EnvironmentOptions, resources: EnvironmentResources): Setting[] {
  return [
    set(NS.vpc, "VPCId", options.network.vpcId),
    set(NS.vpc, "Subnets", Fn.join(",", options.network.instanceSubnetIds)),
    // No ELBSubnets or ELBScheme: they shape a load balancer EB creates; the shared ALB's subnets and scheme
    // are the aws_lb's own (EB guide, "Configuring a shared Application Load Balancer": you create and manage it).
    set(NS.vpc, "AssociatePublicIpAddress", false),

    set(NS.instances, "InstanceTypes", options.instanceType),
    set(NS.instances, "SupportedArchitectures", options.architecture),
    set(NS.asg, "MinSize", options.minInstances),
    set(NS.asg, "MaxSize", options.maxInstances),

    set(NS.launch, "IamInstanceProfile", resources.instanceProfileName),
    set(NS.launch, "SecurityGroups", resources.instanceSecurityGroupId),
    // Without it EB also attaches its own instance security group, which opens HTTP (80) and SSH (22)
    // (EB guide, "Managing EC2 security groups").
    set(NS.launch, "DisableDefaultEC2SecurityGroup", true),
    set(NS.launch, "DisableIMDSv1", true),
    set(NS.launch, "RootVolumeType", "gp3"),
  ];
}

/**
 * Deployments add a batch before taking any instance out, so capacity never drops below MinSize; config changes
 * that replace instances roll one health-checked batch at a time.
 */
function deploymentSettings(): Setting[] {
  return [
    set(NS.command, "DeploymentPolicy", "RollingWithAdditionalBatch"),
    set(NS.command, "BatchSizeType", "Fixed"),
    set(NS.command, "BatchSize", 1),
    set(NS.rollingUpdate, "RollingUpdateEnabled", true),
    set(NS.rollingUpdate, "RollingUpdateType", "Health"),
  ];
}

/** Enhanced health, its metrics, and instance and health logs streamed with the configured retention. */
function healthAndLogSettings(options: EnvironmentOptions): Setting[] {
  return [
    set(NS.health, "SystemType", "enhanced"),
    ...healthMetricSettings(options.healthMetrics ?? []),
    set(NS.logs, "StreamLogs", true),
    set(NS.logs, "DeleteOnTerminate", false),
    set(NS.logs, "RetentionInDays", options.logRetentionDays),
    set(NS.healthLogs, "HealthStreamingEnabled", true),
    set(NS.healthLogs, "DeleteOnTerminate", false),
    set(NS.healthLogs, "RetentionInDays", options.logRetentionDays),
  ];
}

/** The app's settings as environment properties, under the names of the app contract; never a secret. */
function propertySettings(options: EnvironmentOptions): Setting[] {
  const names = APP_ENVIRONMENT_VARIABLES;
  const properties: Record<string, string> = {
    [names.imagesBucket]: options.app.imagesBucketName,
    [names.kmsKeyArn]: options.app.kmsKeyArn,
    [names.region]: options.region,
    [names.uploadLimitMb]: String(options.app.uploadLimitMb),
    [names.logLevel]: options.app.logLevel ?? "INFO",
  };
  assertNoSecretProperties(properties);
  return Object.entries(properties).map(([name, value]) => set(NS.properties, name, value));
}

/**
 * The health reporting ConfigDocument that turns on CloudWatch metrics; 60 s is the only interval EB accepts. EB
 * guide, "Publishing Amazon CloudWatch custom metrics for an environment" (ConfigDocument, `CloudWatchMetrics`,
 * `Version: 1`): https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/health-enhanced-cloudwatch.html
 */
function healthMetricSettings(metrics: readonly string[]): Setting[] {
  if (metrics.length === 0) return [];
  const document = {
    CloudWatchMetrics: { Environment: Object.fromEntries(metrics.map((metric) => [metric, 60])) },
    Version: 1,
  };
  return [{ namespace: NS.health, name: "ConfigDocument", value: JSON.stringify(document) }];
}

/**
 * Shared ALB (EB guide, "Configuring a shared Application Load Balancer"): EB creates the default process and a
 * default rule whose host-header condition is the environment CNAME, but attaches it by itself only to a port-80
 * listener, so the serving listener is named with `Rules`. That rule matches only the CNAME, and the ALB's
 * listeners answer 404 by default, so a second rule routes the name users type (the custom domain, otherwise the
 * ALB's DNS name); listener rules cannot change after creation, so it is declared up front. The ALB's own security
 * group is named as the load balancer's, otherwise EB creates and attaches a group of its own to the ALB.
 *
 * Every value is written the way EB reads it back, or the provider (which keeps only the options
 * DescribeConfigurationSettings returns, with EB's values: terraform-provider-aws,
 * internal/service/elasticbeanstalk/environment.go, resourceEnvironmentSettingsRead) shows a diff on every plan
 * and re-sends the options with every new version label (terraform-provider-aws#1471 shows both on a shared ALB):
 * - HostHeaders: EB adds the environment's CNAME to the rule "to resolve listener rule condition conflicts" (same
 *   guide) and returns `host,CNAME`; with `cname_prefix` that CNAME is known, so it is written out here.
 * - no ManagedSecurityGroup: EB does not return it on a shared ALB (#1471); it only matters for a group EB would
 *   otherwise create, and `SecurityGroups` already names ours.
 * - no Priority: EB maps a shared ALB's rule priorities to absolute ones at creation (same guide), so the value
 *   it returns is not ours to pin; the default, 1, is what it was.
 */
function loadBalancerSettings(lb: BeanstalkLoadBalancer, knownCname: string): Setting[] {
  const rule = `aws:elbv2:listenerrule:${HOST_RULE}`;
  return [
    { namespace: NS.loadBalancer, name: "SharedLoadBalancer", value: lb.loadBalancerArn },
    { namespace: NS.loadBalancer, name: "SecurityGroups", value: lb.securityGroupId },
    {
      namespace: `aws:elbv2:listener:${lb.servingListenerPort}`,
      name: "Rules",
      value: `default,${HOST_RULE}`,
    },
    { namespace: rule, name: "HostHeaders", value: `${lb.domainName ?? lb.dnsName},${knownCname}` },
    { namespace: rule, name: "Process", value: "default" },
  ];
}
