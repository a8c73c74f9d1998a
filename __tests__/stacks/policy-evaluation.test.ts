/**
 * The synthesized identity, bucket, endpoint and key policies evaluated together as AWS evaluates a request
 * (@cloud-copilot/iam-simulate), with concrete ARNs in place of references. The principal, bucket, key and
 * endpoint are the ones the app's compute actually gets (found through the seam, shared/synthesized/compute.ts); the prefixes are the app's own (app/imageshare/contract.json).
 */
import appContract from "../../app/imageshare/contract.json";
import { synthProject } from "../../test-support/synth";
import { appComputeOf } from "../../shared/synthesized";
import { Decision, PolicySet, StackPolicies, evaluate } from "../../test-support/access-simulation";
import { PolicyDocument } from "../../constructs/policies/document";

const FOREIGN_ACCOUNT = "444455556666";
const stacks = synthProject();
const appStacks = Object.keys(stacks).filter((name) => name.startsWith("app-"));

/** The app's key prefixes, from the contract the app itself reads (app/imageshare/contract.json). */
function appPrefixes(): { uploads: string; thumbs: string } {
  return { uploads: appContract.keyPrefixes.uploads, thumbs: appContract.keyPrefixes.thumbnails };
}

/** Everything a case needs, found through the seam: the app role and the settings the compute hands the app. */
function subjects(stackName: string) {
  const policies = new StackPolicies(stacks[stackName]);
  const values = policies.values;
  const compute = appComputeOf(stacks[stackName]);
  const properties = compute.appEnvironment;
  const role = { type: "aws_iam_role", name: compute.appRole };
  const roleName = values.attribute(role.type, role.name, "name");
  const roleArn = values.attribute(role.type, role.name, "arn");
  const bucketName = policies.value(properties.IMAGES_BUCKET);
  const keyArn = policies.value(properties.KMS_KEY_ARN);
  const key = policies.target(properties.KMS_KEY_ARN);
  const s3Endpoints = policies
    .resources("aws_vpc_endpoint")
    .filter(([, e]) => e.vpc_endpoint_type === "Gateway" && String(e.service_name).endsWith(".s3"));
  if (s3Endpoints.length !== 1) throw new Error("expected one S3 gateway endpoint");
  const [endpointName, endpoint] = s3Endpoints[0];
  const identity = policies.rolePolicies(roleName);
  return {
    kind: compute.kind,
    accountId: values.accountId,
    region: values.region,
    roleArn,
    bucketName,
    bucketArn: `arn:aws:s3:::${bucketName}`,
    keyArn,
    endpointId: values.attribute("aws_vpc_endpoint", endpointName, "id"),
    identity,
    bucketPolicy: policies.bucketPolicy(bucketName),
    endpointPolicy: policies.policy(endpoint.policy),
    keyPolicy: policies.policy(key.resource.policy),
  };
}

type Context = Record<string, string | undefined>;

interface Case {
  readonly name: string;
  readonly principal: "app" | "admin" | "anonymous";
  readonly action: string;
  /** Object key, `bucket`, `key`, or a full ARN. */
  readonly resource: string;
  /** Changes to the baseline context (undefined removes a key). */
  readonly context?: Context;
  /** S3 requests pass through the gateway endpoint unless false. @default true for the app */
  readonly throughEndpoint?: boolean;
  /** An extra identity policy for the caller (used to isolate what the resource or endpoint policy does). */
  readonly extraIdentity?: PolicyDocument;
  /** A resource policy replacing the synthesized one (a foreign bucket). */
  readonly resourcePolicy?: PolicyDocument;
  readonly expected: Decision;
  /** Sid of the statement that must be the one denying. */
  readonly deniedBy?: string;
  /** The policy type that must block an otherwise allowed request (`vpce`, `resource`). */
  readonly blockedBy?: string;
  /** The request becomes Allowed with these context changes: proof that the decision turns on those keys. */
  readonly allowedWith?: Context;
}

