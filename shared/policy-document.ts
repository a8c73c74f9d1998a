/** Plain-object IAM policy types: policies are written as data and serialized with JSON.stringify so the
 * synthesized Terraform JSON carries readable policy text for tests and scanners. */

export type PolicyPrincipal = "*" | { AWS?: string | string[]; Service?: string | string[] };

export type PolicyConditionValue = string | boolean | number | string[];

/** `{ Operator: { "key": value } }`, e.g. `{ Bool: { "aws:SecureTransport": "false" } }`. */
export type PolicyCondition = Record<string, Record<string, PolicyConditionValue>>;

export interface PolicyStatement {
  Sid: string;
  Effect: "Allow" | "Deny";
  Principal?: PolicyPrincipal;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  Condition?: PolicyCondition;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}
