/**
 * The ECS-on-Fargate roles' policies: the task execution role (the Fargate agent pulls the image and ships the
 * container's logs), the task role's trust (the app itself; its S3/KMS grant comes from the storage construct, as
 * the Beanstalk instance role's does) and ECS Exec's channel permissions. Also the names the module and its
 * endpoint policies agree on. A policy module: plain statements, no construct.
 */
import { PolicyCondition, PolicyStatement } from "../../policies/document";
import { logGroupArn } from "../../policies/arns";

/** The service principal of both task roles (ECS developer guide, "Amazon ECS task execution IAM role"). */
export const ECS_TASKS_PRINCIPAL = "ecs-tasks.amazonaws.com";

/** The ECR repository of an environment's image (the registry stack creates it, the task definition names it). */
export function repositoryName(namePrefix: string): string {
  return namePrefix;
}

/** ARN of the environment's ECR repository (Service Authorization Reference, Amazon ECR, resource `repository`). */
export function repositoryArn(region: string, accountId: string, namePrefix: string): string {
  return `arn:aws:ecr:${region}:${accountId}:repository/${repositoryName(namePrefix)}`;
}

/** The log group the awslogs driver writes the app's output to (the failed-upload metric filter reads it). */
export function taskLogGroupName(namePrefix: string): string {
  return `/ecs/${namePrefix}/app`;
}

/**
 * Trust condition of both task roles: ECS may assume them only for tasks of this account and region. The ECS
 * developer guide documents these keys for the task role ("Amazon ECS task IAM role", confused-deputy prevention:
 * `aws:SourceArn` ArnLike `arn:aws:ecs:REGION:ACCOUNT:*` and `aws:SourceAccount`); the execution role is assumed by
 * the same principal on behalf of the same task, so it gets the same guard.
 */
export function taskTrustCondition(region: string, accountId: string): PolicyCondition {
  return {
    ArnLike: { "aws:SourceArn": `arn:aws:ecs:${region}:${accountId}:*` },
    StringEquals: { "aws:SourceAccount": accountId },
  };
}

/** What the Fargate agent does with the execution role: pull this image, write this log group. */
export interface ExecutionRoleScope {
  readonly region: string;
  readonly accountId: string;
  /** Prefix of the environment's names: it names the repository and the log group. */
  readonly namePrefix: string;
}

/** The ECR actions of an image pull, each authorized against the repository (ECR user guide, "Private repository policies"). */
export const ECR_PULL_ACTIONS: readonly string[] = [
  "ecr:BatchCheckLayerAvailability",
  "ecr:GetDownloadUrlForLayer",
  "ecr:BatchGetImage",
];

/** What the awslogs log driver calls (ECS developer guide, "Using the awslogs log driver": the group exists). */
export const AWSLOGS_ACTIONS: readonly string[] = ["logs:CreateLogStream", "logs:PutLogEvents"];

/**
 * The execution role's permissions, the AWS managed AmazonECSTaskExecutionRolePolicy narrowed (ECS developer guide,
 * "Amazon ECS task execution IAM role"): GetAuthorizationToken has no resource type (Service Authorization
 * Reference), so `*`; the pull actions on this repository only; the awslogs actions on this log group and its streams only.
 * No logs:CreateLogGroup: the group exists (encrypted, with retention), and a typo must not create another.
 */
export function executionRoleStatements(scope: ExecutionRoleScope): PolicyStatement[] {
  const group = logGroupArn(scope.region, scope.accountId, taskLogGroupName(scope.namePrefix));
  return [
    {
      Sid: "EcrAuthorizationToken",
      Effect: "Allow",
      Action: "ecr:GetAuthorizationToken",
      Resource: "*",
    },
    {
      Sid: "PullThisImageRepository",
      Effect: "Allow",
      Action: [...ECR_PULL_ACTIONS],
      Resource: repositoryArn(scope.region, scope.accountId, scope.namePrefix),
    },
    {
      Sid: "WriteThisLogGroup",
      Effect: "Allow",
      Action: [...AWSLOGS_ACTIONS],
      // CreateLogStream is authorized on the group, PutLogEvents on its streams (Service Authorization Reference).
      Resource: [group, `${group}:log-stream:*`],
    },
  ];
}

/**
 * The SSM channel actions ECS Exec needs in the task role (ECS developer guide, "Monitor Amazon ECS containers with
 * ECS Exec", IAM permissions). They have no resource type (Service Authorization Reference, Amazon Session Manager
 * Message Gateway Service), so `*`; only a task with `enableExecuteCommand` opens a channel.
 */
export const ECS_EXEC_ACTIONS: readonly string[] = [
  "ssmmessages:CreateControlChannel",
  "ssmmessages:CreateDataChannel",
  "ssmmessages:OpenControlChannel",
  "ssmmessages:OpenDataChannel",
];

/** The task role's ECS Exec statement (only when `compute.ecsExec` is on). */
export function ecsExecStatements(): PolicyStatement[] {
  return [{ Sid: "EcsExecChannels", Effect: "Allow", Action: [...ECS_EXEC_ACTIONS], Resource: "*" }];
}
