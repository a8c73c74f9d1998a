import { policyDocument, serviceTrustStatement } from "../../../constructs/policies/document";
import { flowLogTrustCondition, flowLogWriterStatements } from "../../../constructs/policies/logs";
import { asList, parsePolicy } from "../../../test-support/synth";

const ACCOUNT = "123456789012";

describe("flow-log role policies", () => {
  test("only flow logs of this account can assume the role", () => {
    const trust = parsePolicy(
      policyDocument([
        serviceTrustStatement("vpc-flow-logs.amazonaws.com", flowLogTrustCondition("eu-west-1", ACCOUNT)),
      ]),
    ).Statement;
    expect(trust).toEqual([
      expect.objectContaining({
        Effect: "Allow",
        Principal: { Service: "vpc-flow-logs.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": ACCOUNT },
          ArnLike: { "aws:SourceArn": `arn:aws:ec2:eu-west-1:${ACCOUNT}:vpc-flow-log/*` },
        },
      }),
    ]);
  });

  test("the role writes to the flow-log group only and cannot create log groups", () => {
    const groupArn = `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/vpc-flow-logs/demo-dev`;
    const statements = flowLogWriterStatements(groupArn);
    expect(statements).toEqual([
      expect.objectContaining({
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        Resource: [groupArn, `${groupArn}:log-stream:*`],
      }),
      // The VPC guide's minimum for delivery; the action has no resource-level permission.
      expect.objectContaining({ Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: "*" }),
    ]);
    expect(statements.flatMap((s) => asList(s.Action))).not.toContain("logs:CreateLogGroup");
  });
});
