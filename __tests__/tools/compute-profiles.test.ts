import { ProjectConfig, projectConfig } from "../../config";
import { profileCosts, profileOf, withPaperEnvironments } from "../../tools/compute-profiles";

/** A configuration whose environments carry a `compute` (the seam's shape), built from the shipped one. */
function withComputes(): ProjectConfig {
  const [dev, prod] = projectConfig.environments;
  const env = (base: typeof dev, name: string, compute: object) => ({ ...base, name, compute });
  return {
    ...projectConfig,
    environments: [
      env(dev, "dev", { kind: "beanstalk", instanceType: "t4g.micro", minInstances: 1, maxInstances: 2 }),
      env(prod, "prod", { kind: "beanstalk", instanceType: "t4g.small", minInstances: 2, maxInstances: 6 }),
      env(dev, "dev-fargate", { kind: "fargate", cpu: 256, memoryMiB: 512, minTasks: 1, maxTasks: 2 }),
      env(dev, "dev-ec2", { kind: "ec2", instanceType: "t4g.micro", minInstances: 1, maxInstances: 2 }),
    ] as unknown as ProjectConfig["environments"],
  };
}

describe("every compute in both profiles", () => {
  test("the profile is what the environment name starts with", () => {
    expect(["dev", "prod", "dev-fargate", "prod-ec2"].map(profileOf)).toEqual(["dev", "prod", "dev", "prod"]);
  });

  test("a compute built in one profile only is added on paper in the other: its settings, the profile's counts and instance type", () => {
    const { config, onPaper } = withPaperEnvironments(withComputes());
    expect([...onPaper].sort()).toEqual(["app-prod-ec2", "app-prod-fargate"]);
    const byName = Object.fromEntries(
      config.environments.map((e) => [e.name, e as unknown as Record<string, unknown>]),
    );
    const prod = byName.prod;
    for (const [name, counts] of [
      ["prod-fargate", { kind: "fargate", cpu: 256, memoryMiB: 512, minTasks: 2, maxTasks: 6 }],
      ["prod-ec2", { kind: "ec2", instanceType: "t4g.small", minInstances: 2, maxInstances: 6 }],
    ] as const) {
      expect(byName[name].compute).toEqual(counts);
      for (const setting of [
        "highlyAvailable",
        "azCount",
        "endpointPlacement",
        "waf",
        "logRetentionDays",
        "domain",
      ]) {
        expect([name, setting, byName[name][setting]]).toEqual([name, setting, prod[setting]]);
      }
    }
  });

  test("a configuration with one compute kind adds nothing", () => {
    const beanstalkOnly = {
      ...projectConfig,
      environments: projectConfig.environments.filter((e) => e.compute.kind === "beanstalk"),
    };
    expect(withPaperEnvironments(beanstalkOnly).config).toEqual(beanstalkOnly);
  });

  test("the shipped configuration: Fargate and EC2 in prod on paper, nothing else", () => {
    const built = new Set(projectConfig.environments.map((e) => e.compute.kind));
    const expected = ["fargate", "ec2"].filter((k) => built.has(k as "fargate")).map((k) => `app-prod-${k}`);
    expect([...withPaperEnvironments(projectConfig).onPaper].sort()).toEqual(expected.sort());
  });

  test("rows come in compute then profile order, EKS last and on paper", () => {
    const rows = profileCosts();
    const kinds = rows.map((r) => `${r.kind}/${r.profile}`);
    expect(kinds.slice(-2)).toEqual(["eks/dev", "eks/prod"]);
    expect(kinds[0]).toBe("beanstalk/dev");
    expect(rows.filter((r) => r.kind === "eks").every((r) => r.onPaper)).toBe(true);
  });
});
