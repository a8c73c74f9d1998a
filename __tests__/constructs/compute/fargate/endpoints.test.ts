import {
  ecrLayerBucketStatement,
  fargateGatewayStatements,
  fargateInterfaceEndpoints,
} from "../../../../constructs/compute/fargate/endpoints";
import { PolicyStatement } from "../../../../constructs/policies/document";
import { isAllowed } from "../../../../test-support/statement-matcher";

const ACCOUNT = "123456789012";
const REGION = "eu-west-1";
const PREFIX = "imageshare-dev-fargate";
const REPOSITORY = `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${PREFIX}`;
const GROUP = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/ecs/${PREFIX}/app`;
const OURS = { AWS: `arn:aws:iam::${ACCOUNT}:role/x` };
const IN_ACCOUNT = { "aws:PrincipalAccount": ACCOUNT };

function endpoints(ecsExec = false) {
  return fargateInterfaceEndpoints({ region: REGION, accountId: ACCOUNT, namePrefix: PREFIX, ecsExec });
}
function statementsOf(service: string, ecsExec = false): PolicyStatement[] {
  const spec = endpoints(ecsExec).find((s) => s.service === service);
  if (!spec?.statements) throw new Error(`no endpoint policy for ${service}`);
  return spec.statements;
}

describe("Fargate's endpoints", () => {
  test("exactly ecr.api, ecr.dkr and logs; ECS Exec adds ssmmessages", () => {
    expect(endpoints().map((s) => s.service)).toEqual(["ecr.api", "ecr.dkr", "logs"]);
    expect(endpoints(true).map((s) => s.service)).toEqual(["ecr.api", "ecr.dkr", "logs", "ssmmessages"]);
  });

  test("nothing Beanstalk or container instances need", () => {
    const services = endpoints(true).map((s) => s.service);
    for (const service of [
      "elasticbeanstalk",
      "elasticbeanstalk-health",
      "cloudformation",
      "sqs",
      "ecs",
      "ecs-agent",
    ])
      expect(services).not.toContain(service);
  });

  test("every interface endpoint has a policy", () => {
    expect(endpoints(true).every((s) => (s.statements ?? []).length > 0)).toBe(true);
  });
});

describe.each(["ecr.api", "ecr.dkr"])("%s endpoint policy", (service) => {
  const policy = statementsOf(service);
  test("this account pulls this repository and gets a token", () => {
    for (const action of [
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
      "ecr:BatchCheckLayerAvailability",
    ])
      expect(isAllowed(policy, { action, resource: REPOSITORY, principal: OURS, context: IN_ACCOUNT })).toBe(
        true,
      );
    expect(
      isAllowed(policy, {
        action: "ecr:GetAuthorizationToken",
        resource: "*",
        principal: OURS,
        context: IN_ACCOUNT,
      }),
    ).toBe(true);
  });
  test("no other repository, no push, no other account", () => {
    const other = `arn:aws:ecr:${REGION}:999999999999:repository/${PREFIX}`;
    expect(isAllowed(policy, { action: "ecr:BatchGetImage", resource: other, context: IN_ACCOUNT })).toBe(
      false,
    );
    expect(isAllowed(policy, { action: "ecr:PutImage", resource: REPOSITORY, context: IN_ACCOUNT })).toBe(
      false,
    );
    expect(
      isAllowed(policy, {
        action: "ecr:BatchGetImage",
        resource: REPOSITORY,
        context: { "aws:PrincipalAccount": "999999999999" },
      }),
    ).toBe(false);
  });
});

describe("logs endpoint policy", () => {
  const policy = statementsOf("logs");
  test("this account writes this log group's streams", () => {
    expect(isAllowed(policy, { action: "logs:CreateLogStream", resource: GROUP, context: IN_ACCOUNT })).toBe(
      true,
    );
    expect(
      isAllowed(policy, {
        action: "logs:PutLogEvents",
        resource: `${GROUP}:log-stream:s`,
        context: IN_ACCOUNT,
      }),
    ).toBe(true);
  });
  test("no other group, no reading, no creating groups", () => {
    const other = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/other`;
    expect(
      isAllowed(policy, {
        action: "logs:PutLogEvents",
        resource: `${other}:log-stream:s`,
        context: IN_ACCOUNT,
      }),
    ).toBe(false);
    expect(
      isAllowed(policy, {
        action: "logs:GetLogEvents",
        resource: `${GROUP}:log-stream:s`,
        context: IN_ACCOUNT,
      }),
    ).toBe(false);
    expect(isAllowed(policy, { action: "logs:CreateLogGroup", resource: GROUP, context: IN_ACCOUNT })).toBe(
      false,
    );
  });
});

describe("ssmmessages endpoint policy (ECS Exec)", () => {
  test("the channel actions for this account only", () => {
    const policy = statementsOf("ssmmessages", true);
    expect(
      isAllowed(policy, { action: "ssmmessages:OpenDataChannel", resource: "*", context: IN_ACCOUNT }),
    ).toBe(true);
    expect(
      isAllowed(policy, {
        action: "ssmmessages:OpenDataChannel",
        resource: "*",
        context: { "aws:PrincipalAccount": "999999999999" },
      }),
    ).toBe(false);
  });
});

describe("S3 gateway statements", () => {
  test("ECR's layer bucket of this region, objects read only", () => {
    expect(fargateGatewayStatements(REGION)).toEqual([ecrLayerBucketStatement(REGION)]);
    const policy = fargateGatewayStatements(REGION);
    const layer = `arn:aws:s3:::prod-${REGION}-starport-layer-bucket/sha256/abc`;
    expect(isAllowed(policy, { action: "s3:GetObject", resource: layer })).toBe(true);
    expect(isAllowed(policy, { action: "s3:PutObject", resource: layer })).toBe(false);
    expect(
      isAllowed(policy, {
        action: "s3:GetObject",
        resource: "arn:aws:s3:::prod-us-east-1-starport-layer-bucket/x",
      }),
    ).toBe(false);
  });
});
