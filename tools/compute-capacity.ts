/**
 * How much app the floor of each compute runs (its minimum instances or tasks), in vCPUs, and so in requests per
 * second from `make bench`'s app CPU per request. App CPU only: S3 latency, the emulator and the network aside.
 */
import { ComputeConfig } from "../config";

/**
 * Burstable Graviton instances: vCPUs and the baseline each vCPU sustains without spending CPU credits (EC2 user
 * guide, "Key concepts and definitions for burstable performance instances", baseline utilization per vCPU).
 */
export const BURSTABLE: Readonly<Record<string, { vcpus: number; baseline: number }>> = {
  "t4g.nano": { vcpus: 2, baseline: 0.05 },
  "t4g.micro": { vcpus: 2, baseline: 0.1 },
  "t4g.small": { vcpus: 2, baseline: 0.2 },
  "t4g.medium": { vcpus: 2, baseline: 0.2 },
  "t4g.large": { vcpus: 2, baseline: 0.3 },
  "t4g.xlarge": { vcpus: 4, baseline: 0.4 },
  "t4g.2xlarge": { vcpus: 8, baseline: 0.4 },
};

export interface FloorCapacity {
  /** e.g. `1 × t4g.micro` or `1 task of 0.25 vCPU`. */
  readonly what: string;
  /** `min–max` instances or tasks the compute scales between. */
  readonly scaling: string;
  /** vCPUs the floor sustains, and while CPU credits last (the same for Fargate: no credits). */
  readonly sustainedVcpu: number;
  readonly burstVcpu: number;
}

/** The floor of a compute's settings; undefined for an instance type without a known baseline. */
export function floorCapacity(compute: ComputeConfig): FloorCapacity | undefined {
  if (compute.kind === "fargate") {
    const vcpu = compute.cpu / 1024;
    return {
      what: `${compute.minTasks} task(s) of ${vcpu} vCPU, ${compute.memoryMiB} MiB`,
      scaling: `${compute.minTasks}–${compute.maxTasks} tasks`,
      sustainedVcpu: compute.minTasks * vcpu,
      burstVcpu: compute.minTasks * vcpu,
    };
  }
  const type = BURSTABLE[compute.instanceType];
  if (!type) return undefined;
  return {
    what: `${compute.minInstances} × ${compute.instanceType} (${type.vcpus} vCPU, ${type.baseline * 100} % baseline each)`,
    scaling: `${compute.minInstances}–${compute.maxInstances} instances`,
    sustainedVcpu: compute.minInstances * type.vcpus * type.baseline,
    burstVcpu: compute.minInstances * type.vcpus,
  };
}
