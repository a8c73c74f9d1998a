import { Construct } from "constructs";
import { Fn, ITerraformDependable, TerraformResource, dependable } from "cdktf";
import { ElasticBeanstalkApplication } from "@cdktf/provider-aws/lib/elastic-beanstalk-application";
import {
  ElasticBeanstalkEnvironment,
  ElasticBeanstalkEnvironmentSetting,
} from "@cdktf/provider-aws/lib/elastic-beanstalk-environment";
import { DataAwsElasticBeanstalkSolutionStack } from "@cdktf/provider-aws/lib/data-aws-elastic-beanstalk-solution-stack";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { CpuArchitecture } from "../shared/types";
import { APP_ENVIRONMENT_VARIABLES, APP_HEALTH_CHECK_PATH } from "../shared/app-contract";
import { BeanstalkRoles } from "./beanstalk-iam";
import { BeanstalkBundle } from "./beanstalk-bundle";
import { BucketAccessLogs } from "./private-bucket";

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

export interface BeanstalkProps {
  /** Name of the EB application and environment, e.g. `imageshare-dev` (4-40 characters). */
  readonly name: string;
  /** Region of the environment. */
  readonly region: string;
  /** Account of the environment (a token is fine). */
  readonly accountId: string;
  /**
   * The environment's CNAME prefix (4-63 letters, digits, hyphens; unique in the region across all AWS accounts).
   * @default `<name>-<accountId>`
   */
  readonly cnamePrefix?: string;
  /**
   * Regular expression (RE2) matching the solution stack names of one platform branch, e.g.
   * `^64bit Amazon Linux 2023 v[0-9]+\.[0-9]+\.[0-9]+ running Python 3\.11$`. The newest match at plan time creates
   * the environment; managed platform updates move it afterwards.
   */
  readonly solutionStackNameRegex: string;
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
  /** Grant the Session Manager agent permissions. @default false */
  readonly sessionManager?: boolean;
  /**
   * Environment-level enhanced-health metrics EB publishes to CloudWatch (AWS/ElasticBeanstalk, dimension
   * EnvironmentName) once a minute, e.g. `InstancesOk`: each is a custom metric. `EnvironmentHealth` is published
   * without asking. @default none
   */
  readonly healthMetrics?: readonly string[];
  /** Weekly managed-update window (UTC, `Day:HH:MM`). @default "Sun:03:00" */
  readonly maintenanceWindow?: string;
  readonly network: BeanstalkNetwork;
  readonly loadBalancer: BeanstalkLoadBalancer;
  readonly app: BeanstalkAppSettings;
  /** The source bundle and where it is stored. */
  readonly bundle: {
    /** Directory built by `make bundle`. */
    readonly directory: string;
    /** Globally unique name of the artifacts bucket. */
    readonly artifactsBucketName: string;
    /** Key of the artifacts bucket. */
    readonly kmsKeyArn: string;
    /** Server access logging of the artifacts bucket. @default no access logging */
    readonly accessLogs?: BucketAccessLogs;
  };
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

/** The EB option namespaces this construct sets (AWS EB guide, "General options for all environments"). */
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

/**
 * Resource types the instances need before their first boot: VPC endpoints (cfn-signal, cfn-init, the bundle from
 * S3), the subnets' route-table and NACL associations, security-group rules and role policies. The environment
 * references only subnet, security-group and role ids, so without an explicit dependency Terraform creates it in
 * parallel with these, and the first instances can time out at AWSEBInstanceLaunchWaitCondition.
 */
export const FIRST_BOOT_RESOURCE_TYPES: readonly string[] = [
  "aws_vpc_endpoint",
  "aws_route_table_association",
  "aws_network_acl",
  "aws_vpc_security_group_ingress_rule",
  "aws_vpc_security_group_egress_rule",
  "aws_iam_role_policy",
  "aws_iam_role_policy_attachment",
];

/** Every resource under `scope` whose type is in FIRST_BOOT_RESOURCE_TYPES. */
export function firstBootResources(scope: Construct): TerraformResource[] {
  return scope.node
    .findAll()
    .filter(
      (c): c is TerraformResource =>
        c instanceof TerraformResource && FIRST_BOOT_RESOURCE_TYPES.includes(c.terraformResourceType),
    );
}

/** The listener rule that routes the app's public host name to it (see `loadBalancerSettings`). */
const HOST_RULE = "publichost";

/**
 * A load-balanced Elastic Beanstalk web-server environment in the instance subnets behind the shared ALB: instance
 * security group, roles, the application and its version from the offline bundle.
 */
export class Beanstalk extends Construct {
  readonly application: ElasticBeanstalkApplication;
  readonly environment: ElasticBeanstalkEnvironment;
  /** The platform version looked up at plan time (ListAvailableSolutionStacks). */
  readonly solutionStack: DataAwsElasticBeanstalkSolutionStack;
  readonly bundle: BeanstalkBundle;
  readonly roles: BeanstalkRoles;
  /** Role of the instances; the app's storage grant attaches to it. */
  readonly instanceRole: IamRole;
  readonly instanceSecurityGroup: SecurityGroup;
  readonly instanceSecurityGroupId: string;
  /** The environment's CNAME as EB reports it, routed by EB's default rule. */
  readonly cname: string;
  /**
   * The CNAME known before creation, `<cnamePrefix>.<region>.elasticbeanstalk.com`: with a CNAME prefix EB names the
   * environment so (the provider reads `cname_prefix` back from it: terraform-provider-aws,
   * internal/service/elasticbeanstalk/environment.go, `(^[^.]+)(.\w{2}-\w{4,9}-\d)?.(elasticbeanstalk.com|...)`).
   */
  readonly knownCname: string;
  private readonly createdAfter = new Set<TerraformResource>();

