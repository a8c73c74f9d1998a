/**
 * What Fargate tasks with no internet route need from the VPC endpoints, and nothing more: `ecr.api` (the agent's
 * GetAuthorizationToken and the image manifest), `ecr.dkr` (the registry API the pull speaks), the S3 gateway for
 * ECR's layer bucket, and `logs` for the awslogs driver (ECR user guide, "Amazon ECR interface VPC endpoints
 * (AWS PrivateLink)": Fargate on platform 1.4.0 needs ecr.dkr, ecr.api and the S3 gateway, plus logs for awslogs).
 * Not `ecs`, `ecs-agent`, `ecs-telemetry` (container instances on EC2 only), `sts` or `kms` (ECR decrypts layers
 * itself), `secretsmanager`/`ssm` (the task definition references no secret). ECS Exec adds `ssmmessages`.
 * A policy module: the stack asks for these before it builds the Endpoints construct.
 */
import { PolicyStatement } from "../../policies/document";
import { logGroupArn } from "../../policies/arns";
import { thisAccountOnlyStatement } from "../../policies/this-account";
import { InterfaceEndpointSpec } from "../../policies/vpc-endpoints";
import {
  AWSLOGS_ACTIONS,
  ECR_PULL_ACTIONS,
  ECS_EXEC_ACTIONS,
  repositoryArn,
  taskLogGroupName,
} from "./policies";

/** The environment the endpoints serve. */
export interface FargateEndpointScope {
  readonly region: string;
  /** Account of the environment (a token is fine). */
  readonly accountId: string;
  /** Prefix of the environment's names: it names the repository and the log group. */
  readonly namePrefix: string;
  /** Adds the ssmmessages endpoint for ECS Exec. @default false */
  readonly ecsExec?: boolean;
}

/**
 * The S3 gateway statement ECR's image layers need: GetObject in `prod-REGION-starport-layer-bucket` (ECR user
 * guide, "Minimum Amazon S3 bucket permissions for Amazon ECR"). The layer URLs come presigned from ECR
 * (GetDownloadUrlForLayer), so the request is not signed by a principal of this account and no principal condition
 * can apply; the one AWS-owned bucket and the read action are the narrowing.
 */
export function ecrLayerBucketStatement(region: string): PolicyStatement {
  return {
    Sid: "EcrImageLayers",
    Effect: "Allow",
    Principal: "*",
    Action: "s3:GetObject",
    Resource: `arn:aws:s3:::prod-${region}-starport-layer-bucket/*`,
  };
}

/**
 * The interface endpoints with their policies. The Fargate agent signs every ECR and Logs call with the task
 * execution role, a principal of this account, so each statement is "this account only" and names this
 * repository or this log group. ecr.api and ecr.dkr carry the same statements: the registry calls on ecr.dkr are
 * authorized as the same ECR actions (ECR user guide, "Create the endpoint policy for your Amazon ECR VPC endpoints").
 */
export function fargateInterfaceEndpoints(scope: FargateEndpointScope): InterfaceEndpointSpec[] {
  const { region, accountId, namePrefix } = scope;
  const ecrStatements = [
    thisAccountOnlyStatement("EcrAuthorizationToken", "ecr:GetAuthorizationToken", "*", accountId),
    thisAccountOnlyStatement(
      "PullThisImageRepository",
      [...ECR_PULL_ACTIONS],
      repositoryArn(region, accountId, namePrefix),
      accountId,
    ),
  ];
  const group = logGroupArn(region, accountId, taskLogGroupName(namePrefix));
  const specs: InterfaceEndpointSpec[] = [
    { service: "ecr.api", statements: ecrStatements },
    { service: "ecr.dkr", statements: ecrStatements },
    {
      service: "logs",
      statements: [
        thisAccountOnlyStatement(
          "WriteThisLogGroup",
          [...AWSLOGS_ACTIONS],
          [group, `${group}:log-stream:*`],
          accountId,
        ),
      ],
    },
  ];
  if (scope.ecsExec) {
    // The ECS Exec agent in the task opens its channels with the task role (ECS developer guide, ECS Exec,
    // "Using ECS Exec with VPC endpoints": an ssmmessages interface endpoint).
    specs.push({
      service: "ssmmessages",
      statements: [thisAccountOnlyStatement("EcsExecChannels", [...ECS_EXEC_ACTIONS], "*", accountId)],
    });
  }
  return specs;
}

/** The S3 gateway endpoint's statements Fargate needs (the app's bucket grant is added by the stack). */
export function fargateGatewayStatements(region: string): PolicyStatement[] {
  return [ecrLayerBucketStatement(region)];
}
