import { Construct } from "constructs";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { EncryptionKey } from "../storage/encryption-key";
import { PrivateBucket } from "../storage/private-bucket";

export interface StateBackendProps {
  /** Globally unique name of the state bucket. */
  readonly bucketName: string;
  /** Name of the DynamoDB lock table. */
  readonly lockTableName: string;
  /** Alias of the state key; app stacks name the key by it in their S3 backend. */
  readonly kmsKeyAlias: string;
  /** Account that owns the key (a token is fine). */
  readonly accountId: string;
  /** Days before noncurrent state versions expire. @default 90 */
  readonly noncurrentVersionExpirationDays?: number;
}

/**
 * The Terraform remote-state backend: a rotated customer KMS key, a versioned SSE-KMS state bucket and a
 * DynamoDB lock table. Everything refuses `terraform destroy`: losing state orphans every other stack.
 */
export class StateBackend extends Construct {
  readonly stateKey: EncryptionKey;
  readonly stateBucket: PrivateBucket;
  readonly lockTable: DynamodbTable;

  constructor(scope: Construct, id: string, props: StateBackendProps) {
    super(scope, id);
    this.stateKey = new EncryptionKey(this, "state-key", {
      description: "Encrypts Terraform state and its lock table",
      alias: props.kmsKeyAlias,
      accountId: props.accountId,
      preventDestroy: true,
    });
    this.stateBucket = new PrivateBucket(this, "state-bucket", {
      bucketName: props.bucketName,
      encryption: { kmsKeyArn: this.stateKey.keyArn },
      versioned: true,
      noncurrentVersionExpirationDays: props.noncurrentVersionExpirationDays ?? 90,
      preventDestroy: true,
    });
    this.lockTable = new DynamodbTable(this, "lock-table", {
      name: props.lockTableName,
      billingMode: "PAY_PER_REQUEST",
      hashKey: "LockID",
      attribute: [{ name: "LockID", type: "S" }],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: this.stateKey.keyArn },
      deletionProtectionEnabled: true,
      lifecycle: { preventDestroy: true },
    });
  }
}