  constructor(scope: Construct, id: string, props: BeanstalkProps) {
    super(scope, id);

    this.application = new ElasticBeanstalkApplication(this, "application", {
      name: props.name,
      description: "imageshare",
    });

    this.roles = new BeanstalkRoles(this, "roles", {
      namePrefix: props.name,
      region: props.region,
      accountId: props.accountId,
      applicationName: props.name,
      environmentName: props.name,
      sessionManager: props.sessionManager ?? false,
    });
    this.instanceRole = this.roles.instanceRole;

    this.instanceSecurityGroup = this.instanceSecurityGroupFor(props);
    this.instanceSecurityGroupId = this.instanceSecurityGroup.id;

    this.bundle = new BeanstalkBundle(this, "bundle", {
      applicationName: this.application.name,
      directory: props.bundle.directory,
      expected: { architecture: props.architecture, uploadLimitMb: props.app.uploadLimitMb },
      artifactsBucketName: props.bundle.artifactsBucketName,
      kmsKeyArn: props.bundle.kmsKeyArn,
      accessLogs: props.bundle.accessLogs,
    });

    // EB refuses to create an environment on a platform version that is no longer the newest of its branch (older
    // ones only for accounts that used them in the last 30 days), so a pinned version fails a month later. The
    // provider takes the first match of ListAvailableSolutionStacks when most_recent is set (terraform-provider-aws,
    // internal/service/elasticbeanstalk/solution_stack_data_source.go), and EB lists the newest first.
    this.solutionStack = new DataAwsElasticBeanstalkSolutionStack(this, "solution-stack", {
      nameRegex: props.solutionStackNameRegex,
      mostRecent: true,
    });
    const cnamePrefix = props.cnamePrefix ?? `${props.name}-${props.accountId}`;
    this.knownCname = `${cnamePrefix}.${props.region}.elasticbeanstalk.com`;
    this.environment = new ElasticBeanstalkEnvironment(this, "environment", {
      name: props.name,
      application: this.application.name,
      tier: "WebServer",
      // A known CNAME: EB adds it to the host headers of the listener rule (see loadBalancerSettings), and without
      // a prefix it would be `<name>.<random>.<region>.elasticbeanstalk.com`, unknown until creation.
      cnamePrefix,
      solutionStackName: this.solutionStack.name,
      versionLabel: this.bundle.version.name,
      setting: this.settings(props),
      // The looked-up version applies at creation only. Afterwards the environment reports the version managed
      // platform updates installed, in the maintenance window, while the data source returns the newest release:
      // the two differ from every release until the next window, and without this each plan in between would
      // update the platform outside the window (or downgrade it, if the lookup lagged). Moving to another branch is
      // a deliberate blue/green or `aws elasticbeanstalk update-environment --solution-stack-name` (docs/deploy.md).
      lifecycle: { ignoreChanges: ["solution_stack_name"] },
      // EB attaches its rules to the named listener at creation and places them below the rules already there.
      dependsOn: props.loadBalancer.listeners,
    });
    this.cname = this.environment.cname;
    this.createAfter(firstBootResources(this));
  }

