import { Construct } from "constructs";
import { LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import { ProjectConfig } from "../config";
import { StateBackend } from "../constructs/state-backend";
import { AwsContext } from "./aws-context";

/** The bootstrap stack, deployed once before any app stack; its own state stays local (it creates the backend). */
export class StateStack extends TerraformStack {
  readonly backend: StateBackend;

  constructor(scope: Construct, id: string, config: ProjectConfig) {
    super(scope, id);
    new LocalBackend(this, { path: "terraform.state.tfstate" });
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
