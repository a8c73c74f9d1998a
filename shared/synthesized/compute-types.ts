/** What the seam records in a synthesized app stack, and what a compute kind's reader finds (./compute.ts). */
import type { SynthesizedStack } from "./stacks";

/** The local as the stack records it (names follow Terraform's snake case). */
export interface ComputeLocal {
  readonly kind: string;
  readonly subnet_ids: string[];
  readonly security_group_ids: string[];
  readonly role_arns: string[];
  readonly app_role_arn: string;
  readonly log_group_name: string;
}

/** What the seam records, as logical names of the resources it points to. */
export interface ComputeSeam {
  readonly kind: string;
  /** `aws_subnet` names the compute runs in. */
  readonly subnets: string[];
  /** `aws_security_group` names of the compute. */
  readonly securityGroups: string[];
  /** `aws_iam_role` names the compute creates. */
  readonly roles: string[];
  /** `aws_iam_role` name the app's S3 calls use. */
  readonly appRole: string;
  /** Log group of the app's request log (may hold a reference). */
  readonly logGroupName: string;
}

/** What a kind's reader finds in its own resources, checked against the seam. */
export interface ComputeFacts {
  /** Addresses (`type.name`) of the resources that run the app. */
  readonly runtime: string[];
  /** The app's environment variables as the compute hands them to it. */
  readonly appEnvironment: Record<string, string>;
  /** Path of the load balancer's health check of the app. */
  readonly healthCheckPath: string;
  /** Seconds between two health checks of one target from one ALB node. */
  readonly healthCheckIntervalSeconds: number;
  /** Instances or tasks the compute runs at least. */
  readonly minimumCapacity: number;
  /** Retention of the app's logs in days. */
  readonly logRetentionDays: number;
  /** Port the load balancer forwards to. */
  readonly appPort: number;
  /**
   * Whether the platform attaches a security group of its own that no synthesized resource shows (EB's default
   * instance group, egress to anywhere, unless DisableDefaultEC2SecurityGroup).
   */
  readonly platformSecurityGroup: boolean;
  /** Whether the machines get a public IP. */
  readonly assignsPublicIp: boolean;
  /** Whether instance metadata requires IMDSv2; undefined where the compute has no instance metadata. */
  readonly requiresImdsV2: boolean | undefined;
  /** Interface endpoint services the compute cannot work without (from its platform's documentation). */
  readonly requiredInterfaceServices: string[];
}

export type SynthesizedCompute = ComputeSeam & ComputeFacts;

/** One kind: how to read its resources. */
export interface ComputeReader {
  /** Reads the kind's resources; throws when they disagree with the seam. */
  read(stack: SynthesizedStack, seam: ComputeSeam): ComputeFacts;
}