/** A bucket policy that lets anyone write: isolates what our endpoint policy allows. */
const WORLD_WRITABLE: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [
    { Sid: "WorldWritable", Effect: "Allow", Principal: "*", Action: "s3:PutObject", Resource: "*" },
  ],
};

const ADMIN_S3: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [{ Sid: "AdminS3", Effect: "Allow", Action: "s3:*", Resource: "*" }],
};

function cases(p: ReturnType<typeof appPrefixes>, s: ReturnType<typeof subjects>): Case[] {
  const upload = `${p.uploads}0123456789ABCDEFGHJKMNPQRS.jpg`;
  const thumb = `${p.thumbs}0123456789ABCDEFGHJKMNPQRS.webp`;
  const viaS3 = `s3.${s.region}.amazonaws.com`;
  const kms = (extra: Context = {}): Context => ({
    "kms:ViaService": viaS3,
    "kms:CallerAccount": s.accountId,
    "kms:EncryptionContext:aws:s3:arn": s.bucketArn,
    ...extra,
  });
  const waitConditionKey = (account: string) =>
    `arn:aws:s3:::cloudformation-waitcondition-${s.region}/arn:aws:cloudformation:${s.region}:${account}:` +
    "stack/awseb-e-abcdefghij-stack/9a3816a0-f53f-11e5-a31d-50d5caf92cd2/AWSEBInstanceLaunchWaitHandle";
  const otherKey = `arn:aws:kms:${s.region}:${s.accountId}:key/00000000-0000-0000-0000-000000000000`;
  return [
    {
      name: "app writes an upload over TLS through the endpoint",
      principal: "app",
      action: "s3:PutObject",
      resource: upload,
      expected: "Allowed",
    },
    {
      name: "app writes with the SSE-KMS header naming our key",
      principal: "app",
      action: "s3:PutObject",
      resource: thumb,
      context: {
        "s3:x-amz-server-side-encryption": "aws:kms",
        "s3:x-amz-server-side-encryption-aws-kms-key-id": s.keyArn,
      },
      expected: "Allowed",
    },
    {
      name: "app reads an upload",
      principal: "app",
      action: "s3:GetObject",
      resource: upload,
      expected: "Allowed",
    },
    {
      name: "app reads a thumbnail",
      principal: "app",
      action: "s3:GetObject",
      resource: thumb,
      expected: "Allowed",
    },
    {
      name: "app lists its uploads prefix",
      principal: "app",
      action: "s3:ListBucket",
      resource: "bucket",
      context: { "s3:prefix": p.uploads },
      expected: "Allowed",
    },
    {
      name: "S3 generates a data key for the app",
      principal: "app",
      action: "kms:GenerateDataKey",
      resource: "key",
      context: kms(),
      expected: "Allowed",
    },
    {
      name: "S3 decrypts for the app",
      principal: "app",
      action: "kms:Decrypt",
      resource: "key",
      context: kms(),
      expected: "Allowed",
    },
    {
      name: "plain HTTP is denied",
      principal: "app",
      action: "s3:GetObject",
      resource: upload,
      context: { "aws:SecureTransport": "false" },
      expected: "ExplicitlyDenied",
      deniedBy: "DenyInsecureTransport",
      allowedWith: { "aws:SecureTransport": "true" },
    },
    {
      name: "TLS 1.1 is denied",
      principal: "app",
      action: "s3:PutObject",
      resource: upload,
      context: { "s3:TlsVersion": "1.1" },
      expected: "ExplicitlyDenied",
      deniedBy: "DenyOutdatedTls",
      allowedWith: { "s3:TlsVersion": "1.2" },
    },
    {
      name: "the app role through another VPC endpoint is denied",
      principal: "app",
      action: "s3:GetObject",
      resource: upload,
      context: { "aws:SourceVpce": "vpce-0123456789abcdef0" },
      expected: "ExplicitlyDenied",
      deniedBy: "DenyAppRoleOutsideVpcEndpoint",
      allowedWith: { "aws:SourceVpce": s.endpointId },
    },
    {
      name: "the app role's credentials used from outside the VPC are denied",
      principal: "app",
      action: "s3:GetObject",
      resource: upload,
      throughEndpoint: false,
      expected: "ExplicitlyDenied",
      deniedBy: "DenyAppRoleOutsideVpcEndpoint",
    },
    {
      name: "an SSE-S3 header is denied",
      principal: "app",
      action: "s3:PutObject",
      resource: upload,
      context: { "s3:x-amz-server-side-encryption": "AES256" },
      expected: "ExplicitlyDenied",
      deniedBy: "DenyNonKmsEncryptionHeader",
      allowedWith: { "s3:x-amz-server-side-encryption": "aws:kms" },
    },
    {
      name: "another KMS key is denied",
      principal: "app",
      action: "s3:PutObject",
      resource: upload,
      context: {
        "s3:x-amz-server-side-encryption": "aws:kms",
        "s3:x-amz-server-side-encryption-aws-kms-key-id": otherKey,
      },
      expected: "ExplicitlyDenied",
      deniedBy: "DenyOtherKmsKey",
      allowedWith: { "s3:x-amz-server-side-encryption-aws-kms-key-id": s.keyArn },
    },
    {
      name: "customer-provided keys (SSE-C) are denied",
      principal: "app",
      action: "s3:PutObject",
      resource: upload,
      context: { "s3:x-amz-server-side-encryption-customer-algorithm": "AES256" },
      expected: "ExplicitlyDenied",
      deniedBy: "DenyCustomerProvidedKeys",
      allowedWith: { "s3:x-amz-server-side-encryption-customer-algorithm": undefined },
    },
    {
      name: "app cannot delete outside its prefixes",
      principal: "app",
      action: "s3:DeleteObject",
      resource: "other/secret.txt",
      expected: "ImplicitlyDenied",
    },
    {
      name: "app cannot write outside its prefixes",
      principal: "app",
      action: "s3:PutObject",
      resource: "other/x.jpg",
      expected: "ImplicitlyDenied",
    },
    {
      name: "app cannot change the bucket policy",
      principal: "app",
      action: "s3:PutBucketPolicy",
      resource: "bucket",
      expected: "ImplicitlyDenied",
    },
    {
      name: "app cannot list the whole bucket",
      principal: "app",
      action: "s3:ListBucket",
      resource: "bucket",
      context: { "s3:prefix": "" },
      expected: "ImplicitlyDenied",
      allowedWith: { "s3:prefix": p.uploads },
    },
    {
      name: "nothing can be written to a foreign, world-writable bucket through our endpoint",
      principal: "admin",
      action: "s3:PutObject",
      resource: `arn:aws:s3:::exfiltration-target-${FOREIGN_ACCOUNT}/loot.bin`,
      extraIdentity: ADMIN_S3,
      resourcePolicy: {
        Version: "2012-10-17",
        Statement: [
          { Sid: "WorldWritable", Effect: "Allow", Principal: "*", Action: "s3:PutObject", Resource: "*" },
        ],
      },
      throughEndpoint: true,
      expected: "ImplicitlyDenied",
      blockedBy: "vpce",
    },
    {
      // CloudFormation presigns wait-condition URLs: the object key (the stack ARN) is all the endpoint can judge.
      name: "a wait-condition signal for another account's stack cannot be sent through our endpoint",
      principal: "admin",
      action: "s3:PutObject",
      resource: waitConditionKey(FOREIGN_ACCOUNT),
      extraIdentity: ADMIN_S3,
      resourcePolicy: WORLD_WRITABLE,
      throughEndpoint: true,
      expected: "ImplicitlyDenied",
      blockedBy: "vpce",
    },
    {
      // Only Beanstalk's endpoint lets wait-condition signals through; Fargate's knows no CloudFormation.
      name: `a wait-condition signal for this account's EB stack ${s.kind === "beanstalk" ? "passes" : "does not pass"} our endpoint`,
      principal: "admin",
      action: "s3:PutObject",
      resource: waitConditionKey(s.accountId),
      extraIdentity: ADMIN_S3,
      resourcePolicy: WORLD_WRITABLE,
      throughEndpoint: true,
      expected: s.kind === "beanstalk" ? "Allowed" : "ImplicitlyDenied",
      ...(s.kind === "beanstalk" ? {} : { blockedBy: "vpce" }),
    },
    {
      // ECR serves image layers from its own bucket through presigned URLs (ECR user guide, "Minimum Amazon S3
      // bucket permissions"): only Fargate's endpoint lets those reads through.
      name: `an ECR image-layer read ${s.kind === "fargate" ? "passes" : "does not pass"} our endpoint`,
      principal: "admin",
      action: "s3:GetObject",
      resource: `arn:aws:s3:::prod-${s.region}-starport-layer-bucket/sha256/layer`,
      extraIdentity: ADMIN_S3,
      resourcePolicy: {
        Version: "2012-10-17",
        Statement: [
          { Sid: "WorldReadable", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*" },
        ],
      },
      throughEndpoint: true,
      expected: s.kind === "fargate" ? "Allowed" : "ImplicitlyDenied",
      ...(s.kind === "fargate" ? {} : { blockedBy: "vpce" }),
    },
    {
      name: "anonymous reads are denied",
      principal: "anonymous",
      action: "s3:GetObject",
      resource: upload,
      expected: "ImplicitlyDenied",
    },
    {
      name: "the app cannot use the key directly (no kms:ViaService)",
      principal: "app",
      action: "kms:Decrypt",
      resource: "key",
      context: kms({ "kms:ViaService": undefined }),
      expected: "ImplicitlyDenied",
      allowedWith: { "kms:ViaService": viaS3 },
    },
    {
      name: "the key is not usable via another service",
      principal: "app",
      action: "kms:GenerateDataKey",
      resource: "key",
      context: kms({ "kms:ViaService": `sqs.${s.region}.amazonaws.com` }),
      expected: "ImplicitlyDenied",
      allowedWith: { "kms:ViaService": viaS3 },
    },
    {
      name: "the app cannot use another key even via S3",
      principal: "app",
      action: "kms:Decrypt",
      resource: otherKey,
      context: kms(),
      expected: "ImplicitlyDenied",
    },
    {
      name: "the app cannot pass roles",
      principal: "app",
      action: "iam:PassRole",
      resource: `arn:aws:iam::${s.accountId}:role/admin`,
      expected: "ImplicitlyDenied",
    },
    {
      name: "an administrator (s3:* identity policy) is not locked out, from outside the VPC",
      principal: "admin",
      action: "s3:PutBucketPolicy",
      resource: "bucket",
      throughEndpoint: false,
      extraIdentity: ADMIN_S3,
      expected: "Allowed",
    },
    {
      name: "an administrator still needs TLS",
      principal: "admin",
      action: "s3:GetObject",
      resource: upload,
      throughEndpoint: false,
      extraIdentity: ADMIN_S3,
      context: { "aws:SecureTransport": "false" },
      expected: "ExplicitlyDenied",
      deniedBy: "DenyInsecureTransport",
      allowedWith: { "aws:SecureTransport": "true" },
    },
    ...ec2Cases(s),
  ];
}

/** What only EC2 instances fetch through the endpoint: dnf's AL2023 repositories, and no other AWS-owned bucket. */
function ec2Cases(s: ReturnType<typeof subjects>): Case[] {
  if (s.kind !== "ec2") return [];
  const repository = (region: string) =>
    `arn:aws:s3:::al2023-repos-${region}-de612dc2/core/mirrors/latest/repomd.xml`;
  const worldReadable: PolicyDocument = {
    Version: "2012-10-17",
    Statement: [
      { Sid: "WorldReadable", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*" },
    ],
  };
  const base = {
    principal: "admin" as const,
    action: "s3:GetObject",
    extraIdentity: ADMIN_S3,
    throughEndpoint: true,
  };
  return [
    {
      ...base,
      name: "dnf reads this region's AL2023 repositories through our endpoint",
      resource: repository(s.region),
      resourcePolicy: worldReadable,
      expected: "Allowed",
    },
    {
      ...base,
      name: "another region's AL2023 repositories do not pass our endpoint",
      resource: repository("us-east-1"),
      resourcePolicy: worldReadable,
      expected: "ImplicitlyDenied",
      blockedBy: "vpce",
    },
  ];
}

describe.each(appStacks)("policies of %s evaluated as AWS would", (stackName) => {
  const s = subjects(stackName);
  const adminArn = `arn:aws:iam::${s.accountId}:role/administrator`;

  test("the app role has no AWS managed policy that would escape this evaluation", () => {
    expect(s.identity.awsManagedArns).toEqual([]);
    expect(s.identity.inline.length).toBeGreaterThan(0);
  });

  async function run(c: Case, contextChange: Context = {}) {
    const kmsRequest = c.action.startsWith("kms:");
    const principal = c.principal === "app" ? s.roleArn : c.principal === "admin" ? adminArn : "anonymous";
    const resource =
      c.resource === "bucket"
        ? s.bucketArn
        : c.resource === "key"
          ? s.keyArn
          : c.resource.startsWith("arn:")
            ? c.resource
            : `${s.bucketArn}/${c.resource}`;
    // Only S3 requests pass through the S3 gateway endpoint.
    const throughEndpoint = c.action.startsWith("s3:") && (c.throughEndpoint ?? c.principal === "app");
    const s3Request = c.action.startsWith("s3:");
    const baseline: Context = !s3Request
      ? {}
      : {
          "aws:SecureTransport": "true",
          "s3:TlsVersion": "1.3",
          "aws:SourceVpce": throughEndpoint ? s.endpointId : undefined,
        };
    if (principal !== "anonymous") {
      baseline["aws:PrincipalArn"] = principal;
      baseline["aws:PrincipalAccount"] = s.accountId;
    }
    const merged = { ...baseline, ...c.context, ...contextChange };
    const context = Object.fromEntries(
      Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    const identity = [
      ...(c.principal === "app" ? s.identity.inline : []),
      ...(c.extraIdentity ? [{ name: "extra", policy: c.extraIdentity }] : []),
    ];
    const policies: PolicySet = {
      identity,
      resource: c.resourcePolicy ?? (kmsRequest ? s.keyPolicy : s.bucketPolicy),
      endpoints: throughEndpoint ? [{ name: "s3-gateway", policy: s.endpointPolicy }] : undefined,
    };
    const foreign = resource.includes(FOREIGN_ACCOUNT);
    return evaluate(
      { principal, action: c.action, resource, accountId: foreign ? FOREIGN_ACCOUNT : s.accountId, context },
      policies,
    );
  }

  const all = cases(appPrefixes(), s);

  test("the table has at least 15 requests, allowed and denied", () => {
    expect(all.length).toBeGreaterThanOrEqual(15);
    expect(all.filter((c) => c.expected === "Allowed").length).toBeGreaterThanOrEqual(5);
    expect(all.filter((c) => c.expected !== "Allowed").length).toBeGreaterThanOrEqual(10);
  });

  test.each(all.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const result = await run(c);
    // A context key the simulator does not know for this action would be dropped silently: the case would be void.
    expect(result.ignoredContextKeys).toEqual([]);
    expect(result.decision).toBe(c.expected);
    // iam-simulate cannot evaluate kms:EncryptionContext:* (colon-templated): the app grant's bucket-ARN encryption
    // context (its only such condition) is left to the storage tests; everything else is evaluated here.
    expect(result.strippedConditionKeys).toEqual(
      c.principal === "app" ? ["kms:EncryptionContext:aws:s3:arn"] : [],
    );
    if (c.deniedBy) expect(result.denyingSids).toContain(c.deniedBy);
    if (c.blockedBy) expect(result.blockedBy).toContain(c.blockedBy);
    if (c.allowedWith) {
      const flipped = await run(c, c.allowedWith);
      expect(flipped.ignoredContextKeys).toEqual([]);
      expect(flipped.decision).toBe("Allowed");
    }
    if (c.blockedBy === "vpce") {
      const withoutEndpoint = await run({ ...c, throughEndpoint: false });
      expect(withoutEndpoint.decision).toBe("Allowed");
    }
  });
});