  /**
   * Creates the environment only after these resources (give it everything of FIRST_BOOT_RESOURCE_TYPES in the
   * stack: `firstBootResources(stack)`); its own security-group rules and role policies are already included.
   */
  createAfter(resources: readonly TerraformResource[]): void {
    const added = resources.filter((r) => !this.createdAfter.has(r));
    added.forEach((r) => this.createdAfter.add(r));
    this.environment.dependsOn = [...(this.environment.dependsOn ?? []), ...added.map((r) => dependable(r))];
  }

  private instanceSecurityGroupFor(props: BeanstalkProps): SecurityGroup {
    // No inline rules: Terraform removes AWS's default allow-all egress, and each rule below is its own resource.
    const group = new SecurityGroup(this, "instance-sg", {
      name: `${props.name}-eb-instances`,
      description: "Elastic Beanstalk instances: in from the ALB only, out to VPC endpoints and S3 only",
      vpcId: props.network.vpcId,
    });
    new VpcSecurityGroupIngressRule(this, "in-from-alb", {
      securityGroupId: group.id,
      description: "HTTP from the shared ALB to nginx on the instances",
      ipProtocol: "tcp",
      fromPort: props.network.appPort,
      toPort: props.network.appPort,
      referencedSecurityGroupId: props.loadBalancer.securityGroupId,
    });
    new VpcSecurityGroupEgressRule(this, "out-to-endpoints", {
      securityGroupId: group.id,
      description: "HTTPS to the interface VPC endpoints (EB, CloudFormation, SQS, logs, health)",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      referencedSecurityGroupId: props.network.endpointSecurityGroupId,
    });
    new VpcSecurityGroupEgressRule(this, "out-to-s3", {
      securityGroupId: group.id,
      description: "HTTPS to S3 through the gateway endpoint (bundle, dnf repos, images)",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      prefixListId: props.network.s3PrefixListId,
    });
    return group;
  }

