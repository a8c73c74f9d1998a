import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { policyJson, serviceTrustPolicy } from "../../policies/document";
import {
  ECS_TASKS_PRINCIPAL,
  ecsExecStatements,
  executionRoleStatements,
  taskTrustCondition,
} from "./policies";

/** The environment the roles serve and how to name them. */
export interface FargateRolesProps {
  /** Prefix of role names, e.g. `imageshare-dev-fargate`; it also names the repository and the log group. */
  readonly namePrefix: string;
  readonly region: string;
  /** Account of the environment (a token is fine). */
  readonly accountId: string;
  /** Add ECS Exec's channel permissions to the task role. @default false */
  readonly ecsExec?: boolean;
}

/**
 * The two roles of the task, separate and without managed policies: the execution role (the Fargate agent pulls the
 * image and ships logs) and the task role (the app; the storage grant is attached to it from outside, so this
 * construct never names the images bucket). Both trust ECS tasks of this account and region only.
 */
export class FargateRoles extends Construct {
  readonly executionRole: IamRole;
  readonly taskRole: IamRole;

  constructor(scope: Construct, id: string, props: FargateRolesProps) {
    super(scope, id);
    const trust = serviceTrustPolicy(ECS_TASKS_PRINCIPAL, taskTrustCondition(props.region, props.accountId));
    this.executionRole = new IamRole(this, "execution-role", {
      name: `${props.namePrefix}-ecs-execution`,
      description: "ECS task execution: pull this image, write this log group",
      assumeRolePolicy: trust,
    });
    new IamRolePolicy(this, "execution", {
      name: "pull-image-and-write-logs",
      role: this.executionRole.id,
      policy: policyJson(executionRoleStatements(props)),
    });
    this.taskRole = new IamRole(this, "task-role", {
      name: `${props.namePrefix}-ecs-task`,
      description:
        "The app in the task: its S3 prefixes and KMS through S3 (granted by the storage construct)",
      assumeRolePolicy: trust,
    });
    if (props.ecsExec) {
      new IamRolePolicy(this, "ecs-exec", {
        name: "ecs-exec-channels",
        role: this.taskRole.id,
        policy: policyJson(ecsExecStatements()),
      });
    }
  }
}
