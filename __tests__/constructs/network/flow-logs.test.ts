import { addFlowLogs, FlowLogsProps } from "../../../constructs/network/flow-logs";
import { policyDocument, serviceTrustStatement } from "../../../constructs/policies/document";
import { flowLogTrustCondition, flowLogWriterStatements } from "../../../constructs/policies/logs";
import {
  onlyResource,
  parsePolicy,
  resolveRef,
  statementBySid,
  synthConstruct,
} from "../../../test-support/synth";

const ACCOUNT = "123456789012";
const props: FlowLogsProps = {
  namePrefix: "demo-dev",
  region: "eu-west-1",
  accountId: ACCOUNT,
  vpcId: "vpc-1",
  logRetentionDays: 365,
};
const GROUP_ARN = `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/vpc-flow-logs/demo-dev`;
const stack = synthConstruct((scope) => addFlowLogs(scope, props));

describe("addFlowLogs", () => {
  test("logs ALL traffic of the VPC into the flow-log group through the flow-log role", () => {
    const flowLog = onlyResource(stack, "aws_flow_log");
    expect(flowLog).toMatchObject({
      vpc_id: "vpc-1",
      traffic_type: "ALL",
      log_destination_type: "cloud-watch-logs",
    });
    expect(resolveRef(stack, flowLog.log_destination).type).toBe("aws_cloudwatch_log_group");
    expect(resolveRef(stack, flowLog.iam_role_arn).type).toBe("aws_iam_role");
  });

  test("the flow-log group keeps logs for the configured days, encrypted with its own customer key", () => {
    const group = onlyResource(stack, "aws_cloudwatch_log_group");
    expect(group).toMatchObject({ name: "/aws/vpc-flow-logs/demo-dev", retention_in_days: 365 });
    const key = resolveRef(stack, group.kms_key_id);
    expect(key.type).toBe("aws_kms_key");
    expect(key.resource.enable_key_rotation).toBe(true);
  });

  test("the key lets CloudWatch Logs use it for the flow-log group only", () => {
    const statement = statementBySid(
      onlyResource(stack, "aws_kms_key").policy,
      "AllowCloudWatchLogsForFlowLogGroupOnly",
    );
    expect(statement.Principal).toEqual({ Service: "logs.eu-west-1.amazonaws.com" });
    expect(statement.Condition).toEqual({ ArnEquals: { "kms:EncryptionContext:aws:logs:arn": GROUP_ARN } });
  });

  test("the role trusts flow logs of this account only and carries the flow-log writer statements", () => {
    expect(parsePolicy(onlyResource(stack, "aws_iam_role").assume_role_policy)).toEqual(
      policyDocument([
        serviceTrustStatement("vpc-flow-logs.amazonaws.com", flowLogTrustCondition("eu-west-1", ACCOUNT)),
      ]),
    );
    const policy = onlyResource(stack, "aws_iam_role_policy");
    expect(resolveRef(stack, policy.role).type).toBe("aws_iam_role");
    expect(parsePolicy(policy.policy).Statement).toEqual(flowLogWriterStatements(GROUP_ARN));
  });
});
