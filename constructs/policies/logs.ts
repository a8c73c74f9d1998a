/** CloudWatch Logs: the actions of a writer to existing groups, and the VPC flow-log role's policies. */
import { PolicyCondition, PolicyStatement } from "./document";
import { onBehalfOfAccount } from "./this-account";

/**
 * What a writer to a log group that already exists needs: its own streams, their events, and finding a stream
 * (agents look theirs up before writing). No CreateLogGroup: a typo must not create an unencrypted group.
 */
export const LOG_STREAM_WRITE_ACTIONS: readonly string[] = [
  "logs:CreateLogStream",
  "logs:PutLogEvents",
  "logs:DescribeLogStreams",
];

/** Trust condition of the flow-log role: only flow logs of this account may assume it (confused-deputy guard). */
export function flowLogTrustCondition(region: string, accountId: string): PolicyCondition {
  return {
    ...onBehalfOfAccount(accountId),
    ArnLike: { "aws:SourceArn": `arn:aws:ec2:${region}:${accountId}:vpc-flow-log/*` },
  };
}

/**
 * The flow-log role's permissions. The VPC guide lists the permissions the role "must include at least":
 * CreateLogGroup, CreateLogStream, PutLogEvents, DescribeLogGroups, DescribeLogStreams. CreateLogGroup is left out
 * on purpose (the group exists, and without it a typo cannot create an unencrypted group); DescribeLogGroups stays,
 * on "*" because the action supports no resource-level permission: it reads group metadata, never log events.
 * https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
 */
export function flowLogWriterStatements(groupArn: string): PolicyStatement[] {
  return [
    {
      Sid: "WriteFlowLogGroupOnly",
      Effect: "Allow",
      Action: [...LOG_STREAM_WRITE_ACTIONS],
      Resource: [groupArn, `${groupArn}:log-stream:*`],
    },
    {
      Sid: "FindFlowLogGroup",
      Effect: "Allow",
      Action: "logs:DescribeLogGroups",
      Resource: "*",
    },
  ];
}
