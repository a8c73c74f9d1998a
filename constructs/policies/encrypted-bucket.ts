import { PolicyStatement, actionsOf } from "./document";
import { bucketAndObjects } from "./s3";

const SSE_HEADER = "s3:x-amz-server-side-encryption";
const SSE_KMS_KEY_HEADER = "s3:x-amz-server-side-encryption-aws-kms-key-id";
const SSE_C_HEADER = "s3:x-amz-server-side-encryption-customer-algorithm";

/**
 * Bucket-policy denies that keep every object under our KMS key.
 *
 * A request without encryption headers must pass (default encryption applies), so each deny tests "header present
 * AND wrong". Negated operators (`StringNotEquals`) and `...IfExists` both evaluate to true when the key is absent,
 * which would deny header-less uploads; the `Null: false` test ("the key is present") is what narrows them.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */
export function enforceKmsKeyStatements(bucketArn: string, keyArn: string): PolicyStatement[] {
  const objects = `${bucketArn}/*`;
  return [
    {
      Sid: "DenyNonKmsEncryptionHeader",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: objects,
      Condition: { Null: { [SSE_HEADER]: "false" }, StringNotEquals: { [SSE_HEADER]: "aws:kms" } },
    },
    {
      Sid: "DenyOtherKmsKey",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: objects,
      Condition: {
        Null: { [SSE_KMS_KEY_HEADER]: "false" },
        StringNotEquals: { [SSE_KMS_KEY_HEADER]: keyArn },
      },
    },
    {
      Sid: "DenyCustomerProvidedKeys",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: objects,
      Condition: { Null: { [SSE_C_HEADER]: "false" } },
    },
  ];
}

/**
 * Denies one role every request on the bucket that does not arrive through the given S3 gateway endpoint. The
 * `aws:PrincipalArn` test limits the deny to that role, so administrators and the deploying principal keep access.
 * `aws:SourceIp` cannot do this: through a VPC endpoint the source address is private.
 */
export function confineRoleToEndpointStatement(
  bucketArn: string,
  roleArn: string,
  s3EndpointId: string,
): PolicyStatement {
  return {
    Sid: "DenyAppRoleOutsideVpcEndpoint",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: bucketAndObjects(bucketArn),
    Condition: {
      StringNotEquals: { "aws:SourceVpce": s3EndpointId },
      ArnEquals: { "aws:PrincipalArn": roleArn },
    },
  };
}

/** What a role may do under some prefixes of an SSE-KMS bucket. */
export interface PrefixAccess {
  /** Key prefixes, each ending in `/`, e.g. `["uploads/", "thumbs/"]`. */
  readonly prefixes: readonly string[];
  /** GetObject (and HeadObject) plus ListBucket limited to the prefixes. @default false */
  readonly read?: boolean;
  /** PutObject. @default false */
  readonly write?: boolean;
  /** With `write`: abort and list the parts of multipart uploads. @default true */
  readonly multipart?: boolean;
  /** DeleteObject under the same prefixes (the app removes a half-stored original). @default false */
  readonly delete?: boolean;
}

/** Checks prefixes so that a grant can never widen to the whole bucket by accident. */
export function validatePrefixAccess(access: PrefixAccess): void {
  if (access.prefixes.length === 0) throw new Error("grant: at least one prefix is needed");
  for (const prefix of access.prefixes) {
    if (!/^[A-Za-z0-9!_.()'-]+(\/[A-Za-z0-9!_.()'-]+)*\/$/.test(prefix)) {
      throw new Error(`grant: prefix "${prefix}" must be a key path ending in "/" with no wildcard`);
    }
  }
  if (!access.read && !access.write && !access.delete) {
    throw new Error("grant: choose at least one of read, write, delete");
  }
}

/**
 * The narrowest PrefixAccess whose grant covers these S3 actions (e.g. the app's, from its contract with the
 * infrastructure); throws when one of them is not something a prefix grant gives.
 */
export function prefixAccessFor(prefixes: readonly string[], actions: readonly string[]): PrefixAccess {
  const has = (action: string) => actions.includes(action);
  const access: PrefixAccess = {
    prefixes,
    read: has("s3:GetObject") || has("s3:ListBucket"),
    write: has("s3:PutObject"),
    multipart: has("s3:AbortMultipartUpload") || has("s3:ListMultipartUploadParts"),
    delete: has("s3:DeleteObject"),
  };
  const granted = actionsOf(prefixAccessStatements("arn:aws:s3:::bucket", "key", "region", access), "s3");
  const missing = actions.filter((action) => !granted.includes(action));
  if (missing.length > 0) throw new Error(`grant: no prefix access gives ${missing.join(", ")}`);
  return access;
}

/**
 * Identity-policy statements for prefix access to an SSE-KMS bucket with an S3 Bucket Key: the S3 actions on the
 * prefixes only, ListBucket only with an `s3:prefix` under them, and the KMS calls S3 makes on the caller's behalf,
 * only via S3 in this region and only for this bucket (with a Bucket Key the encryption context is the bucket ARN).
 */
export function prefixAccessStatements(
  bucketArn: string,
  keyArn: string,
  region: string,
  access: PrefixAccess,
): PolicyStatement[] {
  validatePrefixAccess(access);
  const objects = access.prefixes.map((prefix) => `${bucketArn}/${prefix}*`);
  const multipart = access.multipart ?? true;
  const statements: PolicyStatement[] = [];
  if (access.read) {
    statements.push(
      { Sid: "ReadObjects", Effect: "Allow", Action: "s3:GetObject", Resource: objects },
      {
        Sid: "ListPrefixes",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: bucketArn,
        Condition: { StringLike: { "s3:prefix": access.prefixes.map((prefix) => `${prefix}*`) } },
      },
    );
  }
  if (access.write) {
    statements.push({
      Sid: "WriteObjects",
      Effect: "Allow",
      Action: multipart
        ? ["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
        : "s3:PutObject",
      Resource: objects,
    });
  }
  if (access.delete) {
    statements.push({ Sid: "DeleteObjects", Effect: "Allow", Action: "s3:DeleteObject", Resource: objects });
  }
  // Reads decrypt; writes generate data keys, and multipart uploads also decrypt to complete.
  const kmsActions = new Set<string>();
  if (access.read) kmsActions.add("kms:Decrypt");
  if (access.write) {
    kmsActions.add("kms:GenerateDataKey");
    if (multipart) kmsActions.add("kms:Decrypt");
  }
  if (kmsActions.size > 0) {
    statements.push({
      Sid: "UseDataKeyViaS3",
      Effect: "Allow",
      Action: [...kmsActions].sort(),
      Resource: keyArn,
      Condition: {
        StringEquals: {
          "kms:ViaService": `s3.${region}.amazonaws.com`,
          "kms:EncryptionContext:aws:s3:arn": bucketArn,
        },
      },
    });
  }
  return statements;
}
