import { PolicyStatement } from "./document";

/** The account root statement: delegates key access to IAM policies of this account (no bare "*"). */
export function keyRootStatement(accountId: string): PolicyStatement {
  return {
    Sid: "EnableIamPoliciesOfThisAccount",
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${accountId}:root` },
    Action: "kms:*",
    Resource: "*",
  };
}

/** Lets a named role administer (not use) a key. */
export function keyAdministratorStatement(roleArn: string): PolicyStatement {
  return {
    Sid: "AllowKeyAdministration",
    Effect: "Allow",
    Principal: { AWS: roleArn },
    Action: [
      "kms:Create*",
      "kms:Describe*",
      "kms:Enable*",
      "kms:List*",
      "kms:Put*",
      "kms:Update*",
      "kms:Revoke*",
      "kms:Disable*",
      "kms:Get*",
      "kms:Delete*",
      "kms:TagResource",
      "kms:UntagResource",
      "kms:ScheduleKeyDeletion",
      "kms:CancelKeyDeletion",
      "kms:RotateKeyOnDemand",
    ],
    Resource: "*",
  };
}
