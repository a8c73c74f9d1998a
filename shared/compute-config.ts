/**
 * The `compute` setting of an environment: a union discriminated by `kind`, each kind with its own settings. It
 * lives here, outside `config/`, because the compute modules (constructs/compute/<kind>/) take these settings and
 * constructs never import the configuration; config/types.ts re-exports it. config/validate-compute.ts checks it.
 */
import { CpuArchitecture } from "./types";

/** The computes an environment can run on (one folder each under constructs/compute/). */
export type ComputeKind = "beanstalk" | "fargate" | "ec2";

/** Every kind, in the order the documentation lists them. */
export const COMPUTE_KINDS: readonly ComputeKind[] = ["beanstalk", "fargate", "ec2"];

/** Elastic Beanstalk: a load-balanced web-server environment on EB's Python platform (today's compute). */
export interface BeanstalkComputeConfig {
  readonly kind: "beanstalk";
  /** EC2 instance type; must match `architecture`. */
  readonly instanceType: string;
  /** CPU architecture of `instanceType`. */
  readonly architecture: CpuArchitecture;
  /** Auto Scaling minimum. */
  readonly minInstances: number;
  /** Auto Scaling maximum. */
  readonly maxInstances: number;
  /**
   * Elastic Beanstalk platform branch, e.g. `Python 3.11 running on 64bit Amazon Linux 2023` (a key of
   * PLATFORM_BRANCHES). The newest platform version of the branch is looked up at plan time for a new environment;
   * managed platform updates keep it patched afterwards.
   */
  readonly platformBranch: string;
  /** Adds the ssm, ssmmessages and ec2messages endpoints (about $22/month per AZ) and the matching IAM. */
  readonly sessionManager: boolean;
}

/** vCPU units of a Fargate task (ECS developer guide, "Task CPU and memory"). */
export type FargateCpu = 256 | 512 | 1024 | 2048 | 4096;

/** ECS on Fargate: a service of tasks in the instance subnets behind the shared ALB (issue 20). */
export interface FargateComputeConfig {
  readonly kind: "fargate";
  /** Task CPU in vCPU units. */
  readonly cpu: FargateCpu;
  /** Task memory in MiB; must be a valid combination with `cpu` (FARGATE_MEMORY_MIB). */
  readonly memoryMiB: number;
  /** Service minimum (desired count at creation). */
  readonly minTasks: number;
  /** Service maximum. */
  readonly maxTasks: number;
  /** CPU architecture of the tasks (and of the image). @default "arm64" */
  readonly architecture?: CpuArchitecture;
  /** ECS Exec (adds the ssmmessages endpoint and its IAM). @default false */
  readonly ecsExec?: boolean;
}

/** An EC2 Auto Scaling group on Amazon Linux 2023 running the app under systemd (issue 21). */
export interface Ec2ComputeConfig {
  readonly kind: "ec2";
  /** EC2 instance type; must match `architecture`. */
  readonly instanceType: string;
  /** CPU architecture of `instanceType`. */
  readonly architecture: CpuArchitecture;
  /** Auto Scaling minimum. */
  readonly minInstances: number;
  /** Auto Scaling maximum. */
  readonly maxInstances: number;
  /** Auto Scaling desired capacity at creation. @default minInstances */
  readonly desiredInstances?: number;
  /** One-minute instance metrics (paid). */
  readonly detailedMonitoring: boolean;
  /** The pinned AL2023 release, e.g. `2023.9.20251208` (its AMI and its dnf repositories). */
  readonly al2023Release: string;
  /** Adds the ssm, ssmmessages and ec2messages endpoints and the matching IAM. @default false */
  readonly sessionManager?: boolean;
}

/** The compute of one environment. */
export type ComputeConfig = BeanstalkComputeConfig | FargateComputeConfig | Ec2ComputeConfig;

/** The settings of one kind. */
export type ComputeConfigOf<K extends ComputeKind> = Extract<ComputeConfig, { kind: K }>;

/** CPU architecture of any compute (Fargate's defaults to arm64). */
export function computeArchitecture(compute: ComputeConfig): CpuArchitecture {
  return compute.architecture ?? "arm64";
}

/**
 * The platform branches the bundle runs on, and the regular expression that matches the solution stack names of
 * their platform versions (`64bit Amazon Linux 2023 v4.9.0 running Python 3.11`: EB "Supported platforms", Python).
 * Only AL2023 with Python 3.11: the bundle carries cp311 wheels (app/scripts/build_bundle.py) and no compiler runs
 * on the instances, so pip on another Python would find nothing to install. Dots are written `[.]`, not `\\.`: cdktf's
 * HCL export copies strings without escaping backslashes, and Terraform rejects `\\.` as an escape sequence.
 */
export const PLATFORM_BRANCHES: Readonly<Record<string, string>> = {
  "Python 3.11 running on 64bit Amazon Linux 2023":
    "^64bit Amazon Linux 2023 v[0-9]+[.][0-9]+[.][0-9]+ running Python 3[.]11$",
};

/**
 * The memory (MiB) Fargate accepts for each CPU size: 256 -> 512, 1024, 2048; 512 -> 1024-4096; 1024 -> 2048-8192;
 * 2048 -> 4096-16384; 4096 -> 8192-30720; from 1024 on in steps of 1024 (ECS API reference, RegisterTaskDefinition
 * `memory`; "Troubleshoot Amazon ECS task definition invalid CPU or memory errors",
 * https://docs.aws.amazon.com/AmazonECS/latest/userguide/task-cpu-memory-error.html).
 */
export const FARGATE_MEMORY_MIB: Readonly<Record<FargateCpu, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: steps(1024, 4096),
  1024: steps(2048, 8192),
  2048: steps(4096, 16384),
  4096: steps(8192, 30720),
};

function steps(from: number, to: number): number[] {
  return Array.from({ length: (to - from) / 1024 + 1 }, (_, i) => from + i * 1024);
}
