import { PolicyStatement } from "./document";
import { onBehalfOfAccount } from "./this-account";

/**
 * Who may publish to the operations topic: CloudWatch alarms and one AWS Budgets budget of this account.
 *
 * - CloudWatch alarms publish as `cloudwatch.amazonaws.com`; the request carries the alarm's ARN
 *   (`arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME`) as `aws:SourceArn` and its account as `aws:SourceAccount`
 *   (SNS guide, "Amazon SNS security best practices" / confused-deputy prevention; CloudWatch guide, "Using Amazon
 *   CloudWatch alarms", action to an SNS topic).
 * - AWS Budgets publishes as `budgets.amazonaws.com` with `aws:SourceArn` = the budget's ARN
 *   (`arn:aws:budgets::ACCOUNT:budget/NAME`, Service Authorization Reference, AWS Budgets resource types) and
 *   `aws:SourceAccount` (Cost Management guide, "Creating an Amazon SNS topic for budget notifications").
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

/** The two publishers: the service principal and the source ARN (pattern) it acts for. */
function publishers(p: TopicPublishers): { who: string; service: string; sourceArn: string }[] {
  return [
    { who: "Alarms", service: "cloudwatch.amazonaws.com", sourceArn: alarmArnPattern(p) },
    { who: "Budget", service: "budgets.amazonaws.com", sourceArn: budgetArn(p) },
  ];
}

/** One Allow for a publisher, only on behalf of this account's named source. */
function publisherStatement(
  p: TopicPublishers,
  publisher: { service: string; sourceArn: string },
  sid: string,
  action: string | string[],
  resource: string,
): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Principal: { Service: publisher.service },
    Action: action,
    Resource: resource,
    Condition: { ...onBehalfOfAccount(p.accountId), ArnLike: { "aws:SourceArn": publisher.sourceArn } },
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
 * sources from AWS services and encrypted topics" grants `kms:GenerateDataKey*` and `kms:Decrypt`
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services). The same
 * SourceAccount/SourceArn conditions as on the topic keep other accounts' alarms and budgets out.
 */
export function topicKeyStatements(p: TopicPublishers): PolicyStatement[] {
  return publishers(p).map((publisher) =>
    publisherStatement(
      p,
      publisher,
      `AllowThisAccounts${publisher.who}ToUseTheTopicKey`,
      ["kms:GenerateDataKey*", "kms:Decrypt"],
      "*",
    ),
  );
}
