/**
 * The EC2 instance role's own statements (a policy module: plain data, imports only constructs/policies/). The app's
 * S3 prefixes and the data key through S3 come from the storage grant the stack attaches to the app role
 * (prefixAccessStatements); what only an EC2 instance needs is here: reading its release bundle and writing its log.
 */
import { PolicyStatement } from "../../policies/document";
import { logGroupArn } from "../../policies/arns";
import { LOG_STREAM_WRITE_ACTIONS } from "../../policies/logs";

/** Key prefix of the EC2 release bundles in the artifacts bucket. */
export const EC2_BUNDLE_PREFIX = "ec2-bundles/";

/** What the statements are about. */
export interface Ec2InstanceScope {
  /** Region of the instances, the artifacts bucket and the log group. */
  readonly region: string;
  /** Account of the role (a token is fine). */
  readonly accountId: string;
  /** Artifacts bucket ARN (holds the release bundles). */
  readonly artifactsBucketArn: string;
  /** KMS key that encrypts the artifacts bucket. */
  readonly artifactsKeyArn: string;
  /** The app's log group (the CloudWatch agent writes into it). */
  readonly logGroupName: string;
}

/**
 * Reading the release bundles (boot script: `aws s3api get-object`, S3 API reference: GetObject needs
 * s3:GetObject) and decrypting them, the KMS call S3 makes for the caller only via S3 in this region and only for
 * the artifacts bucket (with an S3 Bucket Key the encryption context is the bucket ARN: S3 User Guide, "Reducing the
 * cost of SSE-KMS with Amazon S3 Bucket Keys"). No ListBucket: the script names the exact key.
 */
export function bundleReadStatements(scope: Ec2InstanceScope): PolicyStatement[] {
  return [
    {
      Sid: "ReadReleaseBundles",
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: `${scope.artifactsBucketArn}/${EC2_BUNDLE_PREFIX}*`,
    },
    {
      Sid: "DecryptReleaseBundlesViaS3",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: scope.artifactsKeyArn,
      Condition: {
        StringEquals: {
          "kms:ViaService": `s3.${scope.region}.amazonaws.com`,
          "kms:EncryptionContext:aws:s3:arn": scope.artifactsBucketArn,
        },
      },
    },
  ];
}

/**
 * The CloudWatch agent writing the app log: its own stream per instance in the app's group (CloudWatch agent guide,
 * "Create IAM roles and users for use with the CloudWatch agent": CreateLogStream, PutLogEvents,
 * DescribeLogStreams). No CreateLogGroup (the stack creates the group, encrypted) and no PutRetentionPolicy (the
 * agent calls it only when its configuration sets retention_in_days).
 */
export function logWriteStatements(scope: Ec2InstanceScope): PolicyStatement[] {
  const group = logGroupArn(scope.region, scope.accountId, scope.logGroupName);
  return [
    {
      Sid: "WriteAppLog",
      Effect: "Allow",
      Action: [...LOG_STREAM_WRITE_ACTIONS],
      Resource: [group, `${group}:log-stream:*`],
    },
  ];
}

/** Everything the instance role holds besides the storage grant (and Session Manager's, when that is on). */
export function instanceStatements(scope: Ec2InstanceScope): PolicyStatement[] {
  return [...bundleReadStatements(scope), ...logWriteStatements(scope)];
}
