/**
 * The compute seam: what the app stack hands any compute (ComputeFoundation), what it asks of one before the shared
 * parts exist (ComputeEndpointNeeds) and what it gets back (AppCompute). Each compute is one folder
 * (constructs/compute/<kind>/) whose index.ts exports a ComputeModule; stacks/compute.ts holds the one switch on the
 * kind. Compute folders never import one another (eslint.config.mjs).
 */
import { Construct } from "constructs";
import { ITerraformDependable, TerraformResource } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { ComputeKind } from "../../shared/compute-config";
import { PolicyStatement } from "../policies/document";
import { InterfaceEndpointSpec } from "../policies/vpc-endpoints";
import { LoadBalancer } from "../edge/load-balancer";
import { BucketAccessLogs } from "../storage/private-bucket";
import { EncryptionKey } from "../storage/encryption-key";
import { AlarmThresholds, HealthAlarmSpec } from "../operations/app-alarms";
import { BuiltImage } from "../../shared/image";
import { CpuArchitecture } from "../../shared/types";

export type { ComputeKind } from "../../shared/compute-config";
export type { HealthAlarmSpec } from "../operations/app-alarms";

/** What a compute is asked before the shared parts are built: enough to name its endpoints' policies. */
export interface ComputeContext<Settings> {
  readonly region: string;
  /** Account of the environment (a token is fine). */
  readonly accountId: string;
  /** Prefix of every resource name of the environment, e.g. `imageshare-dev`. */
  readonly namePrefix: string;
  /** The environment's `compute` settings of this kind. */
  readonly settings: Settings;
}

/** The VPC endpoints a compute needs with no internet route; the Endpoints construct creates them. */
export interface ComputeEndpointNeeds {
  /** Interface endpoints and their policies (the Endpoints construct places and secures them). */
  readonly interfaceEndpoints: InterfaceEndpointSpec[];
  /** Statements the S3 gateway endpoint's policy starts with (the app's bucket grant is added to them). */
  readonly gatewayStatements: PolicyStatement[];
}

/** What the stack hands any compute: the shared network, load balancer, storage and operations settings. */
export interface ComputeFoundation {
  /** Prefix of every resource name of the environment, e.g. `imageshare-dev`. */
  readonly namePrefix: string;
  readonly region: string;
  /** Account of the environment (a token). */
  readonly accountId: string;
  /** Where the compute runs and what it reaches. */
  readonly network: {
    readonly vpcId: string;
    /** Subnets without a route to the internet, one per AZ: the compute runs here and nowhere else. */
    readonly instanceSubnetIds: string[];
    /** Port the shared ALB forwards to. */
    readonly appPort: number;
    /** Security group of the interface endpoints (the compute reaches them on 443). */
    readonly endpointSecurityGroupId: string;
    /** Managed prefix list of S3 (the gateway endpoint's destinations). */
    readonly s3PrefixListId: string;
  };
  /** The shared ALB; Beanstalk adds its own rules, the others a target group and a listener rule. */
  readonly loadBalancer: LoadBalancer;
  /** The app's settings (app/imageshare/contract.json names their environment variables). */
  readonly app: {
    readonly imagesBucketName: string;
    /** The data key the app encrypts images with. */
    readonly kmsKeyArn: string;
    readonly uploadLimitMb: number;
  };
  /** Retention of the compute's log groups; one of the values CloudWatch accepts. */
  readonly logRetentionDays: number;
  /**
   * Administrator of the keys the compute creates (e.g. its log group's key: the network's flow-log key admits its
   * own log group only). @default the account root administers them
   */
  readonly keyAdministratorRoleArn?: string;
  /** The operations' alarm thresholds; a compute reads the ones about its own health. */
  readonly alarmThresholds?: AlarmThresholds;
  /** Where the compute's release artifacts (bundles) go. */
  readonly artifacts: {
    /** Globally unique name of the artifacts bucket the compute creates. */
    readonly bucketName: string;
    /** Key of the artifacts bucket (buckets are destroyed before their key: storage/private-bucket.ts). */
    readonly key: EncryptionKey;
    /** Server access logging of the artifacts bucket. */
    readonly accessLogs: BucketAccessLogs;
    /** The environment's source bundle (`make bundle`), checked against the configuration when asked for. */
    readonly bundleDirectory: () => string;
    /**
     * The container image `make image` built for an architecture, read from its layout when asked for (Fargate).
     * @default no image: a compute that runs one fails synthesis
     */
    readonly image?: (architecture: CpuArchitecture) => BuiltImage;
  };
}

/** How the shared ALB reaches the compute. */
export type LoadBalancerAttachment =
  /** The platform adds its own target group and rules to the ALB's listeners (Elastic Beanstalk). */
  | "managed-by-platform"
  /** A target group and a host-header rule on the ALB's serving listener, created by the compute. */
  | { readonly targetGroup: LbTargetGroup; readonly listenerRule: LbListenerRule };

/** A Terraform output of the compute. */
export interface ComputeOutput {
  readonly value: string;
  readonly description: string;
}

/** What a built compute gives the stack. */
export interface AppCompute {
  readonly kind: ComputeKind;
  /** The role the app's S3 calls use: the storage grant and the bucket's endpoint confinement attach to it. */
  readonly appRole: IamRole;
  /** Every role the compute creates (the app role included). */
  readonly roles: readonly IamRole[];
  /** Security group of the compute: the ALB may forward to it on the app port. */
  readonly securityGroupId: string;
  /** Subnets the compute runs in (the instance subnets). */
  readonly subnetIds: readonly string[];
  /** Log group of the app's request log (the failed-upload metric filter reads it). */
  readonly appLogGroupName: string;
  /** What must exist before a metric filter on `appLogGroupName` (the group itself, or what creates it). */
  readonly appLogCreatedBy: readonly ITerraformDependable[];
  /** Alarms on the compute's health; the stack adds them with the shared ones on the same topic. */
  readonly healthAlarms: readonly HealthAlarmSpec[];
  readonly loadBalancerAttachment: LoadBalancerAttachment;
  /** Terraform outputs by name. */
  readonly outputs: Readonly<Record<string, ComputeOutput>>;
  /** Creates the app's running part only after these resources (give it `firstBootResources(stack)`). */
  createAfter(resources: readonly TerraformResource[]): void;
}

/** One compute: its endpoint needs (asked first) and how to build it on the foundation. */
export interface ComputeModule<Settings> {
  readonly kind: ComputeKind;
  /**
   * Port the compute's app listens on for the shared ALB; the network opens it between the tiers (NACLs) before the
   * compute is built. @default 80 (EB's nginx)
   */
  readonly appPort?: number;
  endpointNeeds(context: ComputeContext<Settings>): ComputeEndpointNeeds;
  build(scope: Construct, id: string, foundation: ComputeFoundation, settings: Settings): AppCompute;
}

/**
 * Resource types the compute needs before it first starts: VPC endpoints (the bundle or image from S3, logs, the
 * platform's agents), the subnets' route-table and NACL associations, security-group rules and role policies. The
 * compute references only subnet, security-group and role ids, so without an explicit dependency Terraform creates
 * it in parallel with these, and the first instances can time out (for EB at AWSEBInstanceLaunchWaitCondition).
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
