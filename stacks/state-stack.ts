import { Construct } from "constructs";
import { TerraformOutput, TerraformStack } from "cdktf";
import { useRemoteState } from "./remote-state";
import { ProjectConfig } from "../config";
import { StateBackend } from "../constructs/state/state-backend";
import { AwsContext } from "./aws-context";

/** Where the state stack keeps its own state in the bucket it creates. */
export const STATE_STACK_STATE_KEY = "state/terraform.tfstate";

/**
 * The bootstrap stack: the state bucket, its key and the lock table. Its own state lives in that bucket too, under
 * `state/terraform.tfstate`, so that losing the machine that bootstrapped it loses nothing. The bucket cannot hold
 * the state of the apply that creates it: `make state-bootstrap` (scripts/state-bootstrap.sh) applies the stack once
 * with a local backend, then moves that state into the bucket (`terraform init -migrate-state`); every later
 * `cdktf deploy state` reads and locks it there, like the app stacks' states.
 */
export class StateStack extends TerraformStack {
  readonly backend: StateBackend;

  constructor(scope: Construct, id: string, config: ProjectConfig) {
    super(scope, id);
    useRemoteState(this, config, STATE_STACK_STATE_KEY);
    const aws = new AwsContext(this, "aws", {
      region: config.state.region,
      project: config.project,
      environment: "shared",
    });
    this.backend = new StateBackend(this, "state", {
      bucketName: config.state.bucketName,
      lockTableName: config.state.lockTableName,
      kmsKeyAlias: config.state.kmsKeyAlias,
      accountId: aws.accountId,
      noncurrentVersionExpirationDays: config.state.noncurrentVersionExpirationDays,
    });
    new TerraformOutput(this, "state_bucket", { value: this.backend.stateBucket.bucketName });
    new TerraformOutput(this, "lock_table", { value: this.backend.lockTable.name });
    new TerraformOutput(this, "state_kms_key_arn", { value: this.backend.stateKey.keyArn });
  }
}
