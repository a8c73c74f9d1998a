import * as os from "os";
import * as path from "path";
import { App, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { policyJson } from "../../../constructs/policies/document";

function stackWithPolicy(app: App): TerraformStack {
  const stack = new TerraformStack(app, "policy");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const account = new DataAwsCallerIdentity(stack, "current").accountId;
  new IamRole(stack, "role", {
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
  return stack;
}

describe("policyJson", () => {
  test("the synthesized JSON carries the policy as readable JSON text", () => {
    const stack = stackWithPolicy(Testing.app());
    const role = JSON.parse(Testing.synth(stack)).resource.aws_iam_role.role;
    expect(JSON.parse(role.assume_role_policy)).toEqual({
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
    const outdir = path.join(os.tmpdir(), "policy-json-hcl");
    const hcl = stackWithPolicy(new App({ hclOutput: true, skipValidation: true, outdir })).toHclTerraform()
      .hcl;
    const line = (hcl as string).split("\n").find((l: string) => l.includes("assume_role_policy"));
    expect(line).toContain('"${jsonencode({"Version" = "2012-10-17", "Statement" = [{');
    expect(line).toContain('"AWS" = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"');
  });

  test("duplicate Sids fail at once", () => {
    const statement = { Sid: "Same", Effect: "Allow" as const, Action: "s3:GetObject", Resource: "*" };
    expect(() => policyJson([statement, statement])).toThrow('Duplicate policy statement Sid "Same"');
  });
});