  private settings(props: BeanstalkProps): ElasticBeanstalkEnvironmentSetting[] {
    const set = (namespace: string, name: string, value: string | number | boolean) => ({
      namespace,
      name,
      value: String(value),
    });
    const names = APP_ENVIRONMENT_VARIABLES;
    const properties: Record<string, string> = {
      [names.imagesBucket]: props.app.imagesBucketName,
      [names.kmsKeyArn]: props.app.kmsKeyArn,
      [names.region]: props.region,
      [names.uploadLimitMb]: String(props.app.uploadLimitMb),
      [names.logLevel]: props.app.logLevel ?? "INFO",
    };
    assertNoSecretProperties(properties);

    return [
      set(NS.environment, "EnvironmentType", "LoadBalanced"),
      set(NS.environment, "LoadBalancerType", "application"),
      set(NS.environment, "LoadBalancerIsShared", true),
      set(NS.environment, "ServiceRole", this.roles.serviceRole.arn),

      set(NS.vpc, "VPCId", props.network.vpcId),
      set(NS.vpc, "Subnets", Fn.join(",", props.network.instanceSubnetIds)),
      // No ELBSubnets or ELBScheme: they shape a load balancer EB creates; the shared ALB's subnets and scheme
      // are the aws_lb's own (EB guide, "Configuring a shared Application Load Balancer": you create and manage it).
      set(NS.vpc, "AssociatePublicIpAddress", false),

      set(NS.instances, "InstanceTypes", props.instanceType),
      set(NS.instances, "SupportedArchitectures", props.architecture),
      set(NS.asg, "MinSize", props.minInstances),
      set(NS.asg, "MaxSize", props.maxInstances),

      set(NS.launch, "IamInstanceProfile", this.roles.instanceProfile.name),
      set(NS.launch, "SecurityGroups", this.instanceSecurityGroup.id),
      // Without it EB also attaches its own instance security group, which opens HTTP (80) and SSH (22)
      // (EB guide, "Managing EC2 security groups").
      set(NS.launch, "DisableDefaultEC2SecurityGroup", true),
      set(NS.launch, "DisableIMDSv1", true),
      set(NS.launch, "RootVolumeType", "gp3"),

      // Deployments add a batch before taking any instance out, so capacity never drops below MinSize; config
      // changes that replace instances roll one health-checked batch at a time.
      set(NS.command, "DeploymentPolicy", "RollingWithAdditionalBatch"),
      set(NS.command, "BatchSizeType", "Fixed"),
      set(NS.command, "BatchSize", 1),
      set(NS.rollingUpdate, "RollingUpdateEnabled", true),
      set(NS.rollingUpdate, "RollingUpdateType", "Health"),

      ...this.loadBalancerSettings(props),

      // Liveness only (the contract's /healthz). /readyz calls S3: a storage blip would fail every target at once
      // and make enhanced health replace healthy instances.
      set(NS.process, "HealthCheckPath", APP_HEALTH_CHECK_PATH),
      set(NS.process, "Port", props.network.appPort),
      set(NS.process, "Protocol", "HTTP"),
      set(NS.process, "MatcherHTTPCode", 200),

      set(NS.health, "SystemType", "enhanced"),
      ...this.healthMetricSettings(props.healthMetrics ?? []),
      set(NS.logs, "StreamLogs", true),
      set(NS.logs, "DeleteOnTerminate", false),
      set(NS.logs, "RetentionInDays", props.logRetentionDays),
      set(NS.healthLogs, "HealthStreamingEnabled", true),
      set(NS.healthLogs, "DeleteOnTerminate", false),
      set(NS.healthLogs, "RetentionInDays", props.logRetentionDays),

      set(NS.managedActions, "ManagedActionsEnabled", true),
      set(NS.managedActions, "PreferredStartTime", props.maintenanceWindow ?? "Sun:03:00"),
      set(NS.managedActions, "ServiceRoleForManagedUpdates", this.roles.serviceRole.arn),
      set(NS.platformUpdate, "UpdateLevel", "minor"),
      set(NS.platformUpdate, "InstanceRefreshEnabled", true),

      ...Object.entries(properties).map(([name, value]) => set(NS.properties, name, value)),
    ];
  }

  /**
   * The health reporting ConfigDocument that turns on CloudWatch metrics; 60 s is the only interval EB accepts. EB
   * guide, "Publishing Amazon CloudWatch custom metrics for an environment" (ConfigDocument, `CloudWatchMetrics`,
   * `Version: 1`): https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/health-enhanced-cloudwatch.html
   */
  private healthMetricSettings(metrics: readonly string[]): ElasticBeanstalkEnvironmentSetting[] {
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
  private loadBalancerSettings(props: BeanstalkProps): ElasticBeanstalkEnvironmentSetting[] {
    const lb = props.loadBalancer;
    const rule = `aws:elbv2:listenerrule:${HOST_RULE}`;
    return [
      { namespace: NS.loadBalancer, name: "SharedLoadBalancer", value: lb.loadBalancerArn },
      { namespace: NS.loadBalancer, name: "SecurityGroups", value: lb.securityGroupId },
      {
        namespace: `aws:elbv2:listener:${lb.servingListenerPort}`,
        name: "Rules",
        value: `default,${HOST_RULE}`,
      },
      { namespace: rule, name: "HostHeaders", value: `${lb.domainName ?? lb.dnsName},${this.knownCname}` },
      { namespace: rule, name: "Process", value: "default" },
    ];
  }
}
