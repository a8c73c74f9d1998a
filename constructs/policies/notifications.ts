import { PolicyStatement } from "./document";
import { onBehalfOfAccount } from "./this-account";

/**
 * Who may publish to the operations topic: CloudWatch alarms and one AWS Budgets budget of this account.
 *
 * - CloudWatch alarms publish as `cloudwatch.amazonaws.com`; the request carries the alarm's ARN
 *   (`arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME`) as `aws:SourceArn` and its account as `aws:SourceAccount`
 *   (SNS guide, "Amazon SNS security best practices" / confused-deputy prevention; CloudWatch guide, "Using Amazon
 *   CloudWatch alarms", action to an SNS topic).
 * - AWS Budgets publishes as `budgets.amazonaws.com`. Its guide ("Creating an Amazon SNS topic for budget
 *   notifications", https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-sns-policy.html) binds the
 *   publisher with `aws:SourceAccount` and `aws:SourceArn` ArnLike `arn:aws:budgets::ACCOUNT:*`, and documents no
 *   narrower `aws:SourceArn`: which ARN Budgets sends is not stated, and a topic that required the budget's own ARN
 *   stopped receiving budget alerts until the condition was removed (cds-snc/notification-terraform#2042). So the
 *   documented wildcard: any budget of this account, no other account's. The key statement adds the topic's
 *   encryption context (see `topicKeyStatements`), so the key serves this topic's messages only.
 */
export interface TopicPublishers {
  /** Account that owns the topic, the alarms and the budget (a token is fine). */
  readonly accountId: string;
  /** Region of the alarms. */
  readonly region: string;
  /** Alarm names start with this; only those alarms may publish. */
  readonly alarmNamePrefix: string;
  /** Name of the budget allowed to publish. */
  readonly budgetName: string;
}

/** ARN pattern of this account's alarms whose name starts with the prefix. */
export function alarmArnPattern(p: TopicPublishers): string {
  return `arn:aws:cloudwatch:${p.region}:${p.accountId}:alarm:${p.alarmNamePrefix}*`;
}

/** ARN of the budget (budgets are global: no region in the ARN). */
export function budgetArn(p: TopicPublishers): string {
  return `arn:aws:budgets::${p.accountId}:budget/${p.budgetName}`;
}

/** The documented `aws:SourceArn` of Budgets' publishes: any budget of this account. */
export function budgetSourceArnPattern(p: TopicPublishers): string {
  return `arn:aws:budgets::${p.accountId}:*`;
}

/** The two publishers: the service principal and the source ARN (pattern) it acts for. */
function publishers(p: TopicPublishers): { who: string; service: string; sourceArn: string }[] {
  return [
    { who: "Alarms", service: "cloudwatch.amazonaws.com", sourceArn: alarmArnPattern(p) },
    { who: "Budget", service: "budgets.amazonaws.com", sourceArn: budgetSourceArnPattern(p) },
  ];
}

/** One Allow for a publisher, only on behalf of this account's named source (and any further StringEquals). */
function publisherStatement(
  p: TopicPublishers,
  publisher: { service: string; sourceArn: string },
  sid: string,
  action: string | string[],
  resource: string,
  alsoEquals: Record<string, string> = {},
): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Principal: { Service: publisher.service },
    Action: action,
    Resource: resource,
    Condition: {
      StringEquals: { ...onBehalfOfAccount(p.accountId).StringEquals, ...alsoEquals },
      ArnLike: { "aws:SourceArn": publisher.sourceArn },
    },
  };
}

/**
 * Topic policy: `sns:Publish` for the two services on behalf of this account's named alarms and budget, and nothing
 * else. The owner account keeps its IAM-delegated access (no statement needed: the topic owner's IAM policies apply),
 * TLS is required for every request.
 */
export function topicPolicyStatements(topicArn: string, p: TopicPublishers): PolicyStatement[] {
  return [
    ...publishers(p).map((publisher) =>
      publisherStatement(p, publisher, `AllowThisAccounts${publisher.who}ToPublish`, "sns:Publish", topicArn),
    ),
    {
      Sid: "DenyRequestsWithoutTls",
      Effect: "Deny",
      Principal: "*",
      Action: "sns:*",
      Resource: topicArn,
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  ];
}

/**
 * Key policy statements that let the two publishers use the topic's key. SNS encrypts each message with a data key
 * the publisher's service principal must be able to generate and decrypt: "Enable compatibility between event
 * sources from AWS services and encrypted topics" grants `kms:GenerateDataKey*` and `kms:Decrypt`, bound by
 * `aws:SourceArn` and by the encryption context SNS sends, `kms:EncryptionContext:aws:sns:topicArn` = the topic's
 * ARN (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services). The same
 * SourceAccount/SourceArn conditions as on the topic keep other accounts' alarms and budgets out; the encryption
 * context keeps the key to this topic. `topicArn` is the ARN built from the name (the topic's own ARN attribute
 * would make the key depend on the topic that depends on the key).
 */
export function topicKeyStatements(p: TopicPublishers, topicArn: string): PolicyStatement[] {
  return publishers(p).map((publisher) =>
    publisherStatement(
      p,
      publisher,
      `AllowThisAccounts${publisher.who}ToUseTheTopicKey`,
      ["kms:GenerateDataKey*", "kms:Decrypt"],
      "*",
      { "kms:EncryptionContext:aws:sns:topicArn": topicArn },
    ),
  );
}
