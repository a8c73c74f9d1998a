import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { EncryptionKey } from "../storage/encryption-key";
import { policyJson, serviceTrustPolicy } from "../policies/document";
import { logGroupArn } from "../policies/arns";
import { addEncryptedLogGroup } from "../operations/encrypted-log-group";
import { flowLogTrustCondition, flowLogWriterStatements } from "../policies/logs";

export interface FlowLogsProps {
  /** Prefix of resource names, e.g. `imageshare-dev`. */
  readonly namePrefix: string;
  /** Region of the VPC (key policy and ARNs). */
  readonly region: string;
  /** Account that owns the VPC (a token is fine). */
  readonly accountId: string;
  /** The VPC whose traffic is logged. */
  readonly vpcId: string;
  /** Retention of the flow-log group, in days (a CloudWatch Logs retention value). */
  readonly logRetentionDays: number;
  /** Role allowed to administer the flow-log key. @default no extra administrator */
  readonly keyAdministratorRoleArn?: string;
}

/** What the flow logs leave for others to name. */
export interface FlowLogs {
  readonly groupName: string;
  readonly key: EncryptionKey;
}

/**
 * Flow logs of all traffic of a VPC into a log group encrypted with its own key, written by a role that can do no
 * more. The resources are added to `scope` (the Network), not to a construct of their own: a new scope would change
 * their Terraform addresses, and every deployed stack would replace its flow-log key and group.
 */
export function addFlowLogs(scope: Construct, props: FlowLogsProps): FlowLogs {
  const groupName = `/aws/vpc-flow-logs/${props.namePrefix}`;

  // Separate from the app data key (storage construct): another service, another blast radius; revoking or
  // losing one must not affect the other.
  const { key, group } = addEncryptedLogGroup(scope, {
    ids: { key: "flow-log-key", group: "flow-log-group" },
    name: groupName,
    keyDescription: `Encrypts the VPC flow logs of ${props.namePrefix}`,
    keyAlias: `alias/${props.namePrefix}-vpc-flow-logs`,
    region: props.region,
    accountId: props.accountId,
    retentionDays: props.logRetentionDays,
    keyAdministratorRoleArn: props.keyAdministratorRoleArn,
    keyStatementSid: "AllowCloudWatchLogsForFlowLogGroupOnly",
  });

  const role = new IamRole(scope, "flow-log-role", {
    name: `${props.namePrefix}-vpc-flow-logs`,
    description: "Lets VPC Flow Logs of this account write to the flow-log group",
    assumeRolePolicy: serviceTrustPolicy(
      "vpc-flow-logs.amazonaws.com",
      flowLogTrustCondition(props.region, props.accountId),
    ),
  });
  new IamRolePolicy(scope, "flow-log-role-policy", {
    role: role.id,
    name: "write-flow-log-group",
    policy: policyJson(flowLogWriterStatements(logGroupArn(props.region, props.accountId, groupName))),
  });

  new FlowLog(scope, "flow-log", {
    vpcId: props.vpcId,
    trafficType: "ALL",
    logDestinationType: "cloud-watch-logs",
    logDestination: group.arn,
    iamRoleArn: role.arn,
  });
  return { groupName, key };
}
