import { Construct } from "constructs";
import { LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import { ProjectConfig } from "../config";
import { StateBackend } from "../constructs/state/state-backend";
import { AwsContext } from "./aws-context";

/** Local state file of the bootstrap stack, relative to its synthesized directory (the repository root). */
const STATE_STACK_STATE_FILE = "../../../terraform.state.tfstate";

/** The bootstrap stack, deployed once before any app stack; its own state stays local (it creates the backend). */
export class StateStack extends TerraformStack {
  readonly backend: StateBackend;

  constructor(scope: Construct, id: string, config: ProjectConfig) {
    super(scope, id);
    // Terraform runs in cdktf.out/stacks/state/: the path climbs to the repository root so that `make clean` or a
    // fresh `cdktf.out` never deletes the only record of the backend (`*.tfstate` is git-ignored).
    new LocalBackend(this, { path: STATE_STACK_STATE_FILE });
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
