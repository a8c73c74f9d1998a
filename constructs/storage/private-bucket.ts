import { Construct } from "constructs";
import { ITerraformDependable, Lazy } from "cdktf";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import {
  S3BucketServerSideEncryptionConfigurationA,
  S3BucketServerSideEncryptionConfigurationRuleA,
} from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import {
  S3BucketLifecycleConfiguration,
  S3BucketLifecycleConfigurationRule,
} from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { PolicyStatement, policyJson } from "../policies/document";
import { tlsOnlyStatements } from "../policies/s3";

/** Where a bucket's server access logs go. */
export interface BucketAccessLogs {
  readonly targetBucket: string;
  readonly targetPrefix: string;
  /**
   * What logging must wait for: the target's bucket policy granting logging.s3.amazonaws.com (the S3 guide's
   * PutBucketLogging example writes that policy first). @default none
   */
  readonly dependsOn?: ITerraformDependable[];
}

/** SSE-KMS with a customer key and an S3 Bucket Key, or SSE-S3 where AWS allows nothing else (log targets). */
export type BucketEncryption = { readonly kmsKeyArn: string } | "SSE-S3";

export interface PrivateBucketProps {
  /** Exact bucket name (globally unique). */
  readonly bucketName: string;
  /** Default encryption; required so that no bucket is left to an implicit choice. */
  readonly encryption: BucketEncryption;
  /** Keep object versions. @default true */
  readonly versioned?: boolean;
  /** Days before noncurrent versions expire (versioned buckets). @default 90 */
  readonly noncurrentVersionExpirationDays?: number;
  /** Days before current objects expire (log buckets). @default objects never expire */
  readonly expirationDays?: number;
  /** Server access logging target. @default no access logging */
  readonly accessLogs?: BucketAccessLogs;
  /** Refuse `terraform destroy` (state bucket). @default false */
  readonly preventDestroy?: boolean;
}

/**
 * An S3 bucket that is private by construction: all four public-access blocks, ACLs disabled, explicit default
 * encryption, TLS >= 1.2 only, lifecycle rules, never force-destroyed. Other constructs add policy statements.
 */
export class PrivateBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly policy: S3BucketPolicy;
  private readonly statements: PolicyStatement[];

  constructor(scope: Construct, id: string, props: PrivateBucketProps) {
    super(scope, id);
    const versioned = props.versioned ?? true;

    this.bucket = new S3Bucket(this, "bucket", {
      bucket: props.bucketName,
      forceDestroy: false,
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.bucketName = this.bucket.bucket;
    this.bucketArn = this.bucket.arn;

    const publicAccessBlock = new S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", {
      bucket: this.bucket.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: this.bucket.id,
      rule: [encryptionRule(props.encryption)],
    });
    new S3BucketVersioningA(this, "versioning", {
      bucket: this.bucket.id,
      versioningConfiguration: { status: versioned ? "Enabled" : "Suspended" },
    });

    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: this.bucket.id,
      rule: lifecycleRules(versioned, props),
    });

    if (props.accessLogs) {
      new S3BucketLoggingA(this, "access-logging", {
        bucket: this.bucket.id,
        targetBucket: props.accessLogs.targetBucket,
        targetPrefix: props.accessLogs.targetPrefix,
        dependsOn: props.accessLogs.dependsOn,
      });
    }

    this.statements = tlsOnlyStatements(this.bucketArn);
    // Applying the policy while the public-access block is being written fails with "A conflicting conditional
    // operation is currently in progress" (terraform-provider-aws#7628): create it afterwards.
    this.policy = new S3BucketPolicy(this, "policy", {
      bucket: this.bucket.id,
      policy: Lazy.stringValue({ produce: () => policyJson(this.statements) }),
      dependsOn: [publicAccessBlock],
    });
  }

  /** Adds statements to the bucket policy; they are serialized at synthesis as readable JSON. */
  addPolicyStatements(...statements: PolicyStatement[]): void {
    this.statements.push(...statements);
  }
}

/** The default-encryption rule: SSE-KMS with the key and a Bucket Key, or SSE-S3. */
function encryptionRule(encryption: BucketEncryption): S3BucketServerSideEncryptionConfigurationRuleA {
  return encryption === "SSE-S3"
    ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }
    : {
        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: encryption.kmsKeyArn },
        bucketKeyEnabled: true,
      };
}

/** Incomplete multipart uploads always go after a day; noncurrent versions and objects as the props say. */
function lifecycleRules(versioned: boolean, props: PrivateBucketProps): S3BucketLifecycleConfigurationRule[] {
  const rules: S3BucketLifecycleConfigurationRule[] = [
    {
      id: "abort-incomplete-multipart-uploads",
      status: "Enabled",
      filter: [{}],
      abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
    },
  ];
  if (versioned) {
    rules.push({
      id: "expire-noncurrent-versions",
      status: "Enabled",
      filter: [{}],
      noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionExpirationDays ?? 90 }],
    });
  }
  if (props.expirationDays !== undefined) {
    rules.push({
      id: "expire-objects",
      status: "Enabled",
      filter: [{}],
      expiration: [{ days: props.expirationDays }],
    });
  }
  return rules;
}
