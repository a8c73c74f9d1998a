import { S3Backend, TerraformStack } from "cdktf";
import { ProjectConfig } from "../config";

/**
 * Keeps a stack's state under `key` in the state stack's bucket, encrypted with its key, locked natively (S3 lock
 * file, Terraform >= 1.10) and in the DynamoDB table; the DynamoDB lock stays on until every user has migrated.
 */
export function useRemoteState(stack: TerraformStack, config: ProjectConfig, key: string): void {
  const backend = new S3Backend(stack, {
    bucket: config.state.bucketName,
    key,
    region: config.state.region,
    encrypt: true,
    kmsKeyId: config.state.kmsKeyAlias,
    dynamodbTable: config.state.lockTableName,
  });
  // The cdktf S3Backend type predates the option.
  backend.addOverride("use_lockfile", true);
}
