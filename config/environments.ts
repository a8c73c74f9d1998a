import { ProjectConfig } from "./types";

/**
 * The only place with literals such as CIDRs, instance types and retention days.
 * `dev` is the cheapest shape that still meets every security requirement; `prod` is highly available.
 */
export const projectConfig: ProjectConfig = {
  project: "imageshare",
  state: {
    region: "eu-west-1",
    // Bucket names are global: change this before the first `cdktf deploy state`.
    bucketName: "imageshare-terraform-state-eu-west-1",
    lockTableName: "imageshare-terraform-locks",
    kmsKeyAlias: "alias/imageshare-terraform-state",
    noncurrentVersionExpirationDays: 90,
  },
  environments: [
    {
      name: "dev",
      highlyAvailable: false,
      region: "eu-west-1",
      vpcCidr: "10.20.0.0/16",
      azCount: 2,
      compute: {
        kind: "beanstalk",
        instanceType: "t4g.micro",
        architecture: "arm64",
        minInstances: 1,
        maxInstances: 2,
        // The branch only: EB creates environments only on a current version of it, resolved at plan time.
        platformBranch: "Python 3.11 running on 64bit Amazon Linux 2023",
        sessionManager: false,
      },
      endpointPlacement: "single-az",
      allowedIngressCidrs: ["0.0.0.0/0"],
      logRetentionDays: 30,
      accessLogExpirationDays: 30,
      noncurrentVersionExpirationDays: 7,
      deletionProtection: false,
      waf: false,
      // No domain: plain HTTP on port 80 only, NOT for production (`cdktf synth` and `make summary` warn).
      uploadLimitMb: 10,
      // Usage on top of make cost's fixed estimate: its "small" scenario adds about $2.50 (docs/cost.md).
      operations: { budgetUsageAllowanceUsd: 15 },
    },
    {
      name: "prod",
      highlyAvailable: true,
      region: "eu-west-1",
      vpcCidr: "10.30.0.0/16",
      azCount: 3,
      compute: {
        kind: "beanstalk",
        instanceType: "t4g.small",
        architecture: "arm64",
        minInstances: 2,
        maxInstances: 6,
        platformBranch: "Python 3.11 running on 64bit Amazon Linux 2023",
        sessionManager: false,
      },
      endpointPlacement: "all-azs",
      allowedIngressCidrs: ["0.0.0.0/0"],
      logRetentionDays: 365,
      accessLogExpirationDays: 365,
      noncurrentVersionExpirationDays: 30,
      deletionProtection: true,
      waf: true,
      // PLACEHOLDERS: replace both with your domain and its Route 53 public hosted zone before deploying prod (the
      // stack creates and DNS-validates an ACM certificate for it). Production refuses to synthesize without TLS
      // unless `allowPlainHttp: true` says so (README, TLS).
      domain: { domainName: "images.example.com", hostedZoneId: "ZREPLACEWITHYOURZONEID" },
      uploadLimitMb: 10,
      // Usage on top of the fixed estimate: the "medium" scenario adds about $52 (docs/cost.md). Set alarmEmail to
      // the on-call address before the first deploy: without it synthesis warns that alarms reach nobody.
      operations: { budgetUsageAllowanceUsd: 60 },
    },
    {
      // dev's shape on ECS Fargate (issue 20): the same app and no-internet posture, from the image `make image`
      // builds. Deploy order: registry-dev-fargate, `make push`, app-dev-fargate (docs/deploy.md).
      name: "dev-fargate",
      highlyAvailable: false,
      region: "eu-west-1",
      vpcCidr: "10.21.0.0/16",
      azCount: 2,
      compute: {
        kind: "fargate",
        // 0.25 vCPU, 0.5 GB on Graviton: the smallest Fargate task (about $7 a month).
        cpu: 256,
        memoryMiB: 512,
        minTasks: 1,
        maxTasks: 2,
        architecture: "arm64",
      },
      endpointPlacement: "single-az",
      allowedIngressCidrs: ["0.0.0.0/0"],
      logRetentionDays: 30,
      accessLogExpirationDays: 30,
      noncurrentVersionExpirationDays: 7,
      deletionProtection: false,
      waf: false,
      // No domain: plain HTTP on port 80 only, NOT for production (as dev).
      uploadLimitMb: 10,
      operations: { budgetUsageAllowanceUsd: 15 },
    },
    {
      // dev on the cheapest compute: an EC2 Auto Scaling group of AL2023 instances (issue 21, docs/ec2.md).
      name: "dev-ec2",
      highlyAvailable: false,
      region: "eu-west-1",
      vpcCidr: "10.23.0.0/16",
      azCount: 2,
      compute: {
        kind: "ec2",
        instanceType: "t4g.micro",
        architecture: "arm64",
        minInstances: 1,
        maxInstances: 2,
        detailedMonitoring: false,
        // dnf installs Python 3.11 and the CloudWatch agent from this release's repositories; bump it with the AMI
        // (docs/ec2.md, "Patching").
        al2023Release: "2023.9.20251208",
        sessionManager: false,
      },
      endpointPlacement: "single-az",
      allowedIngressCidrs: ["0.0.0.0/0"],
      logRetentionDays: 30,
      accessLogExpirationDays: 30,
      noncurrentVersionExpirationDays: 7,
      deletionProtection: false,
      waf: false,
      // No domain: plain HTTP on port 80 only, NOT for production (`cdktf synth` and `make summary` warn).
      uploadLimitMb: 10,
      operations: { budgetUsageAllowanceUsd: 15 },
    },
  ],
};
