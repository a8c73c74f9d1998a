import * as fs from "fs";
import * as path from "path";
import { Construct } from "constructs";
import { AssetType, TerraformAsset } from "cdktf";
import { S3Object } from "@cdktf/provider-aws/lib/s3-object";
import { ElasticBeanstalkApplicationVersion } from "@cdktf/provider-aws/lib/elastic-beanstalk-application-version";
import { CpuArchitecture } from "../../../shared/types";
import { WHEEL_ARCHITECTURE } from "../../../shared/bundle";
import { BucketAccessLogs, PrivateBucket } from "../../storage/private-bucket";

/** What the bundle must match: the instances' CPU and the app's upload limit. */
export interface BundleExpectations {
  /** CPU architecture of the instances; binary wheels must be built for it. */
  readonly architecture: CpuArchitecture;
  /** Upload limit in MiB; nginx's client_max_body_size must admit it. */
  readonly uploadLimitMb: number;
}

/**
 * Fails synthesis when the built bundle (`make bundle`) would need the internet on the instance or disagrees with
 * the configuration: pip must be told `--no-index --find-links wheels`, every binary wheel must be cp311 for the
 * instances' CPU, and nginx (1 MB body limit by default) must admit `uploadLimitMb` but not much more.
 */
export function verifyOfflineBundle(directory: string, expected: BundleExpectations): void {
  const fail = (message: string): never => {
    throw new Error(`Source bundle ${directory}: ${message}`);
  };
  if (!fs.existsSync(directory)) fail("missing: run `make bundle` before synthesizing");

  const requirements = path.join(directory, "requirements.txt");
  if (!fs.existsSync(requirements)) fail("has no requirements.txt");
  const [first, second] = fs.readFileSync(requirements, "utf8").split("\n");
  if (first.trim() !== "--no-index" || second.trim() !== "--find-links wheels") {
    fail(
      "requirements.txt must start with `--no-index` and `--find-links wheels` (instances have no internet)",
    );
  }

  const wheelDir = path.join(directory, "wheels");
  const wheels = fs.existsSync(wheelDir) ? fs.readdirSync(wheelDir).filter((f) => f.endsWith(".whl")) : [];
  if (wheels.length === 0) fail("has no wheels/ to install from");
  const arch = WHEEL_ARCHITECTURE[expected.architecture];
  for (const wheel of wheels) {
    const [python, abi, platform] = wheel.slice(0, -".whl".length).split("-").slice(-3);
    if (platform === "any") continue;
    if (!platform.split(".").every((tag) => tag.endsWith(`_${arch}`))) {
      fail(
        `wheel ${wheel} is not for ${arch} (architecture ${expected.architecture}): rebuild with BUNDLE_ARCH`,
      );
    }
    if (abi !== "abi3" && (python !== "cp311" || abi !== "cp311"))
      fail(`wheel ${wheel} is not for CPython 3.11`);
  }

  const nginxConf = path.join(directory, ".platform", "nginx", "conf.d", "upload-size.conf");
  const limit = fs.existsSync(nginxConf)
    ? /client_max_body_size\s+(\d+)k;/.exec(fs.readFileSync(nginxConf, "utf8"))
    : null;
  if (!limit)
    fail("has no .platform/nginx/conf.d/upload-size.conf with client_max_body_size (nginx allows 1 MB)");
  const limitKib = Number(limit![1]);
  // The bundle adds the multipart form's overhead to the file limit; more than 1 MiB of slack means another limit.
  if (limitKib < expected.uploadLimitMb * 1024 || limitKib > (expected.uploadLimitMb + 1) * 1024) {
    fail(
      `nginx client_max_body_size ${limitKib}k does not match uploadLimitMb ${expected.uploadLimitMb}: ` +
        `rebuild with MAX_UPLOAD_MB=${expected.uploadLimitMb}`,
    );
  }
}

export interface BeanstalkBundleProps {
  /** Elastic Beanstalk application that owns the versions. */
  readonly applicationName: string;
  /** Directory built by `make bundle` (absolute, or relative to cdktf.json). */
  readonly directory: string;
  /** What the bundle must match (checked at synthesis). */
  readonly expected: BundleExpectations;
  /** Globally unique name of the artifacts bucket. */
  readonly artifactsBucketName: string;
  /** KMS key that encrypts the artifacts bucket. */
  readonly kmsKeyArn: string;
  /** Server access logging of the artifacts bucket. @default no access logging */
  readonly accessLogs?: BucketAccessLogs;
  /** Days before replaced bundles (noncurrent versions) expire. @default 90 */
  readonly noncurrentVersionExpirationDays?: number;
}

/**
 * The app bundle zipped at synthesis, uploaded to a private artifacts bucket and registered as an application
 * version whose label is the bundle's content hash (a new label exactly when the bundle changes).
 *
 * Who reads the bundle: CreateApplicationVersion only records bucket+key; on each deployment EB copies the zip
 * into its own bucket under `elasticbeanstalk-REGION-ACCOUNT/resources/environments/ENV-ID/_runtime/_versions/`
 * with the credentials of whoever calls Create/UpdateEnvironment (here: the Terraform deployer), and eb-engine on
 * the instances downloads that copy (its logs: "Downloading from bucket 'elasticbeanstalk-…' with key
 * 'resources/environments/e-…/_runtime/_versions/…'"; EB guide "Using Elastic Beanstalk with Amazon S3").
 * So the instances never read this bucket: it needs no instance-role grant and no S3 endpoint-policy entry, and
 * SSE-KMS with our key only requires the deployer to hold kms:Decrypt/GenerateDataKey through IAM (the key policy
 * delegates to IAM). The copy in the EB bucket gets that bucket's default encryption.
 */
export class BeanstalkBundle extends Construct {
  readonly artifactsBucket: PrivateBucket;
  readonly version: ElasticBeanstalkApplicationVersion;
  readonly versionLabel: string;

  constructor(scope: Construct, id: string, props: BeanstalkBundleProps) {
    super(scope, id);
    const absolute = path.isAbsolute(props.directory)
      ? props.directory
      : path.resolve(__dirname, "..", props.directory);
    verifyOfflineBundle(absolute, props.expected);

    this.artifactsBucket = new PrivateBucket(this, "artifacts", {
      bucketName: props.artifactsBucketName,
      encryption: { kmsKeyArn: props.kmsKeyArn },
      noncurrentVersionExpirationDays: props.noncurrentVersionExpirationDays,
      accessLogs: props.accessLogs,
    });

    const asset = new TerraformAsset(this, "source", { path: absolute, type: AssetType.ARCHIVE });
    this.versionLabel = `bundle-${asset.assetHash.toLowerCase()}`;
    const object = new S3Object(this, "object", {
      bucket: this.artifactsBucket.bucket.id,
      key: `bundles/${this.versionLabel}.zip`,
      source: asset.path,
      // SSE-KMS with our key on the object itself: Terraform may upload the object before the bucket's default
      // encryption configuration exists (both depend only on the bucket), and S3 would then store it with SSE-S3.
      serverSideEncryption: "aws:kms",
      kmsKeyId: props.kmsKeyArn,
      bucketKeyEnabled: true,
    });
    this.version = new ElasticBeanstalkApplicationVersion(this, "version", {
      application: props.applicationName,
      name: this.versionLabel,
      description: "Built by make bundle; label = content hash",
      bucket: object.bucket,
      key: object.key,
      // A new label replaces the version: create the new one and move the environment before deleting the old.
      lifecycle: { createBeforeDestroy: true },
    });
  }
}
