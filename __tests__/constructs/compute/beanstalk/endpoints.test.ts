import { PolicyStatement, policyDocument } from "../../../../constructs/policies/document";
import {
  beanstalkGatewayStatements,
  beanstalkInterfaceEndpoints,
} from "../../../../constructs/compute/beanstalk/endpoints";
import { asList, statementBySid } from "../../../../test-support/synth";

const ACCOUNT = "123456789012";
const REGION = "eu-west-1";
const REQUIRED = ["elasticbeanstalk", "elasticbeanstalk-health", "cloudformation", "sqs", "logs"];
const SESSION_MANAGER = ["ssm", "ssmmessages", "ec2messages"];

/** The policy text the endpoint would carry. */
const gateway = policyDocument(beanstalkGatewayStatements(REGION, ACCOUNT));

function statementsOf(service: string, sessionManager = false): PolicyStatement[] {
  const spec = beanstalkInterfaceEndpoints(REGION, ACCOUNT, sessionManager).find(
    (s) => s.service === service,
  );
  if (!spec) throw new Error(`no endpoint for ${service}`);
  return spec.statements ?? [];
}

describe("S3 gateway endpoint policy for Elastic Beanstalk", () => {
  test("EB platform assets, AL2023 repos and CloudFormation signal buckets of this region, by name", () => {
    const objects = (bucket: string) => `arn:aws:s3:::${bucket}/*`;
    expect(statementBySid(gateway, "ElasticBeanstalkPlatformAssets")).toMatchObject({
      Action: "s3:GetObject",
      Resource: [
        objects("elasticbeanstalk-platform-assets-eu-west-1"),
        objects("elasticbeanstalk-env-resources-eu-west-1"),
        objects("elasticbeanstalk-eu-west-1"),
        objects("elasticbeanstalk-samples-eu-west-1"),
      ],
    });
    expect(statementBySid(gateway, "AmazonLinux2023Repositories")).toMatchObject({
      Action: "s3:GetObject",
      Resource: objects("al2023-repos-eu-west-1-de612dc2"),
    });
  });

  test("wait-condition signals only for this account's EB stacks; no custom-resource response bucket", () => {
    // cfn-signal PUTs to a URL CloudFormation presigned; its object key is the stack ARN (constructs/compute/beanstalk/endpoints.ts).
    expect(statementBySid(gateway, "CloudFormationWaitConditionSignals")).toEqual({
      Sid: "CloudFormationWaitConditionSignals",
      Effect: "Allow",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: `arn:aws:s3:::cloudformation-waitcondition-eu-west-1/arn:aws:cloudformation:eu-west-1:${ACCOUNT}:stack/awseb-*`,
    });
    const resources = beanstalkGatewayStatements(REGION, ACCOUNT).flatMap((st) => asList(st.Resource));
    expect(resources.filter((r) => r.includes("cloudformation-waitcondition"))).toHaveLength(1);
    expect(resources.filter((r) => r.includes("cloudformation-custom-resource-response"))).toEqual([]);
  });

  test("this account's EB bucket, ListBucket on the bucket ARN, only for this account's principals", () => {
    const bucket = `arn:aws:s3:::elasticbeanstalk-eu-west-1-${ACCOUNT}`;
    expect(statementBySid(gateway, "EnvironmentBucket")).toEqual({
      Sid: "EnvironmentBucket",
      Effect: "Allow",
      Principal: "*",
      Action: ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
      Resource: [bucket, `${bucket}/*`],
      Condition: { StringEquals: { "aws:PrincipalAccount": ACCOUNT } },
    });
  });

  test("no '*' resource, no s3:* action, no Deny-less wildcard anywhere in the S3 policy", () => {
    for (const statement of beanstalkGatewayStatements(REGION, ACCOUNT)) {
      expect(asList(statement.Resource)).not.toContain("*");
      expect(asList(statement.Action)).not.toContain("s3:*");
      expect(asList(statement.Action)).not.toContain("*");
      expect(statement.Effect).toBe("Allow");
    }
  });
});

