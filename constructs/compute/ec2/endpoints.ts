/**
 * What EC2 instances with no internet route need from VPC endpoints, and their policies (a policy module). Exactly:
 * the S3 gateway (AL2023 repositories for dnf, the release bundles; the images bucket is added by the stack from the
 * app's grant) and `logs` for the CloudWatch agent; Session Manager's three only when asked for. Not needed: `ec2`,
 * `sts`, `kms` (S3 calls KMS itself), `ssm` without Session Manager (nothing reads parameters on the instance: the AMI
 * parameter is resolved by Terraform at plan time), `monitoring` (detailed monitoring is collected by EC2 itself,
 * and the agent sends no metrics).
 */
import { PolicyStatement } from "../../policies/document";
import { logGroupArn } from "../../policies/arns";
import { LOG_STREAM_WRITE_ACTIONS } from "../../policies/logs";
import { thisAccountOnlyStatement } from "../../policies/this-account";
import { InterfaceEndpointSpec } from "../../policies/vpc-endpoints";
import { sessionManagerEndpoints } from "../../policies/session-manager";
import { EC2_BUNDLE_PREFIX } from "./policies";

/** The AWS-owned bucket behind AL2023's dnf repositories in a region (AL2023 user guide, and its mirror list URL). */
export function al2023RepositoryBucketArn(region: string): string {
  return `arn:aws:s3:::al2023-repos-${region}-de612dc2`;
}

/**
 * The S3 gateway endpoint's statements for EC2 instances. dnf reads the AL2023 repositories anonymously (no
 * principal of this account signs those requests), so that statement names the bucket instead; the bundle read is
 * signed by the instance role, so it admits this account's principals only.
 */
export function ec2GatewayStatements(
  region: string,
  accountId: string,
  artifactsBucketArn: string,
): PolicyStatement[] {
  return [
    {
      Sid: "AmazonLinux2023Repositories",
      Effect: "Allow",
      Principal: "*",
      Action: "s3:GetObject",
      Resource: `${al2023RepositoryBucketArn(region)}/*`,
    },
    thisAccountOnlyStatement(
      "ReleaseBundles",
      "s3:GetObject",
      `${artifactsBucketArn}/${EC2_BUNDLE_PREFIX}*`,
      accountId,
    ),
  ];
}

/**
 * The interface endpoints: `logs` (the CloudWatch agent, signed by the instance role: this account's principals and
 * the app's group only); with `sessionManager`, `ssm`, `ssmmessages` and `ec2messages` (Systems Manager guide,
 * "Improve the security of EC2 instances by using VPC endpoints for Systems Manager").
 */
export function ec2InterfaceEndpoints(
  region: string,
  accountId: string,
  logGroupName: string,
  sessionManager: boolean,
): InterfaceEndpointSpec[] {
  const group = logGroupArn(region, accountId, logGroupName);
  const specs: InterfaceEndpointSpec[] = [
    {
      service: "logs",
      statements: [
        thisAccountOnlyStatement(
          "AppLogGroupOfThisAccount",
          [...LOG_STREAM_WRITE_ACTIONS],
          [group, `${group}:log-stream:*`],
          accountId,
        ),
      ],
    },
  ];
  return sessionManager ? [...specs, ...sessionManagerEndpoints(accountId)] : specs;
}
