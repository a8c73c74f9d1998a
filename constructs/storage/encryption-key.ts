import { Construct } from "constructs";
import { Lazy } from "cdktf";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { PolicyStatement, policyJson } from "../policies/document";
import { keyAdministratorStatement, keyRootStatement } from "../policies/kms";

export interface EncryptionKeyProps {
  /** What the key protects; becomes the key description. */
  readonly description: string;
  /** Alias name including the `alias/` prefix. */
  readonly alias: string;
  /** Account that owns the key (a token is fine). */
  readonly accountId: string;
  /** Role allowed to administer the key. @default no extra administrator (IAM of the account decides) */
  readonly administratorRoleArn?: string;
  /** Days before a scheduled deletion happens. @default 30 */
  readonly deletionWindowInDays?: number;
  /** Prevent `terraform destroy` from deleting the key. @default false */
  readonly preventDestroy?: boolean;
}

/** A customer managed symmetric KMS key with rotation, an alias and an explicit JSON key policy. */
export class EncryptionKey extends Construct {
  readonly key: KmsKey;
  readonly keyArn: string;
  readonly aliasName: string;
  private readonly statements: PolicyStatement[];

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    this.statements = [keyRootStatement(props.accountId)];
    if (props.administratorRoleArn)
      this.statements.push(keyAdministratorStatement(props.administratorRoleArn));

    this.key = new KmsKey(this, "key", {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowInDays ?? 30,
      // Statements added later (service grants) are serialized at synthesis, still as plain JSON.
      policy: Lazy.stringValue({ produce: () => policyJson(this.statements) }),
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    new KmsAlias(this, "alias", { name: props.alias, targetKeyId: this.key.keyId });
    this.keyArn = this.key.arn;
    this.aliasName = props.alias;
  }

  /** Adds a statement to the key policy (for example a service that encrypts with the key). */
  addPolicyStatement(statement: PolicyStatement): void {
    this.statements.push(statement);
  }
}
