import { PolicyStatement } from "./document";
import { logGroupArn } from "./arns";

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

/**
 * Lets CloudWatch Logs use a key for one log group only (encryption-context condition). The group ARN is built from
 * its name: the group's `arn` attribute depends on the key, and this policy must name the group.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
export function logsServiceKeyStatement(
  region: string,
  accountId: string,
  logGroupName: string,
  sid = "AllowCloudWatchLogsForOneLogGroup",
): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Principal: { Service: `logs.${region}.amazonaws.com` },
    Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
    Resource: "*",
    Condition: {
      ArnEquals: {
        "kms:EncryptionContext:aws:logs:arn": logGroupArn(region, accountId, logGroupName),
      },
    },
  };
}
