import { floorCapacity } from "../../tools/compute-capacity";

describe("the floor of a compute, in vCPUs", () => {
  test("burstable instances: min × vCPUs × baseline sustained, min × vCPUs on credits", () => {
    const floor = floorCapacity({
      kind: "ec2",
      instanceType: "t4g.small",
      architecture: "arm64",
      minInstances: 2,
      maxInstances: 6,
      detailedMonitoring: false,
      al2023Release: "2023.9.20251208",
    });
    expect(floor).toMatchObject({ scaling: "2–6 instances", sustainedVcpu: 0.8, burstVcpu: 4 });
  });

  test("Fargate tasks: CPU units ÷ 1024 per task, no credits", () => {
    const floor = floorCapacity({ kind: "fargate", cpu: 256, memoryMiB: 512, minTasks: 2, maxTasks: 4 });
    expect(floor).toMatchObject({ scaling: "2–4 tasks", sustainedVcpu: 0.5, burstVcpu: 0.5 });
  });

  test("an instance type without a known baseline gives no figure rather than a guess", () => {
    const compute = {
      kind: "beanstalk",
      instanceType: "m7g.large",
      architecture: "arm64",
      minInstances: 1,
      maxInstances: 2,
      platformBranch: "Python 3.11 running on 64bit Amazon Linux 2023",
      sessionManager: false,
    } as const;
    expect(floorCapacity(compute)).toBeUndefined();
  });
});
