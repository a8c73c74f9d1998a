import { readFileSync } from "fs";
import { onlyResource, parsePolicy, resolveRef, synthProject } from "../../test-support/synth";
import { projectConfig } from "../../config";

const state = synthProject().state;

describe("state stack (bootstrap)", () => {
  test("keeps its own state in the bucket it creates (encrypted, locked), not in a local file", () => {
    expect(state.terraform?.backend).toEqual({
      s3: {
        bucket: projectConfig.state.bucketName,
        key: "state/terraform.tfstate",
        region: projectConfig.state.region,
        encrypt: true,
        kms_key_id: projectConfig.state.kmsKeyAlias,
        dynamodb_table: projectConfig.state.lockTableName,
        use_lockfile: true,
      },
    });
  });

  test("make state-bootstrap applies with a local state first, then migrates it into the bucket (e2e runs it)", () => {
    const script = readFileSync("scripts/state-bootstrap.sh", "utf8");
    expect(script).toContain('"backend": {"local"');
    expect(script).toContain("init -input=false -migrate-state -force-copy");
    expect(readFileSync("Makefile", "utf8")).toMatch(
      /^state-bootstrap: synth .*\n(\t.*\n)*\tscripts\/state-bootstrap\.sh/m,
    );
    expect(readFileSync("tools/e2e/run.sh", "utf8")).toContain("tools/e2e/state-bootstrap.sh");
  });

  test("the state bucket is private: four public-access blocks and ACLs disabled", () => {
    expect(onlyResource(state, "aws_s3_bucket")).toMatchObject({
      bucket: projectConfig.state.bucketName,
      force_destroy: false,
    });
    expect(onlyResource(state, "aws_s3_bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(onlyResource(state, "aws_s3_bucket_ownership_controls")).toMatchObject({
      rule: { object_ownership: "BucketOwnerEnforced" },
    });
  });

  test("the state bucket policy denies non-TLS and TLS < 1.2", () => {
    const statements = parsePolicy(onlyResource(state, "aws_s3_bucket_policy").policy).Statement;
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        expect.objectContaining({
          Effect: "Deny",
          Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
        }),
      ]),
    );
    expect(statements.filter((s) => s.Effect === "Allow")).toEqual([]);
  });

  test("the state bucket uses SSE-KMS with the rotated state key", () => {
    const encryption = onlyResource(state, "aws_s3_bucket_server_side_encryption_configuration") as {
      rule: { apply_server_side_encryption_by_default: { kms_master_key_id: string } }[];
    };
    const key = resolveRef(
      state,
      encryption.rule[0].apply_server_side_encryption_by_default.kms_master_key_id,
    );
    expect(key.resource).toMatchObject({ enable_key_rotation: true });
    expect(onlyResource(state, "aws_kms_alias")).toMatchObject({ name: projectConfig.state.kmsKeyAlias });
  });

  test("the key policy names the account root, read at plan time", () => {
    const [root] = parsePolicy(onlyResource(state, "aws_kms_key").policy).Statement;
    const [identity] = Object.keys(state.data?.aws_caller_identity ?? {});
    expect(root.Principal).toEqual({
      AWS: `arn:aws:iam::\${data.aws_caller_identity.${identity}.account_id}:root`,
    });
  });

  test("outputs the bucket, the lock table and the key", () => {
    expect(Object.keys(state.output ?? {}).sort()).toEqual([
      "lock_table",
      "state_bucket",
      "state_kms_key_arn",
    ]);
    expect(resolveRef(state, state.output?.state_kms_key_arn.value).type).toBe("aws_kms_key");
    expect(resolveRef(state, state.output?.lock_table.value).type).toBe("aws_dynamodb_table");
    expect(resolveRef(state, state.output?.state_bucket.value).type).toBe("aws_s3_bucket");
  });

  test("the lock table is encrypted, recoverable and protected", () => {
    expect(onlyResource(state, "aws_dynamodb_table")).toMatchObject({
      name: projectConfig.state.lockTableName,
      hash_key: "LockID",
      billing_mode: "PAY_PER_REQUEST",
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true },
      deletion_protection_enabled: true,
      lifecycle: { prevent_destroy: true },
    });
  });
});
