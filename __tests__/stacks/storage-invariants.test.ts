/**
 * Whole-project storage invariants: every bucket and every key of every stack, including ones added later by any
 * construct. A bucket that skips PrivateBucket has to meet the same bar.
 */
import { PolicyStatement } from "../../constructs/policies/document";
import { SynthesizedStack, asList, parsePolicy, resourcesOf, synthProject } from "../../test-support/synth";
import { denyingSids } from "../../test-support/statement-matcher";

const stacks = synthProject();
const stackNames = Object.keys(stacks);

/** Resources of `type` attached to the bucket (`${aws_s3_bucket.NAME.id}` or `.bucket`). */
function attachedTo(stack: SynthesizedStack, type: string, bucket: string) {
  const refs = [`\${aws_s3_bucket.${bucket}.id}`, `\${aws_s3_bucket.${bucket}.bucket}`];
  return Object.values(resourcesOf(stack, type)).filter((r) => refs.includes(r.bucket as string));
}

const buckets = stackNames.flatMap((stackName) =>
  Object.keys(resourcesOf(stacks[stackName], "aws_s3_bucket")).map((bucket) => [stackName, bucket] as const),
);

test("the invariants see the buckets and keys of the state stack and of both app stacks", () => {
  expect(buckets.filter(([s]) => s === "state").length).toBeGreaterThanOrEqual(1);
  for (const app of ["app-dev", "app-prod"])
    expect(buckets.filter(([s]) => s === app).length).toBeGreaterThanOrEqual(3);
  for (const stackName of ["state", "app-dev", "app-prod"]) {
    expect(Object.keys(resourcesOf(stacks[stackName], "aws_kms_key")).length).toBeGreaterThanOrEqual(1);
  }
});

describe.each(buckets)("%s: bucket %s", (stackName, bucket) => {
  const stack = stacks[stackName];
  const arn = `\${aws_s3_bucket.${bucket}.arn}`;

  test("blocks all four kinds of public access", () => {
    expect(attachedTo(stack, "aws_s3_bucket_public_access_block", bucket)).toEqual([
      expect.objectContaining({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      }),
    ]);
  });

  test("has explicit default encryption", () => {
    const [encryption] = attachedTo(stack, "aws_s3_bucket_server_side_encryption_configuration", bucket);
    const rules = asList(encryption?.rule as Record<string, Record<string, unknown>>[]);
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect(["aws:kms", "aws:kms:dsse", "AES256"]).toContain(
        rule.apply_server_side_encryption_by_default?.sse_algorithm,
      );
    }
  });

  test("a KMS-encrypted bucket depends on its key: destroy never schedules the key while the bucket stays", () => {
    const [encryption] = attachedTo(stack, "aws_s3_bucket_server_side_encryption_configuration", bucket);
    const rules = asList(encryption?.rule as Record<string, Record<string, unknown>>[]);
    const keyRefs = rules
      .map((rule) => String(rule.apply_server_side_encryption_by_default?.kms_master_key_id ?? ""))
      .map((ref) => /^\$\{(aws_kms_key\.[^.]+)\.arn\}$/.exec(ref)?.[1])
      .filter((ref): ref is string => ref !== undefined);
    const dependsOn = (resourcesOf(stack, "aws_s3_bucket")[bucket].depends_on as string[] | undefined) ?? [];
    for (const key of keyRefs) expect(dependsOn).toContain(key);
  });

  test("is never force-destroyed", () => {
    expect(resourcesOf(stack, "aws_s3_bucket")[bucket].force_destroy).not.toBe(true);
  });

  test("has a policy that denies plain HTTP and TLS < 1.2 on the bucket and its objects", () => {
    const policies = attachedTo(stack, "aws_s3_bucket_policy", bucket);
    expect(policies).toHaveLength(1);
    const policy = policies[0].policy as string;
    for (const resource of [arn, `${arn}/*`]) {
      const anyone = {
        action: "s3:GetObject",
        resource,
        principal: { AWS: "arn:aws:iam::111122223333:root" },
      };
      expect(
        denyingSids(policy, {
          ...anyone,
          context: { "aws:SecureTransport": "false", "s3:TlsVersion": "1.2" },
        }),
      ).not.toEqual([]);
      expect(
        denyingSids(policy, {
          ...anyone,
          context: { "aws:SecureTransport": "true", "s3:TlsVersion": "1.1" },
        }),
      ).not.toEqual([]);
    }
  });
});

describe.each(stackNames)("stack %s", (stackName) => {
  const stack = stacks[stackName];

  test("every KMS key rotates", () => {
    for (const key of Object.values(resourcesOf(stack, "aws_kms_key")))
      expect(key.enable_key_rotation).toBe(true);
  });

  test("no bucket policy allows a * principal", () => {
    const isAnyone = (s: PolicyStatement) =>
      s.Principal === "*" || (typeof s.Principal === "object" && asList(s.Principal.AWS).includes("*"));
    for (const policy of Object.values(resourcesOf(stack, "aws_s3_bucket_policy"))) {
      const open = parsePolicy(policy.policy).Statement.filter((s) => s.Effect === "Allow" && isAnyone(s));
      expect(open).toEqual([]);
    }
  });
});

describe.each(["app-dev", "app-prod"])("%s: server access logging", (stackName) => {
  const stack = stacks[stackName];
  const all = Object.entries(resourcesOf(stack, "aws_s3_bucket"));
  const [targetName] = all.find(([, b]) => String(b.bucket).includes("-access-logs-"))!;
  const targetPolicy = attachedTo(stack, "aws_s3_bucket_policy", targetName)[0].policy as string;
  const delivery = parsePolicy(targetPolicy).Statement.filter((s) => s.Effect === "Allow");

  test.each(all.filter(([name]) => name !== targetName).map(([name]) => name))(
    "bucket %s logs to the access-log bucket, and only S3 logging on its behalf may write its prefix",
    (bucket) => {
      const [logging] = attachedTo(stack, "aws_s3_bucket_logging", bucket);
      expect(logging?.target_bucket).toBe(`\${aws_s3_bucket.${targetName}.bucket}`);
      const grant = delivery.find(
        (s) => s.Resource === `\${aws_s3_bucket.${targetName}.arn}/${logging.target_prefix}*`,
      );
      const source = grant?.Condition?.ArnEquals?.["aws:SourceArn"];
      const bucketResource = resourcesOf(stack, "aws_s3_bucket")[bucket];
      expect([`\${aws_s3_bucket.${bucket}.arn}`, `arn:aws:s3:::${bucketResource.bucket}`]).toContain(source);
      expect(grant?.Principal).toEqual({ Service: "logging.s3.amazonaws.com" });
    },
  );
});
