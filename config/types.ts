import { DomainConfig, EndpointPlacement } from "../shared/types";
import { ComputeConfig } from "../shared/compute-config";

export type { CpuArchitecture, DomainConfig, EndpointPlacement } from "../shared/types";
export type {
  BeanstalkComputeConfig,
  ComputeConfig,
  ComputeKind,
  Ec2ComputeConfig,
  FargateComputeConfig,
} from "../shared/compute-config";

/** Alarm thresholds of one environment; an unset one takes the documented default (docs/maintenance.md). */
export interface AlarmThresholdsConfig {
  /** 5xx (targets and ALB) in percent of requests, 3 of 5 minutes. @default 5 */
  readonly errorRatePercent?: number;
  /** Minutes with fewer requests count as a 0 % error rate. @default 10 */
  readonly errorRateMinRequests?: number;
  /** p95 target response time in seconds, 3 of 5 minutes. @default 3 */
  readonly latencyP95Seconds?: number;
  /** Failed uploads (5xx on POST /upload) in 5 minutes. @default 3 */
  readonly uploadFailures?: number;
  /** EB enhanced-health level that alarms: 15 Warning, 20 Degraded, 25 Severe. @default 20 */
  readonly environmentHealthLevel?: 15 | 20 | 25;
}

/** Who is told when the environment misbehaves or costs more than planned. */
export interface OperationsConfig {
  /** Email address subscribed to the alarm topic; without one, synthesis warns that alarms reach nobody. */
  readonly alarmEmail?: string;
  /** USD a month added to `make cost`'s fixed estimate for usage (requests, storage, logs): the budget's limit. */
  readonly budgetUsageAllowanceUsd: number;
  /** @default every threshold's default */
  readonly alarmThresholds?: AlarmThresholdsConfig;
}

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
  /**
   * What runs the app: `{ kind: "beanstalk" | "fargate" | "ec2", ...its settings }` (shared/compute-config.ts
   * documents each kind's settings).
   */
  readonly compute: ComputeConfig;
  /** Interface endpoints in every AZ or in the first AZ only. */
  readonly endpointPlacement: EndpointPlacement;
  /** CIDRs allowed to reach the load balancer on 80/443. */
  readonly allowedIngressCidrs: readonly string[];
  /** Create a certificate for this domain; exclusive with `certificateArn`. */
  readonly domain?: DomainConfig;
  /**
   * Accept plain HTTP in a highly available (production) environment that has neither `domain` nor
   * `certificateArn`. Only for trying the production shape out: uploads, session cookies and CSRF tokens then cross
   * the internet unencrypted. Without it such an environment fails validation. @default false
   */
  readonly allowPlainHttp?: boolean;
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
  /**
   * Refuse deletion: ALB deletion protection, and `prevent_destroy` on the images bucket and its data key
   * (`terraform destroy` fails). Required in a highly available environment.
   */
  readonly deletionProtection: boolean;
  /** Attach a WAFv2 web ACL to the load balancer. */
  readonly waf: boolean;
  /** Upload size limit in MiB, enforced by the app and nginx. */
  readonly uploadLimitMb: number;
  /** Optional IAM role ARN that administers the data key (key policy statement). */
  readonly keyAdminRoleArn?: string;
  /** Alarms, their notification and the cost budget. */
  readonly operations: OperationsConfig;
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
