/**
 * The operations topic's policy and its key's policy evaluated as AWS evaluates a publish (@cloud-copilot/iam-simulate),
 * with concrete ARNs: this account's alarms and budgets may publish; another account's principal, another account's
 * alarm or budget may not; the key's encryption-context binding to the topic is checked in
 * __tests__/constructs/notification-topic.test.ts (iam-simulate cannot evaluate kms:EncryptionContext keys).
 */
import { synthProject, onlyResource } from "../../test-support/synth";
import { StackPolicies, evaluate } from "../../test-support/access-simulation";

const FOREIGN_ACCOUNT = "444455556666";
const stacks = synthProject();
const appStacks = Object.keys(stacks).filter((name) => name.startsWith("app-"));

function subjects(stackName: string) {
  const policies = new StackPolicies(stacks[stackName]);
  const topicPolicy = onlyResource(stacks[stackName], "aws_sns_topic_policy");
  const topicArn = policies.value(topicPolicy.arn);
  const budget = onlyResource(stacks[stackName], "aws_budgets_budget");
  const topic = policies.target(topicPolicy.arn);
  const key = policies.target(topic.resource.kms_master_key_id);
  return {
    accountId: policies.values.accountId,
    region: policies.values.region,
    topicArn,
    alarmArn: (name: string, account = policies.values.accountId) =>
      `arn:aws:cloudwatch:${policies.values.region}:${account}:alarm:${name}`,
    budgetArn: (name: string, account = policies.values.accountId) =>
      `arn:aws:budgets::${account}:budget/${name}`,
    budgetName: budget.name as string,
    keyArn: policies.value(`\${${key.type}.${key.name}.arn}`),
    topicPolicy: policies.policy(topicPolicy.policy),
    keyPolicy: policies.policy(key.resource.policy),
  };
}

describe.each(appStacks)("%s: who may publish to the alarm topic", (stackName) => {
  const s = subjects(stackName);
  const alarmName = `${stackName.replace(/^app-/, "imageshare-")}-app-errors`;
  const request = (principal: string, action: string, resource: string, context: Record<string, string>) => ({
    principal,
    action,
    resource,
    accountId: s.accountId,
    context: { "aws:SecureTransport": "true", ...context },
  });
  const publish = async (principal: string, context: Record<string, string>) => {
    const result = await evaluate(request(principal, "sns:Publish", s.topicArn, context), {
      identity: [],
      resource: s.topicPolicy,
    });
    // A case that relies on a context key the simulator dropped would prove nothing.
    expect(result.ignoredContextKeys).toEqual([]);
    return result.decision;
  };
  // SNS asks KMS for the message key with the topic's ARN as encryption context.
  const topicContext = { "kms:EncryptionContext:aws:sns:topicArn": s.topicArn };
  const useKey = async (principal: string, action: string, context: Record<string, string>) =>
    (
      await evaluate(request(principal, action, s.keyArn, { ...topicContext, ...context }), {
        identity: [],
        resource: s.keyPolicy,
      })
    ).decision;

  test("this account's alarm and this environment's budget may publish", async () => {
    const alarm = { "aws:SourceAccount": s.accountId, "aws:SourceArn": s.alarmArn(alarmName) };
    const budget = { "aws:SourceAccount": s.accountId, "aws:SourceArn": s.budgetArn(s.budgetName) };
    expect(await publish("cloudwatch.amazonaws.com", alarm)).toBe("Allowed");
    expect(await publish("budgets.amazonaws.com", budget)).toBe("Allowed");
    for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
      expect(await useKey("cloudwatch.amazonaws.com", action, alarm)).toBe("Allowed");
      expect(await useKey("budgets.amazonaws.com", action, budget)).toBe("Allowed");
    }
  });

  test("a principal of another account cannot publish nor use the key, whatever it claims", async () => {
    const intruder = `arn:aws:iam::${FOREIGN_ACCOUNT}:role/intruder`;
    const claims = { "aws:SourceAccount": s.accountId, "aws:SourceArn": s.alarmArn(alarmName) };
    expect(await publish(intruder, {})).not.toBe("Allowed");
    expect(await publish(intruder, claims)).not.toBe("Allowed");
    expect(await useKey(intruder, "kms:GenerateDataKey", claims)).not.toBe("Allowed");
  });

  test("another account's alarm or budget cannot publish through the service (confused deputy)", async () => {
    expect(
      await publish("cloudwatch.amazonaws.com", {
        "aws:SourceAccount": FOREIGN_ACCOUNT,
        "aws:SourceArn": s.alarmArn(alarmName, FOREIGN_ACCOUNT),
      }),
    ).not.toBe("Allowed");
    expect(
      await publish("budgets.amazonaws.com", {
        "aws:SourceAccount": FOREIGN_ACCOUNT,
        "aws:SourceArn": s.budgetArn(s.budgetName, FOREIGN_ACCOUNT),
      }),
    ).not.toBe("Allowed");
    expect(
      await useKey("cloudwatch.amazonaws.com", "kms:GenerateDataKey", {
        "aws:SourceAccount": FOREIGN_ACCOUNT,
        "aws:SourceArn": s.alarmArn(alarmName, FOREIGN_ACCOUNT),
      }),
    ).not.toBe("Allowed");
  });

  test("Budgets is bound as its guide documents it: any budget of this account (arn:aws:budgets::ACCOUNT:*)", async () => {
    // Which ARN Budgets sends is not documented; a condition on the budget's own ARN stopped delivery elsewhere
    // (constructs/policies/notifications.ts). The account binds it; the key's encryption context binds the topic.
    const otherBudget = { "aws:SourceAccount": s.accountId, "aws:SourceArn": s.budgetArn("another-budget") };
    expect(await publish("budgets.amazonaws.com", otherBudget)).toBe("Allowed");
    const anyBudgetResource = {
      "aws:SourceAccount": s.accountId,
      "aws:SourceArn": `arn:aws:budgets::${s.accountId}:x`,
    };
    expect(await useKey("budgets.amazonaws.com", "kms:GenerateDataKey", anyBudgetResource)).toBe("Allowed");
  });

  test("this account's other alarms and other services cannot publish", async () => {
    const own = { "aws:SourceAccount": s.accountId };
    expect(
      await publish("cloudwatch.amazonaws.com", { ...own, "aws:SourceArn": s.alarmArn("unrelated-alarm") }),
    ).not.toBe("Allowed");
    expect(
      await publish("events.amazonaws.com", {
        ...own,
        "aws:SourceArn": `arn:aws:events:${s.region}:${s.accountId}:rule/any`,
      }),
    ).not.toBe("Allowed");
  });

  test("a request without TLS is denied", async () => {
    const decision = (
      await evaluate(
        {
          ...request("cloudwatch.amazonaws.com", "sns:Publish", s.topicArn, {
            "aws:SourceAccount": s.accountId,
            "aws:SourceArn": s.alarmArn(alarmName),
          }),
          context: {
            "aws:SecureTransport": "false",
            "aws:SourceAccount": s.accountId,
            "aws:SourceArn": s.alarmArn(alarmName),
          },
        },
        { identity: [], resource: s.topicPolicy },
      )
    ).decision;
    expect(decision).toBe("ExplicitlyDenied");
  });
});
