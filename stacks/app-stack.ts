import { Construct } from "constructs";
import { S3Backend, TerraformStack } from "cdktf";
import { EnvironmentConfig, ProjectConfig } from "../config";
import { AwsContext } from "./aws-context";

/** Name of the app stack of one environment. */
export function appStackName(env: EnvironmentConfig): string {
  return `app-${env.name}`;
}

/** One environment of the app. The only place that wires constructs together. */
export class AppStack extends TerraformStack {
  readonly aws: AwsContext;

  constructor(scope: Construct, id: string, config: ProjectConfig, env: EnvironmentConfig) {
    super(scope, id);
    const backend = new S3Backend(this, {
      bucket: config.state.bucketName,
      key: `${id}/terraform.tfstate`,
      region: config.state.region,
      encrypt: true,
      kmsKeyId: config.state.kmsKeyAlias,
      dynamodbTable: config.state.lockTableName,
    });
    // Native S3 locking (Terraform >= 1.10); the DynamoDB lock stays on until every user has migrated.
    // The cdktf S3Backend type predates the option.
    backend.addOverride("use_lockfile", true);

    this.aws = new AwsContext(this, "aws", {
      region: env.region,
      project: config.project,
      environment: env.name,
    });
  }
}
