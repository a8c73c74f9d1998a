import { synthProject } from "../test-support/synth";
import { problemsOf } from "../test-support/config-problems";
import {
  EnvironmentConfig,
  PLATFORM_BRANCHES,
  environmentWarnings,
  ProjectConfig,
  projectConfig,
  validateConfig,
} from "../config";

const [dev, prod] = projectConfig.environments;

function withEnv(index: number, change: Partial<EnvironmentConfig>): ProjectConfig {
  return {
    ...projectConfig,
    environments: projectConfig.environments.map((env, i) => (i === index ? { ...env, ...change } : env)),
  };
}

describe("configuration", () => {
  test("the shipped configuration is valid and has dev and prod (and dev on Fargate)", () => {
    expect(() => validateConfig(projectConfig)).not.toThrow();
    expect(projectConfig.environments.map((e) => e.name)).toEqual(["dev", "prod", "dev-fargate"]);
    expect(prod.highlyAvailable).toBe(true);
    expect(prod.azCount).toBeGreaterThanOrEqual(2);
    expect(prod.compute).toMatchObject({ kind: "beanstalk" });
    expect(dev.compute).toMatchObject({ kind: "beanstalk" });
  });

  test.each<[string, number, Partial<EnvironmentConfig>, string]>([
    ["a bad CIDR", 0, { vpcCidr: "10.0.0.300/16" }, "environments.dev.vpcCidr"],
    [
      "two alarm emails in one",
      0,
      { operations: { ...dev.operations, alarmEmail: "a@example.com,b@example.com" } },
      "environments.dev.operations.alarmEmail",
    ],
    [
      "a negative budget allowance",
      0,
      { operations: { ...dev.operations, budgetUsageAllowanceUsd: -1 } },
      "environments.dev.operations.budgetUsageAllowanceUsd",
    ],
    [
      "an error rate above 100 %",
      0,
      { operations: { ...dev.operations, alarmThresholds: { errorRatePercent: 150 } } },
      "environments.dev.operations.alarmThresholds.errorRatePercent",
    ],
    [
      "a health level that is not a level",
      1,
      { operations: { ...prod.operations, alarmThresholds: { environmentHealthLevel: 10 as never } } },
      "environments.prod.operations.alarmThresholds.environmentHealthLevel",
    ],
    ["no operations block", 0, { operations: undefined as never }, "environments.dev.operations"],
    ["host bits in a CIDR", 0, { vpcCidr: "10.0.0.1/16" }, "environments.dev.vpcCidr"],
    ["a VPC larger than /16", 0, { vpcCidr: "10.0.0.0/8" }, "environments.dev.vpcCidr"],
    ["1 AZ in prod", 1, { azCount: 1 }, "environments.prod.azCount"],
    ["4 AZs", 0, { azCount: 4 }, "environments.dev.azCount"],
    ["an unknown region", 0, { region: "eu-westish-9" }, "environments.dev.region"],
    [
      "single-AZ endpoints in prod",
      1,
      { endpointPlacement: "single-az" },
      "environments.prod.endpointPlacement",
    ],
    ["short log retention in prod", 1, { logRetentionDays: 30 }, "environments.prod.logRetentionDays"],
    [
      "no deletion protection in prod",
      1,
      { deletionProtection: false },
      "environments.prod.deletionProtection",
    ],
    ["a retention CloudWatch refuses", 0, { logRetentionDays: 10 }, "environments.dev.logRetentionDays"],
    [
      "a bad ingress CIDR",
      0,
      { allowedIngressCidrs: ["1.2.3.4"] },
      "environments.dev.allowedIngressCidrs[0]",
    ],
    ["no ingress CIDR", 0, { allowedIngressCidrs: [] }, "environments.dev.allowedIngressCidrs"],
    [
      "more ingress CIDRs than the public NACL can hold",
      0,
      { allowedIngressCidrs: [...Array(9).keys()].map((i) => `198.51.100.${i * 16}/28`) },
      "environments.dev.allowedIngressCidrs",
    ],
    [
      "both domain and certificate",
      0,
      {
        domain: { domainName: "images.example.com", hostedZoneId: "Z0123456789ABC" },
        certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012",
      },
      "environments.dev.certificateArn",
    ],
    [
      "a certificate from another region",
      0,
      {
        certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012",
      },
      "environments.dev.certificateArn",
    ],
    [
      "a bad hosted zone",
      0,
      { domain: { domainName: "images.example.com", hostedZoneId: "zone" } },
      "environments.dev.domain.hostedZoneId",
    ],
    ["an upload limit of 0", 0, { uploadLimitMb: 0 }, "environments.dev.uploadLimitMb"],
    ["a bad key admin ARN", 0, { keyAdminRoleArn: "admin" }, "environments.dev.keyAdminRoleArn"],
    [
      "a certificate without its host name",
      0,
      {
        certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012",
      },
      "environments.dev.certificateHostName",
    ],
    [
      "a host name without a certificate",
      0,
      { certificateHostName: "images.example.org" },
      "environments.dev.certificateHostName",
    ],
    [
      "a malformed certificate host name",
      0,
      {
        certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012",
        certificateHostName: "Images_Example",
      },
      "environments.dev.certificateHostName",
    ],
  ])("rejects %s, naming the setting", (_label, index, change, setting) => {
    const problems = problemsOf(withEnv(index, change));
    expect(problems.some((p) => p.startsWith(`${setting}:`))).toBe(true);
  });

  test("production refuses plain HTTP unless allowPlainHttp says so; dev stays plain HTTP by default", () => {
    const plainProd = { domain: undefined, certificateArn: undefined, certificateHostName: undefined };
    expect(problemsOf(withEnv(1, plainProd))).toEqual([
      expect.stringMatching(/^environments\.prod\.domain: .*allowPlainHttp/),
    ]);
    expect(problemsOf(withEnv(1, { ...plainProd, allowPlainHttp: true }))).toEqual([]);
    expect(problemsOf(withEnv(1, { allowPlainHttp: true }))).toEqual([
      expect.stringMatching(/^environments\.prod\.allowPlainHttp: /),
    ]);
    expect(prod.highlyAvailable && prod.domain !== undefined && prod.allowPlainHttp !== true).toBe(true);
    expect([dev.domain, dev.certificateArn, dev.highlyAvailable]).toEqual([undefined, undefined, false]);
  });

  test("warns loudly about plain HTTP and about a placeholder domain, not about a real one", () => {
    expect(environmentWarnings(dev)).toEqual([expect.stringMatching(/^environments\.dev: PLAIN HTTP ONLY/)]);
    expect(environmentWarnings(prod)).toEqual([
      'environments.prod.domain.domainName: "images.example.com" is a placeholder (a reserved name, RFC 2606): replace it before deploying',
    ]);
    expect(
      environmentWarnings({ ...prod, domain: { domainName: "images.acme.io", hostedZoneId: "Z123" } }),
    ).toEqual([]);
  });

  test("the error message lists every wrong setting", () => {
    const config = withEnv(0, { vpcCidr: "nope", region: "mars-1" });
    expect(() => validateConfig(config)).toThrow(
      /environments\.dev\.region.*\n.*environments\.dev\.vpcCidr/s,
    );
  });

  test("rejects bad state settings", () => {
    const problems = problemsOf({
      ...projectConfig,
      state: {
        ...projectConfig.state,
        bucketName: "Bad_Bucket",
        region: "nowhere-1",
        kmsKeyAlias: "alias/aws/s3",
      },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^state\.bucketName:/),
        expect.stringMatching(/^state\.region:/),
        expect.stringMatching(/^state\.kmsKeyAlias:/),
      ]),
    );
  });

  test("rejects duplicate environment names", () => {
    const problems = problemsOf({ ...projectConfig, environments: [dev, dev] });
    expect(problems).toContain("environments.dev.name: duplicate environment name");
  });

  test("a valid domain and a valid certificate are each accepted", () => {
    expect(
      problemsOf(
        withEnv(0, { domain: { domainName: "images.example.com", hostedZoneId: "Z0123456789ABC" } }),
      ),
    ).toEqual([]);
    expect(
      problemsOf(
        withEnv(0, {
          certificateArn:
            "arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012",
          certificateHostName: "images.example.org",
        }),
      ),
    ).toEqual([]);
  });

  test("the platform branch's lookup matches every version of that branch and nothing else", () => {
    const regex = new RegExp(PLATFORM_BRANCHES["Python 3.11 running on 64bit Amazon Linux 2023"]);
    for (const name of [
      "64bit Amazon Linux 2023 v4.9.0 running Python 3.11",
      "64bit Amazon Linux 2023 v4.10.12 running Python 3.11",
    ])
      expect(name).toMatch(regex);
    for (const name of [
      "64bit Amazon Linux 2023 v4.9.0 running Python 3.12",
      "64bit Amazon Linux 2023 v4.9.0 running Python 3.1",
      "64bit Amazon Linux 2 v3.5.0 running Python 3.11",
      "64bit Amazon Linux 2023 v4.9.0 running Python 3.11 (BETA)",
      "64bit Amazon Linux 2023 v4x9y0 running Python 3.11",
    ])
      expect(name).not.toMatch(regex);
    expect(Object.keys(PLATFORM_BRANCHES)).toEqual(["Python 3.11 running on 64bit Amazon Linux 2023"]);
  });

  test("synthesis fails with the message when the configuration is wrong", () => {
    expect(() => synthProject(withEnv(1, { azCount: 1 }))).toThrow(/environments\.prod\.azCount/);
  });
});
