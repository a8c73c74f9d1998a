import { Construct } from "constructs";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { EncryptionKey } from "../storage/encryption-key";
import { policyJson } from "../policies/document";
import { TopicPublishers, topicKeyStatements, topicPolicyStatements } from "../policies/notifications";

export interface NotificationTopicProps {
  /** Topic name, also the key alias (`alias/<name>`). */
  readonly name: string;
  /** Who may publish: this account's alarms with a name prefix and one budget. */
  readonly publishers: TopicPublishers;
  /** Address that receives every notification (SNS asks it to confirm first). @default no subscription */
  readonly email?: string;
  /** Role allowed to administer the topic's key. @default no extra administrator */
  readonly keyAdministratorRoleArn?: string;
}

/**
 * The operations topic: encrypted with its own customer managed key (AWS managed `alias/aws/sns` cannot be used,
 * because its key policy cannot grant CloudWatch or Budgets), publishable by this account's alarms and budget only,
 * with an optional email subscription.
 */
export class NotificationTopic extends Construct {
  readonly topic: SnsTopic;
  readonly topicArn: string;
  readonly key: EncryptionKey;
  readonly policy: SnsTopicPolicy;
  /** The email subscription, when an address was given. */
  readonly subscription?: SnsTopicSubscription;

  constructor(scope: Construct, id: string, props: NotificationTopicProps) {
    super(scope, id);
    this.key = new EncryptionKey(this, "key", {
      description: `Messages of the ${props.name} SNS topic`,
      alias: `alias/${props.name}`,
      accountId: props.publishers.accountId,
      administratorRoleArn: props.keyAdministratorRoleArn,
    });
    for (const statement of topicKeyStatements(props.publishers)) this.key.addPolicyStatement(statement);

    this.topic = new SnsTopic(this, "topic", { name: props.name, kmsMasterKeyId: this.key.keyArn });
    this.topicArn = this.topic.arn;
    this.policy = new SnsTopicPolicy(this, "policy", {
      arn: this.topic.arn,
      policy: policyJson(topicPolicyStatements(this.topic.arn, props.publishers)),
    });
    if (props.email !== undefined) {
      this.subscription = new SnsTopicSubscription(this, "email", {
        topicArn: this.topic.arn,
        protocol: "email",
        endpoint: props.email,
      });
    }
  }
}
