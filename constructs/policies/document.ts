import { App, Fn, Lazy } from "cdktf";

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

/**
 * Serializes statements into a policy document string. Sids must be unique within a document.
 *
 * The synthesized Terraform JSON gets the JSON text itself (readable to tests and scanners). The HCL export
 * (`cdktf synth --hcl`) gets Terraform's `jsonencode` of the same document instead: cdktf's HCL renderer writes a
 * string that holds references (`${...}`) without escaping its quotes, which Terraform rejects.
 */
export function policyJson(statements: readonly PolicyStatement[]): string {
  const sids = statements.map((s) => s.Sid);
  const duplicate = sids.find((sid, i) => sids.indexOf(sid) !== i);
  if (duplicate) throw new Error(`Duplicate policy statement Sid "${duplicate}"`);
  // A snapshot: statements added to the caller's array later do not change this document.
  const document: PolicyDocument = JSON.parse(
    JSON.stringify({ Version: "2012-10-17", Statement: [...statements] }),
  ) as PolicyDocument;
  return Lazy.stringValue({
    produce: (context) =>
      App.of(context.scope).hclOutput ? Fn.jsonencode(document) : JSON.stringify(document),
  });
}

/** Trust policy letting one AWS service assume a role, optionally only on behalf of this account. */
export function serviceTrustPolicy(service: string, condition?: PolicyCondition): string {
  return policyJson([
    {
      Sid: "AllowServiceToAssume",
      Effect: "Allow",
      Principal: { Service: service },
      Action: "sts:AssumeRole",
      ...(condition ? { Condition: condition } : {}),
    },
  ]);
}
