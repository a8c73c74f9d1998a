import { jsonText } from "./json-text";
import type { PolicyCondition, PolicyDocument, PolicyStatement } from "../../shared/policy-document";

export type {
  PolicyCondition,
  PolicyConditionValue,
  PolicyDocument,
  PolicyPrincipal,
  PolicyStatement,
} from "../../shared/policy-document";

/** The policy document of some statements, as plain data. Sids must be unique within a document. */
export function policyDocument(statements: readonly PolicyStatement[]): PolicyDocument {
  const sids = statements.map((s) => s.Sid);
  const duplicate = sids.find((sid, i) => sids.indexOf(sid) !== i);
  if (duplicate) throw new Error(`Duplicate policy statement Sid "${duplicate}"`);
  return { Version: "2012-10-17", Statement: [...statements] };
}

/**
 * Serializes statements into a policy document string (`jsonText`: readable JSON in the synthesized Terraform JSON,
 * `jsonencode` in the HCL export). Sids must be unique within a document.
 */
export function policyJson(statements: readonly PolicyStatement[]): string {
  return jsonText(policyDocument(statements));
}

/** The statement letting one AWS service assume a role, optionally only on behalf of this account. */
export function serviceTrustStatement(service: string, condition?: PolicyCondition): PolicyStatement {
  return {
    Sid: "AllowServiceToAssume",
    Effect: "Allow",
    Principal: { Service: service },
    Action: "sts:AssumeRole",
    ...(condition ? { Condition: condition } : {}),
  };
}

/** Trust policy letting one AWS service assume a role, optionally only on behalf of this account. */
export function serviceTrustPolicy(service: string, condition?: PolicyCondition): string {
  return policyJson([serviceTrustStatement(service, condition)]);
}

/** The distinct actions of one service (`"s3"`) that the statements name, in order of appearance. */
export function actionsOf(statements: readonly PolicyStatement[], service: string): string[] {
  const named = statements.flatMap((s) => (s.Action === undefined ? [] : ([] as string[]).concat(s.Action)));
  return [...new Set(named.filter((action) => action.startsWith(`${service}:`)))];
}
