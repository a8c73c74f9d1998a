import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EncryptionKey } from "../storage/encryption-key";
import { logsServiceKeyStatement } from "../policies/kms";

/** A log group and the key that encrypts it. */
export interface EncryptedLogGroupProps {
  /** Construct ids of the key and the group: their Terraform addresses, so callers keep the ones they deployed. */
  readonly ids: { readonly key: string; readonly group: string };
  /** Name of the log group. */
  readonly name: string;
  /** Description of the key. */
  readonly keyDescription: string;
  /** Alias of the key (`alias/...`). */
  readonly keyAlias: string;
  readonly region: string;
  /** Account of the log group (a token is fine). */
  readonly accountId: string;
  /** Retention in days; one of the values CloudWatch accepts. */
  readonly retentionDays: number;
  /** Administrator of the key. @default the account root administers it */
  readonly keyAdministratorRoleArn?: string;
  /** Sid of the key statement admitting CloudWatch Logs. @default logsServiceKeyStatement's */
  readonly keyStatementSid?: string;
}

/**
 * A log group encrypted with a key of its own that CloudWatch Logs may use for this group only (another service,
 * another blast radius: revoking one key touches one group). Created directly in `scope`, as a function rather than a
 * construct, so the resources keep the addresses their callers deployed them at.
 */
export function addEncryptedLogGroup(
  scope: Construct,
  props: EncryptedLogGroupProps,
): { readonly key: EncryptionKey; readonly group: CloudwatchLogGroup } {
  const key = new EncryptionKey(scope, props.ids.key, {
    description: props.keyDescription,
    alias: props.keyAlias,
    accountId: props.accountId,
    administratorRoleArn: props.keyAdministratorRoleArn,
  });
  key.addPolicyStatement(
    logsServiceKeyStatement(props.region, props.accountId, props.name, props.keyStatementSid),
  );
  const group = new CloudwatchLogGroup(scope, props.ids.group, {
    name: props.name,
    retentionInDays: props.retentionDays,
    kmsKeyId: key.keyArn,
  });
  return { key, group };
}
