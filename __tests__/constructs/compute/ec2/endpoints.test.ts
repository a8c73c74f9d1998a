import { policyDocument } from "../../../../constructs/policies/document";
import { ec2GatewayStatements, ec2InterfaceEndpoints } from "../../../../constructs/compute/ec2/endpoints";
import { statementBySid } from "../../../../test-support/synth";

const ACCOUNT = "123456789012";
const REGION = "eu-west-1";
const ARTIFACTS = "arn:aws:s3:::imageshare-dev-ec2-artifacts";
const GROUP = "/imageshare/dev-ec2/app";

describe("S3 gateway statements of EC2 instances", () => {
  const gateway = policyDocument(ec2GatewayStatements(REGION, ACCOUNT, ARTIFACTS));

  test("dnf reads the AL2023 repositories of this region (an AWS-owned bucket, named exactly)", () => {
    expect(statementBySid(gateway, "AmazonLinux2023Repositories")).toEqual({
      Sid: "AmazonLinux2023Repositories",
      Effect: "Allow",
      Principal: "*",
      Action: "s3:GetObject",
      Resource: "arn:aws:s3:::al2023-repos-eu-west-1-de612dc2/*",
    });
  });

  test("the release bundles, for this account's principals only", () => {
    expect(statementBySid(gateway, "ReleaseBundles")).toEqual({
      Sid: "ReleaseBundles",
      Effect: "Allow",
      Principal: "*",
      Action: "s3:GetObject",
      Resource: `${ARTIFACTS}/ec2-bundles/*`,
      Condition: { StringEquals: { "aws:PrincipalAccount": ACCOUNT } },
    });
  });

  test("nothing else (the images bucket is added by the stack from the app's grant)", () => {
    expect(gateway.Statement.map((s) => s.Sid)).toEqual(["AmazonLinux2023Repositories", "ReleaseBundles"]);
  });
});

describe("interface endpoints of EC2 instances", () => {
  test("exactly `logs` by default; Session Manager's three only when asked for", () => {
    expect(ec2InterfaceEndpoints(REGION, ACCOUNT, GROUP, false).map((s) => s.service)).toEqual(["logs"]);
    expect(ec2InterfaceEndpoints(REGION, ACCOUNT, GROUP, true).map((s) => s.service)).toEqual([
      "logs",
      "ssm",
      "ssmmessages",
      "ec2messages",
    ]);
  });

  test("the logs endpoint admits this account's writes to the app's log group only", () => {
    const [logs] = ec2InterfaceEndpoints(REGION, ACCOUNT, GROUP, false);
    const group = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${GROUP}`;
    expect(logs.statements).toEqual([
      {
        Sid: "AppLogGroupOfThisAccount",
        Effect: "Allow",
        Principal: "*",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        Resource: [group, `${group}:log-stream:*`],
        Condition: { StringEquals: { "aws:PrincipalAccount": ACCOUNT } },
      },
    ]);
  });
});
