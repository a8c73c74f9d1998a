import {
  onBehalfOfAccount,
  principalInAccount,
  thisAccountOnlyStatement,
} from "../../../constructs/policies/this-account";
import { isAllowed } from "../../../test-support/statement-matcher";

const ACCOUNT = "123456789012";

test("principals of this account: aws:PrincipalAccount; services on its behalf: aws:SourceAccount", () => {
  expect(principalInAccount(ACCOUNT)).toEqual({ StringEquals: { "aws:PrincipalAccount": ACCOUNT } });
  expect(onBehalfOfAccount(ACCOUNT)).toEqual({ StringEquals: { "aws:SourceAccount": ACCOUNT } });
});

test("a this-account-only statement allows anyone in form, only this account's principals in effect", () => {
  const statement = thisAccountOnlyStatement("Sid", "logs:PutLogEvents", "*", ACCOUNT);
  expect(statement).toEqual({
    Sid: "Sid",
    Effect: "Allow",
    Principal: "*",
    Action: "logs:PutLogEvents",
    Resource: "*",
    Condition: principalInAccount(ACCOUNT),
  });
  const request = (account: string) => ({
    action: "logs:PutLogEvents",
    resource: "arn:aws:logs:eu-west-1:1:log-group:g",
    context: { "aws:PrincipalAccount": account },
  });
  expect(isAllowed([statement], request(ACCOUNT))).toBe(true);
  expect(isAllowed([statement], request("210987654321"))).toBe(false);
});
