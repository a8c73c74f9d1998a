import { Construct } from "constructs";
import { Fn, ITerraformDependable } from "cdktf";
import { ElasticBeanstalkApplication } from "@cdktf/provider-aws/lib/elastic-beanstalk-application";
import {
  ElasticBeanstalkEnvironment,
  ElasticBeanstalkEnvironmentSetting,
} from "@cdktf/provider-aws/lib/elastic-beanstalk-environment";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { CpuArchitecture } from "../config/types";
import { BeanstalkRoles } from "./beanstalk-iam";
import { BeanstalkBundle } from "./beanstalk-bundle";
import { BucketAccessLogs } from "./private-bucket";

/** What the environment needs from the network and endpoints. */
export interface BeanstalkNetwork {
  /** VPC of the environment. */
  readonly vpcId: string;
  /** Subnets without a route to the internet; the instances live here. */
  readonly instanceSubnetIds: string[];
  /** Public subnets of the load balancer. */
  readonly publicSubnetIds: string[];
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
  /** Pinned solution stack used at creation; managed platform updates move it afterwards. */
  readonly solutionStackName: string;
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

/** The listener rule that routes the app's public host name to it (see `loadBalancerSettings`). */
const HOST_RULE = "publichost";

/**
 * A load-balanced Elastic Beanstalk web-server environment in the instance subnets behind the shared ALB: instance
 * security group, roles, the application and its version from the offline bundle.
 */
export class Beanstalk extends Construct {
  readonly application: ElasticBeanstalkApplication;
  readonly environment: ElasticBeanstalkEnvironment;
  readonly bundle: BeanstalkBundle;
  readonly roles: BeanstalkRoles;
  /** Role of the instances; the app's storage grant attaches to it. */
  readonly instanceRole: IamRole;
  readonly instanceSecurityGroup: SecurityGroup;
  readonly instanceSecurityGroupId: string;
  /** The environment's CNAME (`NAME.xxxx.REGION.elasticbeanstalk.com`), routed by EB's default rule. */
  readonly cname: string;

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

    this.environment = new ElasticBeanstalkEnvironment(this, "environment", {
      name: props.name,
      application: this.application.name,
      tier: "WebServer",
      solutionStackName: props.solutionStackName,
      versionLabel: this.bundle.version.name,
      setting: this.settings(props),
      // Managed platform updates move the environment to newer platform versions, which the provider reads back
      // as a changed solution_stack_name; without this every plan would try to downgrade (or replace) it. The
      // pinned name only applies at creation; moving to another platform branch is a deliberate blue/green or
      // `aws elasticbeanstalk update-environment --solution-stack-name` (docs/deploy.md).
      lifecycle: { ignoreChanges: ["solution_stack_name"] },
      // EB attaches its rules to the named listener at creation and places them below the rules already there.
      dependsOn: props.loadBalancer.listeners,
    });
    this.cname = this.environment.cname;
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
    const properties: Record<string, string> = {
      IMAGES_BUCKET: props.app.imagesBucketName,
      KMS_KEY_ARN: props.app.kmsKeyArn,
      AWS_REGION: props.region,
      MAX_UPLOAD_MB: String(props.app.uploadLimitMb),
      LOG_LEVEL: props.app.logLevel ?? "INFO",
    };
    assertNoSecretProperties(properties);

    return [
      set(NS.environment, "EnvironmentType", "LoadBalanced"),
      set(NS.environment, "LoadBalancerType", "application"),
      set(NS.environment, "LoadBalancerIsShared", true),
      set(NS.environment, "ServiceRole", this.roles.serviceRole.arn),

      set(NS.vpc, "VPCId", props.network.vpcId),
      set(NS.vpc, "Subnets", Fn.join(",", props.network.instanceSubnetIds)),
      set(NS.vpc, "ELBSubnets", Fn.join(",", props.network.publicSubnetIds)),
      set(NS.vpc, "AssociatePublicIpAddress", false),
      set(NS.vpc, "ELBScheme", "public"),

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

      // /healthz is liveness only. /readyz calls S3: a storage blip would fail every target at once and make
      // enhanced health replace healthy instances.
      set(NS.process, "HealthCheckPath", "/healthz"),
      set(NS.process, "Port", props.network.appPort),
      set(NS.process, "Protocol", "HTTP"),
      set(NS.process, "MatcherHTTPCode", 200),

      set(NS.health, "SystemType", "enhanced"),
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
   * Shared ALB (EB guide, "Configuring a shared Application Load Balancer"): EB creates the default process and a
   * default rule whose host-header condition is the environment CNAME, but attaches it by itself only to a port-80
   * listener, so the serving listener is named with `Rules`. That rule matches only the CNAME, and the ALB's
   * listeners answer 404 by default, so a second rule routes the name users type (the custom domain, otherwise the
   * ALB's DNS name); listener rules cannot change after creation, so it is declared up front. The ALB's own security
   * group is named as the load balancer's and the managed group, otherwise EB creates and attaches a group of its
   * own to the Terraform-owned ALB.
   */
  private loadBalancerSettings(props: BeanstalkProps): ElasticBeanstalkEnvironmentSetting[] {
    const lb = props.loadBalancer;
    const rule = `aws:elbv2:listenerrule:${HOST_RULE}`;
    return [
      { namespace: NS.loadBalancer, name: "SharedLoadBalancer", value: lb.loadBalancerArn },
      { namespace: NS.loadBalancer, name: "SecurityGroups", value: lb.securityGroupId },
      { namespace: NS.loadBalancer, name: "ManagedSecurityGroup", value: lb.securityGroupId },
      {
        namespace: `aws:elbv2:listener:${lb.servingListenerPort}`,
        name: "Rules",
        value: `default,${HOST_RULE}`,
      },
      { namespace: rule, name: "HostHeaders", value: lb.domainName ?? lb.dnsName },
      { namespace: rule, name: "Process", value: "default" },
      { namespace: rule, name: "Priority", value: "1" },
    ];
  }
}