describe("Interface endpoint policies for Elastic Beanstalk", () => {
  const services = (sessionManager: boolean) =>
    beanstalkInterfaceEndpoints(REGION, ACCOUNT, sessionManager)
      .map((s) => s.service)
      .sort();

  test("the five EB endpoints; Session Manager endpoints only when asked for", () => {
    expect(services(false)).toEqual([...REQUIRED].sort());
    expect(services(true)).toEqual([...REQUIRED, ...SESSION_MANAGER].sort());
  });

  test("every endpoint but elasticbeanstalk-health has a policy; health does not support one", () => {
    for (const spec of beanstalkInterfaceEndpoints(REGION, ACCOUNT, true)) {
      if (spec.service === "elasticbeanstalk-health") expect(spec.statements).toBeUndefined();
      else expect(spec.statements?.length).toBeGreaterThan(0);
    }
  });

  test("elasticbeanstalk, logs and Session Manager: only principals of this account", () => {
    for (const service of ["elasticbeanstalk", "logs", ...SESSION_MANAGER]) {
      for (const statement of statementsOf(service, true)) {
        expect(statement.Condition).toEqual({ StringEquals: { "aws:PrincipalAccount": ACCOUNT } });
      }
    }
  });

  test("elasticbeanstalk: resources of this account and AWS-owned platforms only", () => {
    const [statement] = statementsOf("elasticbeanstalk");
    expect(statement.Resource).toEqual([
      `arn:aws:elasticbeanstalk:${REGION}:${ACCOUNT}:*`,
      `arn:aws:elasticbeanstalk:${REGION}::*`,
    ]);
  });

  test("logs: stream writes to this account's /aws/elasticbeanstalk/ groups only", () => {
    expect(statementsOf("logs")).toEqual([
      expect.objectContaining({
        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        Resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/elasticbeanstalk/*`,
      }),
    ]);
  });

  test("cloudformation: metadata reads and signals on this account's awseb-* stacks only", () => {
    const statements = statementsOf("cloudformation");
    expect(statements.map((s) => s.Sid)).toEqual([
      "ElasticBeanstalkStacksOfThisAccount",
      "CfnHupCommandListener",
    ]);
    const [stacks] = statements;
    expect(stacks.Resource).toBe(`arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/awseb-*/*`);
    // Exactly these: a missing call stalls EB commands; anything more widens the endpoint.
    expect(asList(stacks.Action)).toEqual([
      "cloudformation:DescribeStackResource",
      "cloudformation:DescribeStackResources",
      "cloudformation:DescribeStacks",
      "cloudformation:SignalResource",
    ]);
  });

  test("cloudformation: cfn-hup's undocumented listener calls have their own statement on '*', and nothing else there", () => {
    // Absent from the Service Authorization Reference: a stack-ARN resource might never match them.
    expect(statementBySid(policyDocument(statementsOf("cloudformation")), "CfnHupCommandListener")).toEqual({
      Sid: "CfnHupCommandListener",
      Effect: "Allow",
      Principal: "*",
      Action: [
        "cloudformation:RegisterListener",
        "cloudformation:GetListenerCredentials",
        "cloudformation:ElectCommandLeader",
      ],
      Resource: "*",
    });
  });

  test("sqs: message actions in this region only (queues belong to AWS accounts)", () => {
    const [statement] = statementsOf("sqs");
    expect(statement.Resource).toBe(`arn:aws:sqs:${REGION}:*:*`);
    for (const action of asList(statement.Action))
      expect(action).toMatch(
        /^sqs:(ReceiveMessage|DeleteMessage|SendMessage|ChangeMessageVisibility|GetQueue)/,
      );
  });

  test("no interface endpoint policy allows a bare '*' action", () => {
    for (const spec of beanstalkInterfaceEndpoints(REGION, ACCOUNT, true))
      for (const statement of spec.statements ?? []) expect(asList(statement.Action)).not.toContain("*");
  });
});
