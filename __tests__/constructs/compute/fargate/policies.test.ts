import {
  ECS_EXEC_ACTIONS,
  ecsExecStatements,
  executionRoleStatements,
  repositoryArn,
  taskLogGroupName,
  taskTrustCondition,
} from "../../../../constructs/compute/fargate/policies";
import { serviceTrustStatement } from "../../../../constructs/policies/document";
import { conditionHolds, isAllowed } from "../../../../test-support/statement-matcher";

const ACCOUNT = "123456789012";
const REGION = "eu-west-1";
const PREFIX = "imageshare-dev-fargate";
const REPOSITORY = `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${PREFIX}`;
const GROUP = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/ecs/${PREFIX}/app`;
const execution = executionRoleStatements({ region: REGION, accountId: ACCOUNT, namePrefix: PREFIX });

describe("task execution role", () => {
  test("names this repository and this log group", () => {
    expect(repositoryArn(REGION, ACCOUNT, PREFIX)).toBe(REPOSITORY);
    expect(taskLogGroupName(PREFIX)).toBe(`/ecs/${PREFIX}/app`);
  });

  test("pulls this image: token on *, the three pull actions on this repository only", () => {
    expect(isAllowed(execution, { action: "ecr:GetAuthorizationToken", resource: "*" })).toBe(true);
    for (const action of [
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
      "ecr:BatchCheckLayerAvailability",
    ]) {
      expect(isAllowed(execution, { action, resource: REPOSITORY })).toBe(true);
      expect(isAllowed(execution, { action, resource: `${REPOSITORY}-other` })).toBe(false);
      expect(
        isAllowed(execution, { action, resource: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/other` }),
      ).toBe(false);
    }
  });

  test("cannot push, delete or describe anything in ECR", () => {
    for (const action of [
      "ecr:PutImage",
      "ecr:InitiateLayerUpload",
      "ecr:BatchDeleteImage",
      "ecr:DescribeImages",
    ]) {
      expect(isAllowed(execution, { action, resource: REPOSITORY })).toBe(false);
    }
  });

  test("writes streams of this log group only, and never creates a group", () => {
    expect(isAllowed(execution, { action: "logs:CreateLogStream", resource: GROUP })).toBe(true);
    expect(
      isAllowed(execution, { action: "logs:PutLogEvents", resource: `${GROUP}:log-stream:app/app/1` }),
    ).toBe(true);
    const other = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/ecs/other/app`;
    expect(isAllowed(execution, { action: "logs:PutLogEvents", resource: `${other}:log-stream:x` })).toBe(
      false,
    );
    expect(isAllowed(execution, { action: "logs:CreateLogGroup", resource: GROUP })).toBe(false);
    expect(isAllowed(execution, { action: "logs:GetLogEvents", resource: `${GROUP}:log-stream:x` })).toBe(
      false,
    );
  });

  test("only the token call is on *", () => {
    const star = execution.filter((s) => s.Resource === "*").map((s) => s.Action);
    expect(star).toEqual(["ecr:GetAuthorizationToken"]);
  });
});

describe("trust of both task roles (confused deputy)", () => {
  const trust = serviceTrustStatement("ecs-tasks.amazonaws.com", taskTrustCondition(REGION, ACCOUNT));
  // A trust policy has no Resource: what decides is the principal and the condition.
  const assume = (context: Record<string, string>) => conditionHolds(trust.Condition, context);

  test("the ECS tasks principal, sts:AssumeRole", () => {
    expect(trust).toMatchObject({
      Principal: { Service: "ecs-tasks.amazonaws.com" },
      Action: "sts:AssumeRole",
    });
  });

  test("ECS may assume the role for a task of this account and region", () => {
    expect(
      assume({
        "aws:SourceAccount": ACCOUNT,
        "aws:SourceArn": `arn:aws:ecs:${REGION}:${ACCOUNT}:task/c/abc`,
      }),
    ).toBe(true);
  });

  test("not on behalf of another account, another region, or without the source keys", () => {
    expect(
      assume({
        "aws:SourceAccount": "999999999999",
        "aws:SourceArn": `arn:aws:ecs:${REGION}:999999999999:task/c/a`,
      }),
    ).toBe(false);
    expect(
      assume({ "aws:SourceAccount": ACCOUNT, "aws:SourceArn": `arn:aws:ecs:us-east-1:${ACCOUNT}:task/c/a` }),
    ).toBe(false);
    expect(assume({})).toBe(false);
  });
});

describe("ECS Exec", () => {
  test("the four SSM channel actions, nothing else", () => {
    const [statement] = ecsExecStatements();
    expect(statement.Action).toEqual([...ECS_EXEC_ACTIONS]);
    expect(ECS_EXEC_ACTIONS.every((a) => a.startsWith("ssmmessages:"))).toBe(true);
    expect(isAllowed(ecsExecStatements(), { action: "ssm:StartSession", resource: "*" })).toBe(false);
  });
});
