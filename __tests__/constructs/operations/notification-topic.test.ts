import { NotificationTopic } from "../../../constructs/operations/notification-topic";
import {
  onlyResource,
  parsePolicy,
  resolveRef,
  resourcesOf,
  synthConstruct,
} from "../../../test-support/synth";

const PUBLISHERS = {
  accountId: "123456789012",
  region: "eu-west-1",
  alarmNamePrefix: "imageshare-dev-",
  budgetName: "imageshare-dev-monthly",
};

function synthTopic(email?: string) {
  return synthConstruct((scope) => {
    new NotificationTopic(scope, "notifications", {
      name: "imageshare-dev-alarms",
      publishers: PUBLISHERS,
      email,
    });
  });
}

describe("NotificationTopic", () => {
  const stack = synthTopic();

  test("is encrypted with its own customer managed key, not the AWS managed alias/aws/sns", () => {
    const topic = onlyResource(stack, "aws_sns_topic");
    expect(topic.name).toBe("imageshare-dev-alarms");
    const key = resolveRef(stack, topic.kms_master_key_id);
    expect(key.type).toBe("aws_kms_key");
    expect(key.resource.enable_key_rotation).toBe(true);
  });

  test("the topic policy lets only CloudWatch alarms and the budget of this account publish, over TLS", () => {
    const policy = onlyResource(stack, "aws_sns_topic_policy");
    const statements = parsePolicy(policy.policy).Statement;
    const allows = statements.filter((s) => s.Effect === "Allow");
    expect(allows.map((s) => [s.Principal, s.Action])).toEqual([
      [{ Service: "cloudwatch.amazonaws.com" }, "sns:Publish"],
      [{ Service: "budgets.amazonaws.com" }, "sns:Publish"],
    ]);
    expect(allows[0].Condition).toEqual({
      StringEquals: { "aws:SourceAccount": "123456789012" },
      ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:imageshare-dev-*" },
    });
    expect(allows[1].Condition).toEqual({
      StringEquals: { "aws:SourceAccount": "123456789012" },
      ArnLike: { "aws:SourceArn": "arn:aws:budgets::123456789012:budget/imageshare-dev-monthly" },
    });
    for (const s of allows) expect(s.Resource).toBe(policy.arn);
    expect(statements.find((s) => s.Effect === "Deny")).toMatchObject({
      Principal: "*",
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
  });

  test("the key lets the same two publishers generate and decrypt data keys, with the same conditions", () => {
    const key = onlyResource(stack, "aws_kms_key");
    const statements = parsePolicy(key.policy).Statement;
    const services = statements.filter(
      (s) => s.Principal !== "*" && typeof s.Principal === "object" && s.Principal.Service,
    );
    expect(services.map((s) => [s.Principal, s.Action])).toEqual([
      [{ Service: "cloudwatch.amazonaws.com" }, ["kms:GenerateDataKey*", "kms:Decrypt"]],
      [{ Service: "budgets.amazonaws.com" }, ["kms:GenerateDataKey*", "kms:Decrypt"]],
    ]);
    for (const s of services) {
      expect(s.Condition?.StringEquals).toEqual({ "aws:SourceAccount": "123456789012" });
      expect(s.Condition?.ArnLike?.["aws:SourceArn"]).toMatch(/:123456789012:/);
    }
  });

  test("an email subscription only when an address is given", () => {
    expect(resourcesOf(stack, "aws_sns_topic_subscription")).toEqual({});
    const subscribed = synthTopic("oncall@example.com");
    expect(onlyResource(subscribed, "aws_sns_topic_subscription")).toMatchObject({
      protocol: "email",
      endpoint: "oncall@example.com",
    });
  });
});
