/** The `compute` setting: a known kind, then that kind's own settings, each problem named by its path. */
import { synthProject } from "../../test-support/synth";
import { problemsOf } from "../../test-support/config-problems";
import { ComputeConfig, ProjectConfig, projectConfig } from "../../config";
import { FARGATE_MEMORY_MIB } from "../../shared/compute-config";

const [dev, prod] = projectConfig.environments;
const beanstalk = dev.compute as Extract<ComputeConfig, { kind: "beanstalk" }>;

const FARGATE: ComputeConfig = { kind: "fargate", cpu: 256, memoryMiB: 512, minTasks: 1, maxTasks: 2 };
const EC2: ComputeConfig = {
  kind: "ec2",
  instanceType: "t4g.micro",
  architecture: "arm64",
  minInstances: 1,
  maxInstances: 2,
  detailedMonitoring: false,
  al2023Release: "2023.9.20251208",
};

function withCompute(index: number, compute: unknown): ProjectConfig {
  return {
    ...projectConfig,
    environments: projectConfig.environments.map((env, i) =>
      i === index ? { ...env, compute: compute as ComputeConfig } : env,
    ),
  };
}

describe("environments.<env>.compute", () => {
  test("dev and prod run on Beanstalk, and a valid setting of each kind is accepted", () => {
    expect([dev.compute.kind, prod.compute.kind]).toEqual(["beanstalk", "beanstalk"]);
    expect(problemsOf(withCompute(0, FARGATE))).toEqual([]);
    expect(problemsOf(withCompute(0, EC2))).toEqual([]);
    expect(
      problemsOf(withCompute(0, { ...FARGATE, cpu: 4096, memoryMiB: 30720, architecture: "x86_64" })),
    ).toEqual([]);
  });

  test.each<[string, number, unknown, string]>([
    ["no compute", 0, undefined, "environments.dev.compute"],
    ["an unknown kind", 0, { ...beanstalk, kind: "lambda" }, "environments.dev.compute.kind"],
    ["no kind", 0, { ...beanstalk, kind: undefined }, "environments.dev.compute.kind"],
    // Beanstalk
    [
      "min > max",
      0,
      { ...beanstalk, minInstances: 3, maxInstances: 2 },
      "environments.dev.compute.minInstances",
    ],
    ["no instance", 0, { ...beanstalk, minInstances: 0 }, "environments.dev.compute.minInstances"],
    ["a fleet of 1000", 0, { ...beanstalk, maxInstances: 1000 }, "environments.dev.compute.maxInstances"],
    [
      "an arm type on x86_64",
      0,
      { ...beanstalk, architecture: "x86_64" },
      "environments.dev.compute.architecture",
    ],
    [
      "an x86 type on arm64",
      0,
      { ...beanstalk, instanceType: "t3.micro" },
      "environments.dev.compute.architecture",
    ],
    [
      "a malformed instance type",
      0,
      { ...beanstalk, instanceType: "large" },
      "environments.dev.compute.instanceType",
    ],
    [
      "one instance in prod",
      1,
      { ...prod.compute, minInstances: 1 },
      "environments.prod.compute.minInstances",
    ],
    [
      "a sessionManager that is not a boolean",
      0,
      { ...beanstalk, sessionManager: "yes" },
      "environments.dev.compute.sessionManager",
    ],
    [
      "a non-AL2023 platform branch",
      0,
      { ...beanstalk, platformBranch: "Python 3.11 running on 64bit Amazon Linux 2" },
      "environments.dev.compute.platformBranch",
    ],
    [
      "a Python the bundle's wheels do not match",
      0,
      { ...beanstalk, platformBranch: "Python 3.12 running on 64bit Amazon Linux 2023" },
      "environments.dev.compute.platformBranch",
    ],
    [
      "a pinned platform version instead of a branch",
      0,
      { ...beanstalk, platformBranch: "64bit Amazon Linux 2023 v4.9.0 running Python 3.11" },
      "environments.dev.compute.platformBranch",
    ],
    // Fargate
    ["a CPU size Fargate does not have", 0, { ...FARGATE, cpu: 300 }, "environments.dev.compute.cpu"],
    [
      "too much memory for 256 units",
      0,
      { ...FARGATE, memoryMiB: 4096 },
      "environments.dev.compute.memoryMiB",
    ],
    [
      "memory off the 1024 steps",
      0,
      { ...FARGATE, cpu: 1024, memoryMiB: 2500 },
      "environments.dev.compute.memoryMiB",
    ],
    [
      "min tasks > max tasks",
      0,
      { ...FARGATE, minTasks: 3, maxTasks: 2 },
      "environments.dev.compute.minTasks",
    ],
    ["one task in prod", 1, { ...FARGATE, minTasks: 1, maxTasks: 4 }, "environments.prod.compute.minTasks"],
    [
      "a Fargate architecture that is not one",
      0,
      { ...FARGATE, architecture: "arm" },
      "environments.dev.compute.architecture",
    ],
    ["an ecsExec that is not a boolean", 0, { ...FARGATE, ecsExec: 1 }, "environments.dev.compute.ecsExec"],
    // EC2
    [
      "an unpinned AL2023 release",
      0,
      { ...EC2, al2023Release: "latest" },
      "environments.dev.compute.al2023Release",
    ],
    ["desired above max", 0, { ...EC2, desiredInstances: 3 }, "environments.dev.compute.desiredInstances"],
    [
      "an x86 type on arm64 EC2",
      0,
      { ...EC2, instanceType: "m7i.large" },
      "environments.dev.compute.architecture",
    ],
    [
      "no detailedMonitoring",
      0,
      { ...EC2, detailedMonitoring: undefined },
      "environments.dev.compute.detailedMonitoring",
    ],
    [
      "one EC2 instance in prod",
      1,
      { ...EC2, minInstances: 1, maxInstances: 3 },
      "environments.prod.compute.minInstances",
    ],
  ])("rejects %s", (_name, index, compute, setting) => {
    const problems = problemsOf(withCompute(index, compute));
    expect(problems).toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`^${setting.replace(/\./g, "\\.")}: `))]),
    );
  });

  test("Fargate's memory table is the documented one", () => {
    expect(FARGATE_MEMORY_MIB[256]).toEqual([512, 1024, 2048]);
    expect(FARGATE_MEMORY_MIB[512]).toEqual([1024, 2048, 3072, 4096]);
    expect(FARGATE_MEMORY_MIB[1024][0]).toBe(2048);
    expect(FARGATE_MEMORY_MIB[2048]).toHaveLength(13);
    expect(FARGATE_MEMORY_MIB[4096].slice(-1)).toEqual([30720]);
  });

  test("dev on the fargate compute synthesizes (issue 20 built it)", () => {
    expect(Object.keys(synthProject(withCompute(0, FARGATE)))).toContain("app-dev");
  });

  test("dev on the ec2 compute synthesizes (issue 21 built it)", () => {
    expect(Object.keys(synthProject(withCompute(0, EC2)))).toContain("app-dev");
  });
});
