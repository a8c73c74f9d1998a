/**
 * Validation of an environment's `compute`: the kind, then that kind's own settings. Every message names the
 * setting as `environments.<env>.compute.<setting>` (the caller's `fail` adds `environments.<env>.`).
 */
import {
  BeanstalkComputeConfig,
  COMPUTE_KINDS,
  ComputeConfig,
  Ec2ComputeConfig,
  FARGATE_MEMORY_MIB,
  FargateComputeConfig,
  FargateCpu,
  PLATFORM_BRANCHES,
} from "../shared/compute-config";

type Fail = (setting: string, message: string) => void;

const GRAVITON_FAMILY = /^[a-z]+\d+g[a-z]*$/;
const INSTANCE_TYPE = /^([a-z]+\d+[a-z-]*)\.([a-z0-9]+)$/;
// AL2023 release versions: 2023.<minor>.<yyyymmdd> ("Amazon Linux 2023 release notes", e.g. 2023.9.20251208).
const AL2023_RELEASE = /^2023\.\d+\.20\d{6}$/;
/** At most this many instances or tasks: a typo such as 1000 would otherwise be a bill. */
const MAX_CAPACITY = 100;

/** Checks the compute of one environment: a known kind, then that kind's settings. */
export function validateCompute(compute: ComputeConfig | undefined, fail: Fail): void {
  const failAt: Fail = (setting, message) => fail(`compute.${setting}`, message);
  if (compute === undefined || compute === null || typeof compute !== "object") {
    fail("compute", `is required: { kind: ${COMPUTE_KINDS.map((k) => `"${k}"`).join(" | ")}, ... }`);
    return;
  }
  const kind = (compute as { kind?: unknown }).kind;
  if (kind === "beanstalk") validateBeanstalk(compute as BeanstalkComputeConfig, failAt);
  else if (kind === "fargate") validateFargate(compute as FargateComputeConfig, failAt);
  else if (kind === "ec2") validateEc2(compute as Ec2ComputeConfig, failAt);
  else failAt("kind", `${JSON.stringify(kind)} must be one of ${COMPUTE_KINDS.join(", ")}`);
}

/** The smallest number of instances or tasks the compute runs. */
export function minimumCapacity(compute: ComputeConfig): { setting: string; value: number } {
  return compute.kind === "fargate"
    ? { setting: "compute.minTasks", value: compute.minTasks }
    : { setting: "compute.minInstances", value: compute.minInstances };
}

function validateBeanstalk(compute: BeanstalkComputeConfig, fail: Fail): void {
  validateInstanceType(compute, fail);
  validateCapacity(compute.minInstances, compute.maxInstances, "Instances", fail);
  if (!Object.prototype.hasOwnProperty.call(PLATFORM_BRANCHES, compute.platformBranch)) {
    fail(
      "platformBranch",
      `"${compute.platformBranch}" is not supported: use one of ${Object.keys(PLATFORM_BRANCHES)
        .map((b) => `"${b}"`)
        .join(", ")} (the bundle's wheels are cp311 for Amazon Linux 2023)`,
    );
  }
  if (typeof compute.sessionManager !== "boolean") fail("sessionManager", "must be true or false");
}

function validateFargate(compute: FargateComputeConfig, fail: Fail): void {
  const memory = FARGATE_MEMORY_MIB[compute.cpu as FargateCpu];
  if (memory === undefined) {
    fail("cpu", `${compute.cpu} must be one of ${Object.keys(FARGATE_MEMORY_MIB).join(", ")} vCPU units`);
  } else if (!memory.includes(compute.memoryMiB)) {
    fail(
      "memoryMiB",
      `${compute.memoryMiB} is not a Fargate size for cpu ${compute.cpu}: use ${memory[0]}-${memory[memory.length - 1]}` +
        (compute.cpu === 256 ? ` (${memory.join(", ")})` : " in steps of 1024"),
    );
  }
  validateCapacity(compute.minTasks, compute.maxTasks, "Tasks", fail);
  validateArchitecture(compute.architecture ?? "arm64", fail);
  if (compute.ecsExec !== undefined && typeof compute.ecsExec !== "boolean") {
    fail("ecsExec", "must be true or false");
  }
}

function validateEc2(compute: Ec2ComputeConfig, fail: Fail): void {
  validateInstanceType(compute, fail);
  validateCapacity(compute.minInstances, compute.maxInstances, "Instances", fail);
  const desired = compute.desiredInstances;
  if (
    desired !== undefined &&
    (!Number.isInteger(desired) || desired < compute.minInstances || desired > compute.maxInstances)
  ) {
    fail("desiredInstances", `${desired} must be a whole number between minInstances and maxInstances`);
  }
  if (typeof compute.detailedMonitoring !== "boolean") fail("detailedMonitoring", "must be true or false");
  if (typeof compute.al2023Release !== "string" || !AL2023_RELEASE.test(compute.al2023Release)) {
    fail(
      "al2023Release",
      `"${compute.al2023Release}" is not an AL2023 release version such as 2023.9.20251208`,
    );
  }
  if (compute.sessionManager !== undefined && typeof compute.sessionManager !== "boolean") {
    fail("sessionManager", "must be true or false");
  }
}

/** An EC2 instance type that matches the architecture (Graviton families end in g: t4g, m7g, c7gn...). */
function validateInstanceType(compute: BeanstalkComputeConfig | Ec2ComputeConfig, fail: Fail): void {
  const type = INSTANCE_TYPE.exec(compute.instanceType);
  if (!type) {
    fail("instanceType", `"${compute.instanceType}" is not an EC2 instance type`);
    return;
  }
  if (!validateArchitecture(compute.architecture, fail)) return;
  if (GRAVITON_FAMILY.test(type[1]) !== (compute.architecture === "arm64")) {
    fail("architecture", `${compute.architecture} does not match instance type ${compute.instanceType}`);
  }
}

function validateArchitecture(architecture: string, fail: Fail): boolean {
  if (architecture === "arm64" || architecture === "x86_64") return true;
  fail("architecture", `"${architecture}" must be arm64 or x86_64`);
  return false;
}

/** min >= 1, max <= MAX_CAPACITY, min <= max; `unit` makes the setting names (minInstances, maxTasks...). */
function validateCapacity(min: number, max: number, unit: "Instances" | "Tasks", fail: Fail): void {
  if (!Number.isInteger(min) || min < 1) fail(`min${unit}`, "must be a whole number >= 1");
  if (!Number.isInteger(max) || max > MAX_CAPACITY)
    fail(`max${unit}`, `must be a whole number <= ${MAX_CAPACITY}`);
  if (min > max) fail(`min${unit}`, `${min} is greater than max${unit} ${max}`);
}
