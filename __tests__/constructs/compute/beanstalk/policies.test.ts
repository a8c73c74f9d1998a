import { policyDocument } from "../../../../constructs/policies/document";
import { instanceAgentStatements } from "../../../../constructs/compute/beanstalk/policies";
import { asList, parsePolicy, statementBySid } from "../../../../test-support/synth";

const ENVIRONMENT = {
  region: "eu-west-1",
  accountId: "123456789012",
  applicationName: "imageshare-dev",
  environmentName: "imageshare-dev",
};
const statements = instanceAgentStatements(ENVIRONMENT);
const policy = policyDocument(statements);

describe("Elastic Beanstalk instance agents' statements", () => {
  test("reads and lists only the environment resources of the EB bucket and writes only log bundles", () => {
    const bucket = "arn:aws:s3:::elasticbeanstalk-eu-west-1-123456789012";
    expect(statementBySid(policy, "ReadEnvironmentResourcesFromBeanstalkBucket")).toMatchObject({
      Action: "s3:GetObject",
      Resource: `${bucket}/resources/environments/*`,
    });
    expect(statementBySid(policy, "ListEnvironmentResourcesInBeanstalkBucket")).toMatchObject({
      Action: "s3:ListBucket",
      Resource: bucket,
      Condition: { StringLike: { "s3:prefix": "resources/environments/*" } },
    });
    expect(statementBySid(policy, "UploadLogBundlesToBeanstalkBucket")).toMatchObject({
      Action: "s3:PutObject",
      Resource: `${bucket}/resources/environments/logs/*`,
    });
  });

  test("reports health for this application and environment only", () => {
    const arn = "arn:aws:elasticbeanstalk:eu-west-1:123456789012";
    expect(statementBySid(policy, "ReportEnhancedHealth")).toMatchObject({
      Action: "elasticbeanstalk:PutInstanceStatistics",
      Resource: [`${arn}:application/imageshare-dev`, `${arn}:environment/imageshare-dev/imageshare-dev`],
    });
  });

  test("writes logs only to this environment's log groups, without creating groups", () => {
    const logs = statementBySid(policy, "StreamInstanceLogs");
    expect(asList(logs.Action).sort()).toEqual([
      "logs:CreateLogStream",
      "logs:DescribeLogStreams",
      "logs:PutLogEvents",
    ]);
    expect(logs.Resource).toBe(
      "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/elasticbeanstalk/imageshare-dev/*",
    );
  });

  test("grants Session Manager only when enabled, with parameter reads narrowed", () => {
    expect(statements.some((s) => String(s.Sid).startsWith("SessionManager"))).toBe(false);
    const withSsm = policyDocument(instanceAgentStatements({ ...ENVIRONMENT, sessionManager: true }));
    expect(statementBySid(withSsm, "SessionManagerRegisterInstance").Resource).toBe(
      "arn:aws:ec2:eu-west-1:123456789012:instance/*",
    );
    expect(statementBySid(withSsm, "SessionManagerReadPublicParameters").Resource).toBe(
      "arn:aws:ssm:eu-west-1::parameter/aws/*",
    );
    expect(asList(statementBySid(withSsm, "SessionManagerChannels").Action)).toContain(
      "ssmmessages:OpenDataChannel",
    );
    for (const s of parsePolicy(withSsm).Statement) {
      for (const action of asList(s.Action)) expect(action).not.toContain("*");
    }
  });
});
