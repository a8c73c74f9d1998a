import { Testing } from "cdktf";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { PrivateBucket, PrivateBucketProps } from "../../../constructs/storage/private-bucket";
import {
  onlyResource,
  refOf,
  resourcesOf,
  statementBySid,
  synthConstruct,
  parsePolicy,
} from "../../../test-support/synth";

const kmsBucket: PrivateBucketProps = {
  bucketName: "example-data",
  encryption: { kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/k" },
};

function synthBucket(props: PrivateBucketProps = kmsBucket, extra?: (bucket: PrivateBucket) => void) {
  const json = Testing.synthScope((scope) => {
    const bucket = new PrivateBucket(scope, "data", props);
    extra?.(bucket);
  });
  return { json, parsed: JSON.parse(json) };
}

describe("PrivateBucket", () => {
  test("blocks all four kinds of public access", () => {
    expect(synthBucket().json).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  test("disables ACLs and is never force-destroyed", () => {
    const { json } = synthBucket();
    expect(json).toHaveResourceWithProperties(S3BucketOwnershipControls, {
      rule: { object_ownership: "BucketOwnerEnforced" },
    });
    expect(json).toHaveResourceWithProperties(S3Bucket, { bucket: "example-data", force_destroy: false });
  });

  test("encrypts with the customer key and a bucket key", () => {
    expect(synthBucket().json).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      rule: [
        {
          apply_server_side_encryption_by_default: {
            sse_algorithm: "aws:kms",
            kms_master_key_id: "arn:aws:kms:eu-west-1:123456789012:key/k",
          },
          bucket_key_enabled: true,
        },
      ],
    });
  });

  test("uses SSE-S3 when asked (log targets)", () => {
    expect(synthBucket({ bucketName: "logs", encryption: "SSE-S3" }).json).toHaveResourceWithProperties(
      S3BucketServerSideEncryptionConfigurationA,
      { rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }] },
    );
  });

  test("is versioned by default and expires noncurrent versions", () => {
    const { json, parsed } = synthBucket({ ...kmsBucket, noncurrentVersionExpirationDays: 12 });
    expect(json).toHaveResourceWithProperties(S3BucketVersioningA, {
      versioning_configuration: { status: "Enabled" },
    });
    const rules = onlyResource(parsed, "aws_s3_bucket_lifecycle_configuration").rule as Record<
      string,
      unknown
    >[];
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: "abort-incomplete-multipart-uploads",
          abort_incomplete_multipart_upload: [{ days_after_initiation: 1 }],
        }),
        expect.objectContaining({
          id: "expire-noncurrent-versions",
          noncurrent_version_expiration: [{ noncurrent_days: 12 }],
        }),
      ]),
    );
  });

  test("expires current objects when configured", () => {
    const { parsed } = synthBucket({
      bucketName: "logs",
      encryption: "SSE-S3",
      versioned: false,
      expirationDays: 30,
    });
    const rules = onlyResource(parsed, "aws_s3_bucket_lifecycle_configuration").rule as Record<
      string,
      unknown
    >[];
    expect(rules).toContainEqual(
      expect.objectContaining({ id: "expire-objects", expiration: [{ days: 30 }] }),
    );
    expect(rules.map((r) => r.id)).not.toContain("expire-noncurrent-versions");
  });

  test("denies plain HTTP and TLS older than 1.2 on bucket and objects", () => {
    const { parsed } = synthBucket();
    const policy = onlyResource(parsed, "aws_s3_bucket_policy");
    const [bucketName] = Object.keys(resourcesOf(parsed, "aws_s3_bucket"));
    const bucketArn = refOf("aws_s3_bucket", bucketName, "arn");
    const insecure = statementBySid(policy.policy, "DenyInsecureTransport");
    expect(insecure).toMatchObject({
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    expect(insecure.Resource).toEqual([bucketArn, `${bucketArn}/*`]);
    expect(statementBySid(policy.policy, "DenyOutdatedTls")).toMatchObject({
      Effect: "Deny",
      Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
    });
  });

  test("creates the policy after the public-access block", () => {
    const { parsed } = synthBucket();
    const [blockName] = Object.keys(resourcesOf(parsed, "aws_s3_bucket_public_access_block"));
    expect(onlyResource(parsed, "aws_s3_bucket_policy").depends_on).toEqual([
      `aws_s3_bucket_public_access_block.${blockName}`,
    ]);
  });

  test("adds statements given later and refuses duplicate Sids", () => {
    const extra = {
      Sid: "DenyOthers",
      Effect: "Deny" as const,
      Principal: "*" as const,
      Action: "s3:DeleteObject",
      Resource: "x",
    };
    const { parsed } = synthBucket(kmsBucket, (b) => b.addPolicyStatements(extra));
    expect(parsePolicy(onlyResource(parsed, "aws_s3_bucket_policy").policy).Statement).toContainEqual(extra);
    expect(() => synthBucket(kmsBucket, (b) => b.addPolicyStatements(extra, extra))).toThrow(
      /Duplicate policy statement Sid/,
    );
  });

  test("logs access and refuses destroy when asked", () => {
    const parsed = synthConstruct((scope) => {
      new PrivateBucket(scope, "data", {
        ...kmsBucket,
        preventDestroy: true,
        accessLogs: { targetBucket: "logs", targetPrefix: "s3/data/" },
      });
    });
    expect(onlyResource(parsed, "aws_s3_bucket").lifecycle).toEqual({ prevent_destroy: true });
    expect(onlyResource(parsed, "aws_s3_bucket_logging")).toMatchObject({
      target_bucket: "logs",
      target_prefix: "s3/data/",
    });
  });
});
