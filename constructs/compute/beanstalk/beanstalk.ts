import { Construct } from "constructs";
import { TerraformResource, dependable } from "cdktf";
import { ElasticBeanstalkApplication } from "@cdktf/provider-aws/lib/elastic-beanstalk-application";
import { ElasticBeanstalkEnvironment } from "@cdktf/provider-aws/lib/elastic-beanstalk-environment";
import { DataAwsElasticBeanstalkSolutionStack } from "@cdktf/provider-aws/lib/data-aws-elastic-beanstalk-solution-stack";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { BeanstalkRoles } from "./iam";
import { BeanstalkBundle } from "./bundle";
import { EnvironmentOptions, environmentSettings } from "./settings";
import { allowTcp } from "../../network/security-group-rules";
import { BucketAccessLogs } from "../../storage/private-bucket";
import { firstBootResources } from "../seam";

/** The environment: its name and platform, its option settings, its roles and its source bundle. */
export interface BeanstalkProps extends EnvironmentOptions {
  /** Name of the EB application and environment, e.g. `imageshare-dev` (4-40 characters). */
  readonly name: string;
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
  /** Grant the Session Manager agent permissions. @default false */
  readonly sessionManager?: boolean;
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
    this.environment = this.createEnvironment(props, cnamePrefix);
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

  /** The web-server environment on the looked-up platform, running the bundle's version with every option set. */
  private createEnvironment(props: BeanstalkProps, cnamePrefix: string): ElasticBeanstalkEnvironment {
    return new ElasticBeanstalkEnvironment(this, "environment", {
      name: props.name,
      application: this.application.name,
      tier: "WebServer",
      // A known CNAME: EB adds it to the host headers of the listener rule (beanstalk-settings.ts), and without a
      // prefix it would be `<name>.<random>.<region>.elasticbeanstalk.com`, unknown until creation.
      cnamePrefix,
      solutionStackName: this.solutionStack.name,
      versionLabel: this.bundle.version.name,
      setting: environmentSettings(props, {
        serviceRoleArn: this.roles.serviceRole.arn,
        instanceProfileName: this.roles.instanceProfile.name,
        instanceSecurityGroupId: this.instanceSecurityGroup.id,
        knownCname: this.knownCname,
      }),
      // The looked-up version applies at creation only. Afterwards the environment reports the version managed
      // platform updates installed, in the maintenance window, while the data source returns the newest release:
      // the two differ from every release until the next window, and without this each plan in between would
      // update the platform outside the window (or downgrade it, if the lookup lagged). Moving to another branch is
      // a deliberate blue/green or `aws elasticbeanstalk update-environment --solution-stack-name` (docs/deploy.md).
      lifecycle: { ignoreChanges: ["solution_stack_name"] },
      // EB attaches its rules to the named listener at creation and places them below the rules already there.
      dependsOn: props.loadBalancer.listeners,
    });
  }

  private instanceSecurityGroupFor(props: BeanstalkProps): SecurityGroup {
    // No inline rules: Terraform removes AWS's default allow-all egress, and each rule below is its own resource.
    const group = new SecurityGroup(this, "instance-sg", {
      name: `${props.name}-eb-instances`,
      description: "Elastic Beanstalk instances: in from the ALB only, out to VPC endpoints and S3 only",
      vpcId: props.network.vpcId,
    });
    allowTcp(this, "in-from-alb", {
      securityGroupId: group.id,
      direction: "ingress",
      port: props.network.appPort,
      peer: { referencedSecurityGroupId: props.loadBalancer.securityGroupId },
      description: "HTTP from the shared ALB to nginx on the instances",
    });
    allowTcp(this, "out-to-endpoints", {
      securityGroupId: group.id,
      direction: "egress",
      port: 443,
      peer: { referencedSecurityGroupId: props.network.endpointSecurityGroupId },
      description: "HTTPS to the interface VPC endpoints (EB, CloudFormation, SQS, logs, health)",
    });
    allowTcp(this, "out-to-s3", {
      securityGroupId: group.id,
      direction: "egress",
      port: 443,
      peer: { prefixListId: props.network.s3PrefixListId },
      description: "HTTPS to S3 through the gateway endpoint (bundle, dnf repos, images)",
    });
    return group;
  }
}
