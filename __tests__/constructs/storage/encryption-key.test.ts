import { EncryptionKey } from "../../../constructs/storage/encryption-key";
import { asList, onlyResource, parsePolicy, synthConstruct } from "../../../test-support/synth";

function synthKey(administratorRoleArn?: string) {
  return synthConstruct((scope) => {
    const key = new EncryptionKey(scope, "data-key", {
      description: "test data",
      alias: "alias/test-data",
      accountId: "123456789012",
      administratorRoleArn,
    });
    key.addPolicyStatement({
      Sid: "AllowLogs",
      Effect: "Allow",
      Principal: { Service: "logs.eu-west-1.amazonaws.com" },
      Action: "kms:Encrypt*",
      Resource: "*",
    });
  });
}

describe("EncryptionKey", () => {
  test("rotates, waits 30 days before deletion and has an alias", () => {
    const parsed = synthKey();
    expect(onlyResource(parsed, "aws_kms_key")).toMatchObject({
      enable_key_rotation: true,
      deletion_window_in_days: 30,
    });
    expect(onlyResource(parsed, "aws_kms_alias")).toMatchObject({ name: "alias/test-data" });
  });

  test("delegates to IAM of this account and never names a bare * principal", () => {
    const statements = parsePolicy(onlyResource(synthKey(), "aws_kms_key").policy).Statement;
    expect(statements[0]).toMatchObject({
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::123456789012:root" },
      Action: "kms:*",
    });
    for (const statement of statements) expect(statement.Principal).not.toBe("*");
    expect(statements.map((s) => s.Sid)).toContain("AllowLogs");
  });

  test("adds a key administrator that cannot use the key for data", () => {
    const statements = parsePolicy(
      onlyResource(synthKey("arn:aws:iam::123456789012:role/admin"), "aws_kms_key").policy,
    ).Statement;
    const admin = statements.find((s) => s.Sid === "AllowKeyAdministration");
    expect(admin?.Principal).toEqual({ AWS: "arn:aws:iam::123456789012:role/admin" });
    const actions = asList(admin?.Action);
    for (const dataAction of ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:*"])
      expect(actions).not.toContain(dataAction);
    expect(statements.map((s) => s.Sid)).not.toContain(undefined);
  });

  test("has no administrator statement by default", () => {
    const statements = parsePolicy(onlyResource(synthKey(), "aws_kms_key").policy).Statement;
    expect(statements.map((s) => s.Sid)).not.toContain("AllowKeyAdministration");
  });
});
