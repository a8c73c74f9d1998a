/** The two ways a policy says "this account only", and the endpoint-policy statement built on the first. */
import { PolicyCondition, PolicyStatement } from "./document";

/** The caller is a principal (user, role) of this account: `aws:PrincipalAccount`. */
export function principalInAccount(accountId: string): PolicyCondition {
  return { StringEquals: { "aws:PrincipalAccount": accountId } };
}

/**
 * An AWS service acts on behalf of a resource of this account: `aws:SourceAccount`, the confused-deputy guard
 * (IAM guide, "The confused deputy problem"). Spread it next to an `aws:SourceArn` test where there is one.
 */
export function onBehalfOfAccount(accountId: string): PolicyCondition {
  return { StringEquals: { "aws:SourceAccount": accountId } };
}

/**
 * A resource-policy Allow (Principal `*`, as endpoint policies are written) that only this account's principals
 * can use.
 */
export function thisAccountOnlyStatement(
  sid: string,
  action: string | string[],
  resource: string | string[],
  accountId: string,
): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Principal: "*",
    Action: action,
    Resource: resource,
    Condition: principalInAccount(accountId),
  };
}
