import { App, Fn, Lazy } from "cdktf";
import type { PolicyCondition, PolicyDocument, PolicyStatement } from "../../shared/policy-document";

export type {
  PolicyCondition,
  PolicyConditionValue,
  PolicyDocument,
  PolicyPrincipal,
  PolicyStatement,
} from "../../shared/policy-document";

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

/** The distinct actions of one service (`"s3"`) that the statements name, in order of appearance. */
export function actionsOf(statements: readonly PolicyStatement[], service: string): string[] {
  const named = statements.flatMap((s) => (s.Action === undefined ? [] : ([] as string[]).concat(s.Action)));
  return [...new Set(named.filter((action) => action.startsWith(`${service}:`)))];
}
