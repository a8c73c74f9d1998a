import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { EncryptionKey } from "./encryption-key";
import { BucketAccessLogs, PrivateBucket, PrivateBucketProps } from "./private-bucket";
import { PolicyStatement, policyJson } from "../policies/document";
import {
  PrefixAccess,
  confineRoleToEndpointStatement,
  enforceKmsKeyStatements,
  prefixAccessStatements,
} from "../policies/encrypted-bucket";
import { albLogDeliveryStatement, s3AccessLogDeliveryStatement } from "../policies/log-delivery";

export interface StorageProps {
  /** Project slug, first part of every bucket name and of the key alias. */
  readonly project: string;
  /** Environment name, second part of every bucket name and of the key alias. */
  readonly environment: string;
  /** Region of the buckets; it picks the ALB log-delivery principal and the `kms:ViaService` value. */
  readonly region: string;
  /** Account id (a token is fine); it makes bucket names unique across accounts. */
  readonly accountId: string;
  /** Days before noncurrent object versions expire (images and log buckets). */
  readonly noncurrentVersionExpirationDays: number;
  /** Days before S3 server-access logs and ALB access logs expire. */
  readonly accessLogExpirationDays: number;
  /** Role that administers the data key. @default no extra administrator (IAM of the account decides) */
  readonly keyAdminRoleArn?: string;
  /**
   * Give the images bucket and the data key `prevent_destroy`: `terraform destroy` (and any plan that would replace
   * them) fails instead of deleting the images or the only key that decrypts them. Without it the bucket still
   * refuses deletion while it holds objects (force_destroy is never set: S3 answers BucketNotEmpty).
   * @default false
   */
  readonly preventDestroy?: boolean;
}

/** Where the app's role and its S3 gateway endpoint come from (the Beanstalk and endpoints constructs). */
export interface EndpointConfinement {
  /** ARN of the role that may use the images bucket only through the endpoint. */
  readonly roleArn: string;
  /** Id (`vpce-...`) of the S3 gateway endpoint. */
  readonly s3EndpointId: string;
}

/** S3 allows 63 characters; the account id is a token at synthesis, so lengths are checked with 12 digits. */
const MAX_BUCKET_NAME = 63;
const ACCOUNT_ID_LENGTH = 12;
const BUCKET_NAME = /^[a-z0-9][a-z0-9-]*[a-z0-9]$/;
/** Prefixes of server access logs in the access-log bucket, one per logged bucket. */
const IMAGES_ACCESS_LOG_PREFIX = "s3/images/";
const ALB_LOG_BUCKET_ACCESS_LOG_PREFIX = "s3/alb-logs/";

/**
 * `project-env-purpose-account-region`: unique across accounts, environments and regions. Fails synthesis when the
 * name would be invalid for any 12-digit account id, naming the settings that make it so.
 */
export function storageBucketName(props: StorageProps, purpose: string): string {
  const name = (account: string) =>
    `${props.project}-${props.environment}-${purpose}-${account}-${props.region}`;
  const sample = name("0".repeat(ACCOUNT_ID_LENGTH));
  if (sample.length > MAX_BUCKET_NAME || !BUCKET_NAME.test(sample)) {
    throw new Error(
      `storage: bucket name "${name("<account-id>")}" would be ${sample.length} characters with a 12-digit ` +
        `account id; S3 allows ${MAX_BUCKET_NAME} lower-case letters, digits and dashes. Shorten "project" ` +
        `or "environments.${props.environment}.name"`,
    );
  }
  return name(props.accountId);
}

/**
 * The app's data at rest: a customer KMS key, the SSE-KMS images bucket, and the two log buckets (SSE-S3: the only
 * encryption S3 server access logging and ALB access logging can write to). Flow logs have their own key in the
 * network construct: a different service and a smaller blast radius if either key policy is ever loosened.
 */
