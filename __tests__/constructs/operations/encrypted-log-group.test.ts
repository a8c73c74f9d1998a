import { addEncryptedLogGroup } from "../../../constructs/operations/encrypted-log-group";
import { onlyResource, resolveRef, statementBySid, synthConstruct } from "../../../test-support/synth";

const ACCOUNT = "123456789012";
const stack = synthConstruct((scope) =>
  addEncryptedLogGroup(scope, {
    ids: { key: "app-log-key", group: "app-log-group" },
    name: "/imageshare/demo/app",
    keyDescription: "demo app logs",
    keyAlias: "alias/demo-app-logs",
    region: "eu-west-1",
    accountId: ACCOUNT,
    retentionDays: 30,
  }),
);

describe("addEncryptedLogGroup", () => {
  test("the group keeps logs for the given days, encrypted with its own rotated customer key", () => {
    const group = onlyResource(stack, "aws_cloudwatch_log_group");
    expect(group).toMatchObject({ name: "/imageshare/demo/app", retention_in_days: 30 });
    const key = resolveRef(stack, group.kms_key_id);
    expect(key.type).toBe("aws_kms_key");
    expect(key.resource.enable_key_rotation).toBe(true);
  });

  test("the key lets CloudWatch Logs use it for this group only", () => {
    const statement = statementBySid(
      onlyResource(stack, "aws_kms_key").policy,
      "AllowCloudWatchLogsForOneLogGroup",
    );
    expect(statement.Principal).toEqual({ Service: "logs.eu-west-1.amazonaws.com" });
    expect(statement.Condition).toEqual({
      ArnEquals: {
        "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/imageshare/demo/app`,
      },
    });
  });

  test("the resources are created in the caller's scope under the caller's ids (their deployed addresses)", () => {
    const groups = Object.keys(stack.resource?.aws_cloudwatch_log_group ?? {});
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatch(/app-log-group/);
  });
});
