import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { Storage, StorageProps, storageBucketName } from "../../../constructs/storage/storage";
import { PrivateBucket } from "../../../constructs/storage/private-bucket";
import { serviceTrustPolicy, PolicyStatement } from "../../../constructs/policies/document";
import { elbLogDeliveryPrincipal } from "../../../constructs/policies/log-delivery";
import {
  Resource,
  SynthesizedStack,
  asList,
  onlyResource,
  parsePolicy,
  refOf,
  resourcesOf,
  statementBySid,
  synthConstruct,
} from "../../../test-support/synth";
import { denyingSids, isAllowed } from "../../../test-support/statement-matcher";

const ACCOUNT = "123456789012";
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/app-instance`;
const ADMIN_ARN = `arn:aws:iam::${ACCOUNT}:role/administrator`;
const ENDPOINT = "vpce-0123456789abcdef0";

const props: StorageProps = {
  project: "imageshare",
  environment: "test",
  region: "eu-west-1",
  accountId: ACCOUNT,
  noncurrentVersionExpirationDays: 11,
  accessLogExpirationDays: 45,
};

type Build = (storage: Storage, role: IamRole) => void;

function synthStorage(overrides: Partial<StorageProps> = {}, build?: Build): SynthesizedStack {
  return synthConstruct((scope) => {
    const storage = new Storage(scope, "storage", { ...props, ...overrides });
    const role = new IamRole(scope, "app-instance-role", {
      name: "app-instance",
      assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com"),
    });
    build?.(storage, role);
  });
}

/** The bucket resource with this exact name, its logical name and its ARN reference. */
function bucketNamed(stack: SynthesizedStack, name: string) {
  const entry = Object.entries(resourcesOf(stack, "aws_s3_bucket")).find(([, b]) => b.bucket === name);
  if (!entry) throw new Error(`no bucket named ${name}`);
  const [logical, resource] = entry;
  return { logical, resource, arn: refOf("aws_s3_bucket", logical, "arn") };
}

/** The one resource of `type` attached to the bucket (by `${aws_s3_bucket.X.id}`). */
function attached(stack: SynthesizedStack, type: string, bucketLogical: string): Resource {
  const all = Object.values(resourcesOf(stack, type)).filter(
    (r) => r.bucket === refOf("aws_s3_bucket", bucketLogical, "id"),
  );
  if (all.length !== 1) throw new Error(`expected one ${type} on ${bucketLogical}, found ${all.length}`);
  return all[0];
}

const imagesName = `imageshare-test-images-${ACCOUNT}-eu-west-1`;
const accessLogsName = `imageshare-test-access-logs-${ACCOUNT}-eu-west-1`;
const albLogsName = `imageshare-test-alb-logs-${ACCOUNT}-eu-west-1`;

describe("Storage: data key", () => {
  const stack = synthStorage({ keyAdminRoleArn: ADMIN_ARN });

  test("rotates, has a 30-day deletion window and an alias", () => {
    expect(onlyResource(stack, "aws_kms_key")).toMatchObject({
      enable_key_rotation: true,
      deletion_window_in_days: 30,
    });
    expect(onlyResource(stack, "aws_kms_alias").name).toBe("alias/imageshare-test-data");
  });

  test("key policy: root delegates to IAM, the configured administrator, no bare * principal", () => {
    const policy = onlyResource(stack, "aws_kms_key").policy;
    expect(statementBySid(policy, "EnableIamPoliciesOfThisAccount").Principal).toEqual({
      AWS: `arn:aws:iam::${ACCOUNT}:root`,
    });
    expect(statementBySid(policy, "AllowKeyAdministration").Principal).toEqual({ AWS: ADMIN_ARN });
    for (const s of parsePolicy(policy).Statement) {
      expect(s.Principal).not.toBe("*");
      expect(asList(typeof s.Principal === "object" ? s.Principal.AWS : undefined)).not.toContain("*");
    }
  });

  test("has no administrator statement without keyAdminRoleArn", () => {
    const statements = parsePolicy(onlyResource(synthStorage(), "aws_kms_key").policy).Statement;
    expect(statements.map((s) => s.Sid)).toEqual(["EnableIamPoliciesOfThisAccount"]);
  });
});

describe("Storage: images bucket", () => {
  const stack = synthStorage();
  const images = bucketNamed(stack, imagesName);
  const keyArn = refOf("aws_kms_key", Object.keys(resourcesOf(stack, "aws_kms_key"))[0], "arn");
  const policy = attached(stack, "aws_s3_bucket_policy", images.logical).policy as string;

  test("has a name unique per project, environment, account and region, and is never force-destroyed", () => {
    expect(images.resource.force_destroy).toBe(false);
  });

  test("blocks all public access and disables ACLs", () => {
    expect(attached(stack, "aws_s3_bucket_public_access_block", images.logical)).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(attached(stack, "aws_s3_bucket_ownership_controls", images.logical).rule).toEqual({
      object_ownership: "BucketOwnerEnforced",
    });
  });

  test("encrypts with the data key and an S3 Bucket Key", () => {
    expect(
      attached(stack, "aws_s3_bucket_server_side_encryption_configuration", images.logical).rule,
    ).toEqual([
      {
        apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: keyArn },
        bucket_key_enabled: true,
      },
    ]);
  });

  test("is versioned, aborts incomplete uploads after a day, expires noncurrent versions per config", () => {
    expect(attached(stack, "aws_s3_bucket_versioning", images.logical).versioning_configuration).toEqual({
      status: "Enabled",
    });
    const rules = attached(stack, "aws_s3_bucket_lifecycle_configuration", images.logical).rule;
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ abort_incomplete_multipart_upload: [{ days_after_initiation: 1 }] }),
        expect.objectContaining({ noncurrent_version_expiration: [{ noncurrent_days: 11 }] }),
      ]),
    );
  });

  test("logs server access to the access-log bucket and has no CORS", () => {
    const accessLogs = bucketNamed(stack, accessLogsName);
    expect(attached(stack, "aws_s3_bucket_logging", images.logical)).toMatchObject({
      target_bucket: refOf("aws_s3_bucket", accessLogs.logical, "bucket"),
      target_prefix: "s3/images/",
    });
    expect(resourcesOf(stack, "aws_s3_bucket_cors_configuration")).toEqual({});
  });

  test("policy: TLS only, created after the public-access block, no Allow at all", () => {
    const statements = parsePolicy(policy).Statement;
    expect(statements.every((s) => s.Effect === "Deny")).toBe(true);
    const put = { action: "s3:GetObject", resource: `${images.arn}/uploads/x.jpg` };
    expect(denyingSids(policy, { ...put, context: { "aws:SecureTransport": "false" } })).toContain(
      "DenyInsecureTransport",
    );
    expect(
      denyingSids(policy, { ...put, context: { "aws:SecureTransport": "true", "s3:TlsVersion": "1.1" } }),
    ).toEqual(["DenyOutdatedTls"]);
    expect(
      denyingSids(policy, { ...put, context: { "aws:SecureTransport": "true", "s3:TlsVersion": "1.3" } }),
    ).toEqual([]);
    const [pab] = Object.keys(resourcesOf(stack, "aws_s3_bucket_public_access_block")).filter(
      (name) =>
        resourcesOf(stack, "aws_s3_bucket_public_access_block")[name].bucket ===
        refOf("aws_s3_bucket", images.logical, "id"),
    );
    expect(attached(stack, "aws_s3_bucket_policy", images.logical).depends_on).toEqual([
      `aws_s3_bucket_public_access_block.${pab}`,
    ]);
  });

  describe("policy: PutObject encryption headers", () => {
    const tls = { "aws:SecureTransport": "true", "s3:TlsVersion": "1.2" };
    const putWith = (headers: Record<string, string>) =>
      denyingSids(policy, {
        action: "s3:PutObject",
        resource: `${images.arn}/uploads/x.jpg`,
        context: { ...tls, ...headers },
      });

    test("no header: allowed, default encryption applies", () => {
      expect(putWith({})).toEqual([]);
    });
    test("aws:kms with our key: allowed", () => {
      expect(
        putWith({
          "s3:x-amz-server-side-encryption": "aws:kms",
          "s3:x-amz-server-side-encryption-aws-kms-key-id": keyArn,
        }),
      ).toEqual([]);
    });
    test("another algorithm (SSE-S3): denied", () => {
      expect(putWith({ "s3:x-amz-server-side-encryption": "AES256" })).toEqual([
        "DenyNonKmsEncryptionHeader",
      ]);
    });
    test("another KMS key: denied", () => {
      expect(
        putWith({
          "s3:x-amz-server-side-encryption": "aws:kms",
          "s3:x-amz-server-side-encryption-aws-kms-key-id": "arn:aws:kms:eu-west-1:999999999999:key/other",
        }),
      ).toEqual(["DenyOtherKmsKey"]);
    });
    test("customer-provided keys (SSE-C): denied", () => {
      expect(putWith({ "s3:x-amz-server-side-encryption-customer-algorithm": "AES256" })).toEqual([
        "DenyCustomerProvidedKeys",
      ]);
    });
    test("uses Null checks, not ...IfExists (which would deny header-less uploads)", () => {
      for (const sid of ["DenyNonKmsEncryptionHeader", "DenyOtherKmsKey", "DenyCustomerProvidedKeys"]) {
        const condition = statementBySid(policy, sid).Condition ?? {};
        expect(Object.values(condition.Null ?? {})).toEqual(expect.arrayContaining(["false"]));
        expect(Object.keys(condition).filter((op) => op.endsWith("IfExists"))).toEqual([]);
      }
    });
  });
});

describe("Storage: confinement to the S3 gateway endpoint", () => {
  const confined = synthStorage({}, (storage) =>
    storage.confineTo({ roleArn: ROLE_ARN, s3EndpointId: ENDPOINT }),
  );
  const images = bucketNamed(confined, imagesName);
  const policy = attached(confined, "aws_s3_bucket_policy", images.logical).policy as string;
  const request = (principal: string, sourceVpce?: string) => ({
    action: "s3:GetObject",
    resource: `${images.arn}/uploads/x.jpg`,
    principal: { AWS: principal },
    context: {
      "aws:SecureTransport": "true",
      "s3:TlsVersion": "1.3",
      "aws:PrincipalArn": principal,
      ...(sourceVpce ? { "aws:SourceVpce": sourceVpce } : {}),
    },
  });

  test("denies the app role outside the endpoint, on bucket and objects", () => {
    const statement = statementBySid(policy, "DenyAppRoleOutsideVpcEndpoint");
    expect(statement).toMatchObject({
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [images.arn, `${images.arn}/*`],
      Condition: {
        StringNotEquals: { "aws:SourceVpce": ENDPOINT },
        ArnEquals: { "aws:PrincipalArn": ROLE_ARN },
      },
    });
    expect(denyingSids(policy, request(ROLE_ARN))).toEqual(["DenyAppRoleOutsideVpcEndpoint"]);
    expect(denyingSids(policy, request(ROLE_ARN, "vpce-0fffffffffffffff0"))).toEqual([
      "DenyAppRoleOutsideVpcEndpoint",
    ]);
  });

  test("lets the app role through the endpoint and does not lock out administrators", () => {
    expect(denyingSids(policy, request(ROLE_ARN, ENDPOINT))).toEqual([]);
    expect(denyingSids(policy, request(ADMIN_ARN))).toEqual([]);
  });

  test("is absent until confineTo is called, and can be called only once", () => {
    const unconfined = synthStorage();
    const plain = attached(unconfined, "aws_s3_bucket_policy", bucketNamed(unconfined, imagesName).logical);
    expect(parsePolicy(plain.policy).Statement.map((s) => s.Sid)).not.toContain(
      "DenyAppRoleOutsideVpcEndpoint",
    );
    expect(() =>
      synthStorage({}, (storage) => {
        storage.confineTo({ roleArn: ROLE_ARN, s3EndpointId: ENDPOINT });
        storage.confineTo({ roleArn: ROLE_ARN, s3EndpointId: ENDPOINT });
      }),
    ).toThrow(/already confined/);
  });

  test("takes the role and endpoint created after the bucket (references resolved at synthesis)", () => {
    const parsed = synthConstruct((scope) => {
      const storage = new Storage(scope, "storage", props);
      const role = new IamRole(scope, "instance-role", {
        assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com"),
      });
      const endpoint = new VpcEndpoint(scope, "s3-gateway", {
        vpcId: "vpc-0123456789abcdef0",
        serviceName: "com.amazonaws.eu-west-1.s3",
        vpcEndpointType: "Gateway",
      });
      storage.confineTo({ roleArn: role.arn, s3EndpointId: endpoint.id });
    });
    const [roleName] = Object.keys(resourcesOf(parsed, "aws_iam_role"));
    const [endpointName] = Object.keys(resourcesOf(parsed, "aws_vpc_endpoint"));
    const images = bucketNamed(parsed, imagesName);
    const policy = attached(parsed, "aws_s3_bucket_policy", images.logical).policy;
    expect(statementBySid(policy, "DenyAppRoleOutsideVpcEndpoint").Condition).toEqual({
      StringNotEquals: { "aws:SourceVpce": refOf("aws_vpc_endpoint", endpointName, "id") },
      ArnEquals: { "aws:PrincipalArn": refOf("aws_iam_role", roleName, "arn") },
    });
  });
});

describe("Storage: log buckets", () => {
  const stack = synthStorage();
  const images = bucketNamed(stack, imagesName);
  const accessLogs = bucketNamed(stack, accessLogsName);
  const albLogs = bucketNamed(stack, albLogsName);

  test.each([
    ["access-log", accessLogsName],
    ["ALB-log", albLogsName],
  ])("%s bucket: SSE-S3, private, versioned, logs expire per config", (_label, name) => {
    const bucket = bucketNamed(stack, name);
    expect(bucket.resource.force_destroy).toBe(false);
    expect(
      attached(stack, "aws_s3_bucket_server_side_encryption_configuration", bucket.logical).rule,
    ).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }]);
    expect(attached(stack, "aws_s3_bucket_public_access_block", bucket.logical)).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(attached(stack, "aws_s3_bucket_ownership_controls", bucket.logical).rule).toEqual({
      object_ownership: "BucketOwnerEnforced",
    });
    expect(attached(stack, "aws_s3_bucket_versioning", bucket.logical).versioning_configuration).toEqual({
      status: "Enabled",
    });
    expect(attached(stack, "aws_s3_bucket_lifecycle_configuration", bucket.logical).rule).toEqual(
      expect.arrayContaining([expect.objectContaining({ expiration: [{ days: 45 }] })]),
    );
    const policy = attached(stack, "aws_s3_bucket_policy", bucket.logical).policy;
    expect(statementBySid(policy, "DenyInsecureTransport").Effect).toBe("Deny");
    expect(statementBySid(policy, "DenyOutdatedTls").Effect).toBe("Deny");
  });

  test("access-log bucket: only S3 logging writes, per source bucket and prefix, for this account", () => {
    const policy = attached(stack, "aws_s3_bucket_policy", accessLogs.logical).policy as string;
    const allows = parsePolicy(policy).Statement.filter((s) => s.Effect === "Allow");
    expect(allows).toEqual([
      {
        Sid: "AllowImagesAccessLogDelivery",
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `${accessLogs.arn}/s3/images/*`,
        Condition: {
          ArnEquals: { "aws:SourceArn": images.arn },
          StringEquals: { "aws:SourceAccount": ACCOUNT },
        },
      },
      {
        Sid: "AllowAlbLogBucketAccessLogDelivery",
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `${accessLogs.arn}/s3/alb-logs/*`,
        Condition: {
          ArnEquals: { "aws:SourceArn": albLogs.arn },
          StringEquals: { "aws:SourceAccount": ACCOUNT },
        },
      },
    ]);
    const delivery = (sourceArn: string, key: string) => ({
      action: "s3:PutObject",
      resource: `${accessLogs.arn}/${key}`,
      principal: { Service: "logging.s3.amazonaws.com" },
      context: { "aws:SourceArn": sourceArn, "aws:SourceAccount": ACCOUNT, "aws:SecureTransport": "true" },
    });
    expect(isAllowed(policy, delivery(images.arn, "s3/images/2026-11-27-log"))).toBe(true);
    expect(isAllowed(policy, delivery("arn:aws:s3:::someone-elses-bucket", "s3/images/log"))).toBe(false);
    expect(isAllowed(policy, delivery(images.arn, "elsewhere/log"))).toBe(false);
  });

  test("accessLogsFor: logging for another bucket of the environment, delivery limited to that bucket", () => {
    const withArtifacts = synthStorage({}, (storage) => {
      new PrivateBucket(storage, "eb-artifacts", {
        bucketName: storage.bucketNameFor("eb-artifacts"),
        encryption: "SSE-S3",
        accessLogs: storage.accessLogsFor("eb-artifacts"),
      });
    });
    const target = bucketNamed(withArtifacts, accessLogsName);
    const source = bucketNamed(withArtifacts, `imageshare-test-eb-artifacts-${ACCOUNT}-eu-west-1`);
    expect(attached(withArtifacts, "aws_s3_bucket_logging", source.logical)).toMatchObject({
      target_bucket: refOf("aws_s3_bucket", target.logical, "bucket"),
      target_prefix: "s3/eb-artifacts/",
    });
    const policy = attached(withArtifacts, "aws_s3_bucket_policy", target.logical).policy as string;
    const sourceArn = `arn:aws:s3:::imageshare-test-eb-artifacts-${ACCOUNT}-eu-west-1`;
    expect(statementBySid(policy, "AllowEbArtifactsAccessLogDelivery")).toEqual({
      Sid: "AllowEbArtifactsAccessLogDelivery",
      Effect: "Allow",
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `${target.arn}/s3/eb-artifacts/*`,
      Condition: {
        ArnEquals: { "aws:SourceArn": sourceArn },
        StringEquals: { "aws:SourceAccount": ACCOUNT },
      },
    });
    const delivery = (source: string, key: string) => ({
      action: "s3:PutObject",
      resource: `${target.arn}/${key}`,
      principal: { Service: "logging.s3.amazonaws.com" },
      context: { "aws:SourceArn": source, "aws:SourceAccount": ACCOUNT, "aws:SecureTransport": "true" },
    });
    expect(isAllowed(policy, delivery(sourceArn, "s3/eb-artifacts/log"))).toBe(true);
    expect(isAllowed(policy, delivery(sourceArn, "s3/images/log"))).toBe(false);
  });

  test("ALB-log bucket: only ELB log delivery writes, under prefix/AWSLogs/<account>/", () => {
    const policy = attached(stack, "aws_s3_bucket_policy", albLogs.logical).policy as string;
    const allows = parsePolicy(policy).Statement.filter((s) => s.Effect === "Allow");
    expect(allows).toEqual([
      {
        Sid: "AllowAlbAccessLogDelivery",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::156460612806:root" },
        Action: "s3:PutObject",
        Resource: `${albLogs.arn}/alb/AWSLogs/${ACCOUNT}/*`,
      },
    ]);
    expect(attached(stack, "aws_s3_bucket_logging", albLogs.logical)).toMatchObject({
      target_bucket: refOf("aws_s3_bucket", accessLogs.logical, "bucket"),
      target_prefix: "s3/alb-logs/",
    });
  });

  test("server access logging is turned on only after the access-log bucket's policy grants delivery", () => {
    const withArtifacts = synthStorage({}, (storage) => {
      new PrivateBucket(storage, "eb-artifacts", {
        bucketName: storage.bucketNameFor("eb-artifacts"),
        encryption: "SSE-S3",
        accessLogs: storage.accessLogsFor("eb-artifacts"),
      });
    });
    const target = bucketNamed(withArtifacts, accessLogsName);
    const [policyLogical] = Object.entries(resourcesOf(withArtifacts, "aws_s3_bucket_policy")).find(
      ([, p]) => p.bucket === refOf("aws_s3_bucket", target.logical, "id"),
    )!;
    const loggings = Object.values(resourcesOf(withArtifacts, "aws_s3_bucket_logging"));
    expect(loggings).toHaveLength(3);
    for (const logging of loggings) {
      expect(logging.depends_on).toContain(`aws_s3_bucket_policy.${policyLogical}`);
    }
  });

  test("ELB log-delivery principal: regional account in older regions, service principal in newer ones", () => {
    expect(elbLogDeliveryPrincipal("us-east-1")).toEqual({ AWS: "arn:aws:iam::127311923021:root" });
    expect(elbLogDeliveryPrincipal("eu-west-1")).toEqual({ AWS: "arn:aws:iam::156460612806:root" });
    expect(elbLogDeliveryPrincipal("eu-central-2")).toEqual({
      Service: "logdelivery.elasticloadbalancing.amazonaws.com",
    });
    expect(() => elbLogDeliveryPrincipal("xx-nowhere-9")).toThrow(/"xx-nowhere-9"/);
    const newer = synthStorage({ region: "eu-central-2" });
    const policy = attached(
      newer,
      "aws_s3_bucket_policy",
      bucketNamed(newer, albLogsName.replace("eu-west-1", "eu-central-2")).logical,
    ).policy;
    expect(statementBySid(policy, "AllowAlbAccessLogDelivery").Principal).toEqual({
      Service: "logdelivery.elasticloadbalancing.amazonaws.com",
    });
  });

  test("exposes the prefix the ALB must use, the one its delivery grant names", () => {
    let prefix = "";
    const built = synthStorage({}, (storage) => (prefix = storage.albLogPrefix));
    const policy = attached(built, "aws_s3_bucket_policy", bucketNamed(built, albLogsName).logical).policy;
    expect(prefix).toBe("alb");
    expect(statementBySid(policy, "AllowAlbAccessLogDelivery").Resource).toContain(
      `/${prefix}/AWSLogs/${ACCOUNT}/*`,
    );
  });
});

describe("Storage: bucket names", () => {
  test("are project-env-purpose-account-region, also for other constructs' buckets", () => {
    expect(storageBucketName(props, "images")).toBe(imagesName);
    synthConstruct((scope) => {
      const storage = new Storage(scope, "storage", props);
      expect(storage.bucketNameFor("artifacts")).toBe(`imageshare-test-artifacts-${ACCOUNT}-eu-west-1`);
    });
  });

  test("fail synthesis with the settings to change when a 12-digit account id makes them too long", () => {
    const long = {
      ...props,
      project: "a-very-long-project-x",
      environment: "production1",
      region: "ap-southeast-2",
    };
    expect(() => synthStorage(long)).toThrow(
      /bucket name "a-very-long-project-x-production1-images-<account-id>-ap-southeast-2" would be 68 characters.*63.*"project" or "environments\.production1\.name"/,
    );
  });

  test("63 characters is the limit", () => {
    // 23 + "-test-access-logs-" (18) + 12 + "-eu-west-1" (10) = 63
    expect(storageBucketName({ ...props, project: "a".repeat(23) }, "access-logs")).toHaveLength(63);
    expect(() => storageBucketName({ ...props, project: "a".repeat(24) }, "access-logs")).toThrow(
      /64 characters/,
    );
  });
});

describe("Storage: grantImageAccess", () => {
  const appAccess = { prefixes: ["uploads/", "thumbs/"], read: true, write: true, delete: true };
  let returned: PolicyStatement[] = [];
  const stack = synthStorage({}, (storage, role) => {
    returned = storage.grantImageAccess(role, appAccess);
  });
  const images = bucketNamed(stack, imagesName);
  const keyArn = refOf("aws_kms_key", Object.keys(resourcesOf(stack, "aws_kms_key"))[0], "arn");
  const rolePolicy = onlyResource(stack, "aws_iam_role_policy");
  const statements = parsePolicy(rolePolicy.policy).Statement;

  test("creates one JSON inline policy on the role and returns its statements", () => {
    const [roleName] = Object.keys(resourcesOf(stack, "aws_iam_role"));
    expect(rolePolicy.role).toBe(refOf("aws_iam_role", roleName, "name"));
    expect(statements.map((s) => [s.Sid, s.Action])).toEqual(returned.map((s) => [s.Sid, s.Action]));
  });

  test("object actions only on the prefixes; delete only under them", () => {
    const objects = [`${images.arn}/uploads/*`, `${images.arn}/thumbs/*`];
    expect(statementBySid(rolePolicy.policy, "ReadObjects")).toMatchObject({
      Action: "s3:GetObject",
      Resource: objects,
    });
    expect(statementBySid(rolePolicy.policy, "WriteObjects")).toMatchObject({
      Action: ["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
      Resource: objects,
    });
    expect(statementBySid(rolePolicy.policy, "DeleteObjects")).toMatchObject({
      Action: "s3:DeleteObject",
      Resource: objects,
    });
    for (const s of statements) {
      for (const resource of asList(s.Resource)) expect(resource).not.toBe(`${images.arn}/*`);
      for (const action of asList(s.Action)) expect(action).not.toMatch(/\*/);
    }
  });

  test("ListBucket only with an s3:prefix under the prefixes", () => {
    expect(statementBySid(rolePolicy.policy, "ListPrefixes")).toEqual({
      Sid: "ListPrefixes",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: images.arn,
      Condition: { StringLike: { "s3:prefix": ["uploads/*", "thumbs/*"] } },
    });
  });

  test("KMS only via S3 in this region and only for this bucket", () => {
    expect(statementBySid(rolePolicy.policy, "UseDataKeyViaS3")).toEqual({
      Sid: "UseDataKeyViaS3",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: keyArn,
      Condition: {
        StringEquals: {
          "kms:ViaService": "s3.eu-west-1.amazonaws.com",
          "kms:EncryptionContext:aws:s3:arn": images.arn,
        },
      },
    });
  });

  // Every S3 call of app/imageshare/storage.py, and the KMS calls S3 makes for it.
  const object = (key: string) => `${images.arn}/${key}`;
  const appCalls: [string, string, string, Record<string, string>][] = [
    ["put_object / multipart parts (upload)", "s3:PutObject", object("uploads/ID.jpg"), {}],
    ["put_object (thumbnail)", "s3:PutObject", object("thumbs/ID.webp"), {}],
    ["abort_multipart_upload", "s3:AbortMultipartUpload", object("uploads/ID.jpg"), {}],
    ["delete_object (half-stored original)", "s3:DeleteObject", object("uploads/ID.jpg"), {}],
    ["head_object / get_object", "s3:GetObject", object("uploads/ID.jpg"), {}],
    ["get_object (thumbnail)", "s3:GetObject", object("thumbs/ID.webp"), {}],
    ["list_objects_v2 (gallery page)", "s3:ListBucket", images.arn, { "s3:prefix": "uploads/" }],
    ["list_objects_v2 MaxKeys=1 (/readyz)", "s3:ListBucket", images.arn, { "s3:prefix": "uploads/" }],
    ["list_objects_v2 (find upload)", "s3:ListBucket", images.arn, { "s3:prefix": "uploads/ID." }],
    [
      "kms GenerateDataKey (S3 on the app's behalf)",
      "kms:GenerateDataKey",
      keyArn,
      { "kms:ViaService": "s3.eu-west-1.amazonaws.com", "kms:EncryptionContext:aws:s3:arn": images.arn },
    ],
    [
      "kms Decrypt (reads, multipart)",
      "kms:Decrypt",
      keyArn,
      { "kms:ViaService": "s3.eu-west-1.amazonaws.com", "kms:EncryptionContext:aws:s3:arn": images.arn },
    ],
  ];
  test.each(appCalls)("covers the app's %s", (_label, action, resource, context) => {
    expect(isAllowed(statements, { action, resource, context })).toBe(true);
  });

  test.each([
    ["another prefix", "s3:GetObject", object("private/x"), undefined],
    ["listing the whole bucket", "s3:ListBucket", images.arn, { "s3:prefix": "" }],
    [
      "HeadBucket (ListBucket without a prefix), which /readyz therefore avoids",
      "s3:ListBucket",
      images.arn,
      {},
    ],
    ["KMS called directly", "kms:Decrypt", keyArn, { "kms:EncryptionContext:aws:s3:arn": images.arn }],
    [
      "KMS for another bucket",
      "kms:Decrypt",
      keyArn,
      {
        "kms:ViaService": "s3.eu-west-1.amazonaws.com",
        "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::other",
      },
    ],
  ] as [string, string, string, Record<string, string> | undefined][])(
    "does not cover %s",
    (_label, action, resource, context) => {
      expect(isAllowed(statements, { action, resource, context })).toBe(false);
    },
  );

  test("grants no delete, multipart or KMS decrypt unless asked", () => {
    let writeOnly: PolicyStatement[] = [];
    synthStorage({}, (storage, role) => {
      writeOnly = storage.grantImageAccess(role, { prefixes: ["uploads/"], write: true, multipart: false });
    });
    expect(writeOnly.map((s) => s.Sid)).toEqual(["WriteObjects", "UseDataKeyViaS3"]);
    expect(writeOnly[0].Action).toBe("s3:PutObject");
    expect(writeOnly[1].Action).toEqual(["kms:GenerateDataKey"]);
  });

  test("refuses whole-bucket or wildcard prefixes, empty grants and a second call for the same role", () => {
    const grant = (access: Parameters<Storage["grantImageAccess"]>[1]) =>
      synthStorage({}, (storage, role) => storage.grantImageAccess(role, access));
    expect(() => grant({ prefixes: [], read: true })).toThrow(/at least one prefix/);
    expect(() => grant({ prefixes: ["*"], read: true })).toThrow(/prefix "\*"/);
    expect(() => grant({ prefixes: ["uploads"], read: true })).toThrow(/ending in "\/"/);
    expect(() => grant({ prefixes: ["/"], read: true })).toThrow(/prefix "\/"/);
    expect(() => grant({ prefixes: ["uploads/"] })).toThrow(/read, write, delete/);
    expect(() =>
      synthStorage({}, (storage, role) => {
        storage.grantImageAccess(role, { prefixes: ["uploads/"], read: true });
        storage.grantImageAccess(role, { prefixes: ["thumbs/"], read: true });
      }),
    ).toThrow(/already called/);
  });
});