export class Storage extends Construct {
  /** Customer managed key of the images bucket. */
  readonly dataKey: EncryptionKey;
  /** The app's images (uploads and thumbnails). */
  readonly imagesBucket: PrivateBucket;
  /** Target of S3 server access logging (images and ALB-log buckets). */
  readonly accessLogBucket: PrivateBucket;
  /** Target of the load balancer's access logs; give the ALB `albLogBucket.bucketName` and `albLogPrefix`. */
  readonly albLogBucket: PrivateBucket;
  /** Key prefix of ALB access logs (no slashes, no `AWSLogs`). */
  readonly albLogPrefix = "alb";
  private readonly region: string;
  private readonly props: StorageProps;
  private confined = false;
  private readonly grantedRoles = new Set<string>();

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);
    this.region = props.region;
    this.props = props;
    const imagesName = storageBucketName(props, "images");
    const accessLogsName = storageBucketName(props, "access-logs");
    const albLogsName = storageBucketName(props, "alb-logs");

    this.dataKey = new EncryptionKey(this, "data-key", {
      description: `${props.project} ${props.environment}: images bucket (SSE-KMS)`,
      alias: `alias/${props.project}-${props.environment}-data`,
      accountId: props.accountId,
      administratorRoleArn: props.keyAdminRoleArn,
      deletionWindowInDays: 30,
      preventDestroy: props.preventDestroy ?? false,
    });

    // Log buckets stay versioned: an overwritten or deleted log is kept as a noncurrent version for a while,
    // so tampering leaves a trace; delivery services only ever add new keys, so versioning costs nothing extra.
    const logBucket = (bucketId: string, bucketName: string, accessLogs?: PrivateBucketProps["accessLogs"]) =>
      new PrivateBucket(this, bucketId, {
        bucketName,
        encryption: "SSE-S3",
        expirationDays: props.accessLogExpirationDays,
        noncurrentVersionExpirationDays: props.noncurrentVersionExpirationDays,
        accessLogs,
      });
    this.accessLogBucket = logBucket("access-log-bucket", accessLogsName);
    // Who read or deleted ALB logs is worth knowing too: its S3 access is logged like the images bucket's.
    this.albLogBucket = logBucket(
      "alb-log-bucket",
      albLogsName,
      this.accessLogsUnder(ALB_LOG_BUCKET_ACCESS_LOG_PREFIX),
    );

    this.imagesBucket = new PrivateBucket(this, "images-bucket", {
      bucketName: imagesName,
      encryption: { kmsKeyArn: this.dataKey.keyArn },
      noncurrentVersionExpirationDays: props.noncurrentVersionExpirationDays,
      accessLogs: this.accessLogsUnder(IMAGES_ACCESS_LOG_PREFIX),
      preventDestroy: props.preventDestroy ?? false,
    });
    this.imagesBucket.addPolicyStatements(
      ...enforceKmsKeyStatements(this.imagesBucket.bucketArn, this.dataKey.keyArn),
    );

    this.allowAccessLogDelivery(
      "AllowImagesAccessLogDelivery",
      IMAGES_ACCESS_LOG_PREFIX,
      this.imagesBucket.bucketArn,
    );
    this.allowAccessLogDelivery(
      "AllowAlbLogBucketAccessLogDelivery",
      ALB_LOG_BUCKET_ACCESS_LOG_PREFIX,
      this.albLogBucket.bucketArn,
    );
    this.albLogBucket.addPolicyStatements(
      albLogDeliveryStatement(this.albLogBucket.bucketArn, this.albLogPrefix, props.accountId, props.region),
    );
  }

  /** Name for another bucket of this environment (e.g. `artifacts`), same scheme and length check as ours. */
  bucketNameFor(purpose: string): string {
    return storageBucketName(this.props, purpose);
  }

  /**
   * Server access logging for another bucket of this environment, the one named `bucketNameFor(purpose)`: lets S3
   * logging write that bucket's logs under `s3/<purpose>/` of the access-log bucket (and nothing else) and returns
   * the setting to give that bucket (`PrivateBucketProps.accessLogs`). Call once per purpose.
   */
  accessLogsFor(purpose: string): BucketAccessLogs {
    const prefix = `s3/${purpose}/`;
    const sid = `Allow${purpose.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase())}AccessLogDelivery`;
    this.allowAccessLogDelivery(sid, prefix, `arn:aws:s3:::${this.bucketNameFor(purpose)}`);
    return this.accessLogsUnder(prefix);
  }

  /** Logging into the access-log bucket, configured after its policy: the delivery grant exists before logging starts. */
  private accessLogsUnder(prefix: string): BucketAccessLogs {
    return {
      targetBucket: this.accessLogBucket.bucketName,
      targetPrefix: prefix,
      dependsOn: [this.accessLogBucket.policy],
    };
  }

  private allowAccessLogDelivery(sid: string, prefix: string, sourceBucketArn: string): void {
    this.accessLogBucket.addPolicyStatements(
      s3AccessLogDeliveryStatement(
        sid,
        this.accessLogBucket.bucketArn,
        prefix,
        sourceBucketArn,
        this.props.accountId,
      ),
    );
  }

  /**
   * Denies the role every request on the images bucket that does not come through the S3 gateway endpoint.
   * Call once, from the app stack, after the role and the endpoint exist (the policy is serialized at synthesis).
   */
  confineTo(confinement: EndpointConfinement): void {
    if (this.confined)
      throw new Error("storage.confineTo: the images bucket is already confined to an endpoint");
    this.confined = true;
    this.imagesBucket.addPolicyStatements(
      confineRoleToEndpointStatement(
        this.imagesBucket.bucketArn,
        confinement.roleArn,
        confinement.s3EndpointId,
      ),
    );
  }

  /**
   * Gives a role exactly what it needs on some prefixes of the images bucket, as one inline policy
   * (`aws_iam_role_policy`, JSON). One call per role: pass every prefix at once. Returns the statements.
   */
  grantImageAccess(role: IamRole, access: PrefixAccess): PolicyStatement[] {
    const roleId = role.node.path;
    if (this.grantedRoles.has(roleId)) {
      throw new Error(
        `storage.grantImageAccess: already called for ${roleId}; pass every prefix in one call`,
      );
    }
    this.grantedRoles.add(roleId);
    const statements = prefixAccessStatements(
      this.imagesBucket.bucketArn,
      this.dataKey.keyArn,
      this.region,
      access,
    );
    new IamRolePolicy(this, `images-access-${this.grantedRoles.size}`, {
      name: "images-bucket-access",
      role: role.name,
      policy: policyJson(statements),
    });
    return statements;
  }
}
