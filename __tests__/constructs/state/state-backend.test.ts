import { Testing } from "cdktf";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { StateBackend } from "../../../constructs/state/state-backend";
import { onlyResource, resolveRef } from "../../../test-support/synth";

function synthBackend() {
  const json = Testing.synthScope((scope) => {
    new StateBackend(scope, "state", {
      bucketName: "example-state",
      lockTableName: "example-locks",
      kmsKeyAlias: "alias/example-state",
      accountId: "123456789012",
      noncurrentVersionExpirationDays: 45,
    });
  });
  return { json, parsed: JSON.parse(json) };
}

describe("StateBackend", () => {
  test("the lock table: LockID string hash key, on demand, PITR, deletion protection, no destroy", () => {
    const { json } = synthBackend();
    expect(json).toHaveResourceWithProperties(DynamodbTable, {
      name: "example-locks",
      billing_mode: "PAY_PER_REQUEST",
      hash_key: "LockID",
      attribute: [{ name: "LockID", type: "S" }],
      point_in_time_recovery: { enabled: true },
      deletion_protection_enabled: true,
      lifecycle: { prevent_destroy: true },
    });
  });

  test("the lock table and the state bucket are encrypted with the state key", () => {
    const { parsed } = synthBackend();
    const table = onlyResource(parsed, "aws_dynamodb_table");
    const sse = table.server_side_encryption as { enabled: boolean; kms_key_arn: string };
    expect(sse.enabled).toBe(true);
    expect(resolveRef(parsed, sse.kms_key_arn).type).toBe("aws_kms_key");
    const encryption = onlyResource(parsed, "aws_s3_bucket_server_side_encryption_configuration") as {
      rule: {
        apply_server_side_encryption_by_default: { sse_algorithm: string; kms_master_key_id: string };
        bucket_key_enabled: boolean;
      }[];
    };
    expect(encryption.rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe("aws:kms");
    expect(encryption.rule[0].apply_server_side_encryption_by_default.kms_master_key_id).toBe(
      sse.kms_key_arn,
    );
    expect(encryption.rule[0].bucket_key_enabled).toBe(true);
  });

  test("the key rotates, has the alias the backends use and refuses destroy", () => {
    const { parsed } = synthBackend();
    expect(onlyResource(parsed, "aws_kms_key")).toMatchObject({
      enable_key_rotation: true,
      lifecycle: { prevent_destroy: true },
    });
    expect(onlyResource(parsed, "aws_kms_alias")).toMatchObject({ name: "alias/example-state" });
  });

  test("the state bucket is versioned, expires old versions and refuses destroy", () => {
    const { parsed } = synthBackend();
    expect(onlyResource(parsed, "aws_s3_bucket")).toMatchObject({
      bucket: "example-state",
      lifecycle: { prevent_destroy: true },
    });
    expect(onlyResource(parsed, "aws_s3_bucket_versioning")).toMatchObject({
      versioning_configuration: { status: "Enabled" },
    });
    expect(onlyResource(parsed, "aws_s3_bucket_lifecycle_configuration").rule).toContainEqual(
      expect.objectContaining({ noncurrent_version_expiration: [{ noncurrent_days: 45 }] }),
    );
  });
});
