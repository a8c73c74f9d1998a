import { CpuArchitecture, DomainConfig, EndpointPlacement } from "../shared/types";

export type { CpuArchitecture, DomainConfig, EndpointPlacement } from "../shared/types";

/** One deployment environment (one app stack). */
export interface EnvironmentConfig {
  /** Short name used in stack names, resource names and tags (`dev`, `prod`). */
  readonly name: string;
  /** Highly available environments must span AZs, keep endpoints in every AZ and run >= 2 instances. */
  readonly highlyAvailable: boolean;
  /** AWS region of the environment. */
  readonly region: string;
  /** IPv4 CIDR of the VPC, /16 to /24. */
  readonly vpcCidr: string;
  /** Number of availability zones for the public and instance subnets (2 or 3). */
  readonly azCount: number;
  /** EC2 instance type; must match `architecture`. */
  readonly instanceType: string;
  /** CPU architecture of `instanceType`. */
  readonly architecture: CpuArchitecture;
  /** Auto Scaling minimum. */
  readonly minInstances: number;
  /** Auto Scaling maximum. */
  readonly maxInstances: number;
  /** Interface endpoints in every AZ or in the first AZ only. */
  readonly endpointPlacement: EndpointPlacement;
  /** Adds the ssm, ssmmessages and ec2messages endpoints (about $22/month per AZ) and the matching IAM. */
  readonly sessionManager: boolean;
  /** CIDRs allowed to reach the load balancer on 80/443. */
  readonly allowedIngressCidrs: readonly string[];
  /** Create a certificate for this domain; exclusive with `certificateArn`. */
  readonly domain?: DomainConfig;
  /** An existing ACM certificate in `region`; exclusive with `domain`. */
  readonly certificateArn?: string;
  /**
   * The host name users type, covered by `certificateArn`; required with it, because the shared load balancer's
   * listener rules route by Host header and cannot be changed after the environment is created.
   */
  readonly certificateHostName?: string;
  /** CloudWatch Logs retention for flow logs and instance logs; one of the values CloudWatch accepts. */
  readonly logRetentionDays: number;
  /** Days before S3 server-access and ALB access logs expire. */
  readonly accessLogExpirationDays: number;
  /** Days before noncurrent versions of images expire. */
  readonly noncurrentVersionExpirationDays: number;
  /** ALB deletion protection. */
  readonly deletionProtection: boolean;
  /** Attach a WAFv2 web ACL to the load balancer. */
  readonly waf: boolean;
  /** Upload size limit in MiB, enforced by the app and nginx. */
  readonly uploadLimitMb: number;
  /** Elastic Beanstalk solution stack, pinned; managed platform updates move it afterwards. */
  readonly solutionStackName: string;
  /** Optional IAM role ARN that administers the data key (key policy statement). */
  readonly keyAdminRoleArn?: string;
}

/** The remote-state backend created by the `state` stack. */
export interface StateConfig {
  /** Region of the state bucket and lock table. */
  readonly region: string;
  /** Globally unique name of the state bucket. */
  readonly bucketName: string;
  /** Name of the DynamoDB lock table. */
  readonly lockTableName: string;
  /** Alias (`alias/...`) of the state KMS key; the S3 backend refers to the key by it. */
  readonly kmsKeyAlias: string;
  /** Days before noncurrent state versions expire. */
  readonly noncurrentVersionExpirationDays: number;
}

/** The whole project. */
export interface ProjectConfig {
  /** Lower-case project slug used in names and tags. */
  readonly project: string;
  readonly state: StateConfig;
  readonly environments: readonly EnvironmentConfig[];
}
