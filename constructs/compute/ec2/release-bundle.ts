import * as os from "os";
import * as path from "path";
import { Construct } from "constructs";
import { AssetType, TerraformAsset } from "cdktf";
import { S3Object } from "@cdktf/provider-aws/lib/s3-object";
import { BucketAccessLogs, PrivateBucket } from "../../storage/private-bucket";
import { writeBundleArchive } from "./bundle-archive";
import { EC2_BUNDLE_PREFIX } from "./policies";
import { BundleLocation } from "./user-data";

export interface ReleaseBundleProps {
  /** The offline source bundle directory (`make bundle`), already checked against the configuration. */
  readonly directory: string;
  /** Globally unique name of the artifacts bucket. */
  readonly artifactsBucketName: string;
  /** KMS key of the artifacts bucket and the bundle object. */
  readonly kmsKeyArn: string;
  /** Server access logging of the artifacts bucket. */
  readonly accessLogs: BucketAccessLogs;
  /** Days before replaced bundles (noncurrent versions) expire. @default 90 */
  readonly noncurrentVersionExpirationDays?: number;
}

/**
 * The release bundle the instances install: the offline bundle packed into a reproducible tar (bundle-archive.ts),
 * uploaded to a private, KMS-encrypted artifacts bucket under a key named by its SHA-256. The boot script fetches
 * exactly `location` and checks the hash; a new bundle is a new key, a new hash in the user data, a new launch
 * template version and so an instance refresh.
 */
export class ReleaseBundle extends Construct {
  readonly artifactsBucket: PrivateBucket;
  readonly object: S3Object;
  readonly location: BundleLocation;

  constructor(scope: Construct, id: string, props: ReleaseBundleProps) {
    super(scope, id);
    // Content-addressed: the same bundle writes the same file once; the asset copies it into cdktf.out.
    const archive = writeBundleArchive(props.directory, path.join(os.tmpdir(), "imageshare-ec2-bundles"));
    this.artifactsBucket = new PrivateBucket(this, "artifacts", {
      bucketName: props.artifactsBucketName,
      encryption: { kmsKeyArn: props.kmsKeyArn },
      noncurrentVersionExpirationDays: props.noncurrentVersionExpirationDays,
      accessLogs: props.accessLogs,
    });
    const asset = new TerraformAsset(this, "archive", { path: archive.file, type: AssetType.FILE });
    const key = `${EC2_BUNDLE_PREFIX}${archive.sha256}.tar`;
    this.object = new S3Object(this, "object", {
      bucket: this.artifactsBucket.bucket.id,
      key,
      source: asset.path,
      // SSE-KMS with our key on the object itself: the object may be uploaded before the bucket's default
      // encryption configuration exists (both depend only on the bucket).
      serverSideEncryption: "aws:kms",
      kmsKeyId: props.kmsKeyArn,
      bucketKeyEnabled: true,
    });
    // The bucket by reference (its id is its name): the user data waits for it, and no name is spelled twice.
    this.location = { bucket: this.artifactsBucket.bucket.id, key, sha256: archive.sha256 };
  }
}
