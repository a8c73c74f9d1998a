import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { policyJson } from "../../../constructs/policies/document";
import { hclOfConstruct, onlyResource, synthConstruct } from "../../../test-support/synth";

function roleWithPolicy(scope: Construct): void {
  new AwsProvider(scope, "aws", { region: "eu-west-1" });
  const account = new DataAwsCallerIdentity(scope, "current").accountId;
  new IamRole(scope, "role", {
    name: "role",
    assumeRolePolicy: policyJson([
      {
        Sid: "AllowAccountToAssume",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${account}:root` },
        Action: "sts:AssumeRole",
      },
    ]),
  });
}

describe("policyJson", () => {
  test("the synthesized JSON carries the policy as readable JSON text", () => {
    const role = onlyResource(synthConstruct(roleWithPolicy), "aws_iam_role");
    expect(JSON.parse(role.assume_role_policy as string)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AllowAccountToAssume",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" },
          Action: "sts:AssumeRole",
        },
      ],
    });
  });

  test("the HCL export gets jsonencode of the document: a JSON string holding references is not valid HCL", () => {
    const line = /assume_role_policy = ("[^\n]*?\)\}")/.exec(hclOfConstruct(roleWithPolicy))?.[1];
    expect(line).toContain('"${jsonencode({"Version" = "2012-10-17", "Statement" = [{');
    expect(line).toContain('"AWS" = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"');
  });

  test("duplicate Sids fail at once", () => {
    const statement = { Sid: "Same", Effect: "Allow" as const, Action: "s3:GetObject", Resource: "*" };
    expect(() => policyJson([statement, statement])).toThrow('Duplicate policy statement Sid "Same"');
  });
});
