/**
 * For construct tests: which statements of ONE policy, as the construct wrote it (references left unresolved), apply
 * to a request. Fast and hand-written; for the decision AWS reaches over a whole synthesized stack (identity,
 * resource and endpoint policies together) use access-simulation.ts instead. Its own faults are caught by
 * __tests__/test-support/statement-matcher.test.ts.
 * It follows the documented rules for single-valued keys (no ForAnyValue/ForAllValues, no policy variables):
 * - a missing key makes positive operators false and negated operators (`...Not...`) true;
 * - `...IfExists` is true when the key is missing, else the base operator decides;
 * - `Null: "true"` holds when the key is missing, `"false"` when it is present;
 * - several values of one key are OR-ed (NOR for negated operators); operators and keys are AND-ed.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */
import { PolicyCondition, PolicyStatement } from "../constructs/policies/document";
import { asList, parsePolicy } from "./synth";

export interface PolicyRequest {
  /** e.g. `s3:PutObject` */
  readonly action: string;
  /** ARN of the bucket or object */
  readonly resource: string;
  /** Who asks: an AWS principal ARN or a service name; omit for "anyone". */
  readonly principal?: { AWS?: string; Service?: string };
  /** Request context keys present in the request, e.g. `{ "aws:SecureTransport": "true" }`. */
  readonly context?: Record<string, string>;
}

function wildcardMatch(pattern: string, value: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${regex}$`).test(value);
}

function positive(operator: string, policyValue: string, actual: string): boolean {
  switch (operator) {
    case "StringEquals":
    case "Bool":
      return policyValue === actual;
    case "StringLike":
    case "ArnEquals":
    case "ArnLike":
      return wildcardMatch(policyValue, actual);
    case "NumericLessThan":
      return Number(actual) < Number(policyValue);
    default:
      throw new Error(`statement-matcher: operator ${operator} is not implemented`);
  }
}

const NEGATED: Record<string, string> = {
  StringNotEquals: "StringEquals",
  StringNotLike: "StringLike",
  ArnNotEquals: "ArnEquals",
  ArnNotLike: "ArnLike",
};

function operatorHolds(
  operator: string,
  key: string,
  values: string[],
  context: Record<string, string>,
): boolean {
  const actual = context[key];
  if (operator === "Null") return values.some((v) => (v === "true") === (actual === undefined));
  if (operator.endsWith("IfExists")) {
    return actual === undefined
      ? true
      : operatorHolds(operator.slice(0, -"IfExists".length), key, values, context);
  }
  const base = NEGATED[operator];
  if (base) return actual === undefined ? true : !values.some((v) => positive(base, v, actual));
  return actual === undefined ? false : values.some((v) => positive(operator, v, actual));
}

/** True when every operator/key of the condition holds for the context. */
export function conditionHolds(
  condition: PolicyCondition | undefined,
  context: Record<string, string>,
): boolean {
  return Object.entries(condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, value]) =>
      operatorHolds(operator, key, asList(value).map(String), context),
    ),
  );
}

function principalMatches(statement: PolicyStatement, request: PolicyRequest): boolean {
  const principal = statement.Principal;
  if (principal === undefined || principal === "*") return true; // identity policies have no Principal
  const asked = request.principal ?? {};
  return (
    asList(principal.AWS).some((p) => p === "*" || p === asked.AWS) ||
    asList(principal.Service).some((s) => s === asked.Service)
  );
}

/** Statements of a policy (JSON string or statements) that apply to the request. */
export function matchingStatements(
  policy: string | readonly PolicyStatement[],
  request: PolicyRequest,
): PolicyStatement[] {
  const statements = typeof policy === "string" ? parsePolicy(policy).Statement : policy;
  return statements.filter(
    (s) =>
      asList(s.Action).some((a) => wildcardMatch(a, request.action)) &&
      asList(s.Resource).some((r) => wildcardMatch(r, request.resource)) &&
      principalMatches(s, request) &&
      conditionHolds(s.Condition, request.context ?? {}),
  );
}

/** Sids of the Deny statements that apply to the request. */
export function denyingSids(policy: string | readonly PolicyStatement[], request: PolicyRequest): string[] {
  return matchingStatements(policy, request)
    .filter((s) => s.Effect === "Deny")
    .map((s) => s.Sid);
}

/** True when an Allow statement applies and no Deny does. */
export function isAllowed(policy: string | readonly PolicyStatement[], request: PolicyRequest): boolean {
  const applying = matchingStatements(policy, request);
  return applying.some((s) => s.Effect === "Allow") && !applying.some((s) => s.Effect === "Deny");
}
