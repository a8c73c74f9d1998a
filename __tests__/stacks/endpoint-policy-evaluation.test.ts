/**
 * Interface endpoint policies evaluated as AWS evaluates a request through the endpoint (@cloud-copilot/iam-simulate):
 * every statement on Resource "*" admits this account's principals and refuses another account's, even when that
 * account's own identity policy allows everything (the way data would leave through our endpoint).
 *
 * iam-simulate knows only the actions of the Service Authorization Reference. cfn-hup's listener calls
 * (cloudformation:RegisterListener, GetListenerCredentials, ElectCommandLeader) are not there, so for them the
 * statement and the request use a documented CloudFormation action without a resource type in their place
 * (cloudformation:ListStacks): principal, resource and condition are evaluated the same way.
 */
import { synthProject } from "../../test-support/synth";
import { StackPolicies, evaluate } from "../../test-support/access-simulation";
import { PolicyDocument } from "../../constructs/policies/document";
import { appComputeOf } from "../../shared/synthesized";

const FOREIGN_ACCOUNT = "444455556666";
const stacks = synthProject();
const appStacks = Object.keys(stacks).filter((name) => name.startsWith("app-"));
const UNDOCUMENTED = /^cloudformation:(RegisterListener|GetListenerCredentials|ElectCommandLeader)$/;
const STAND_IN = "cloudformation:ListStacks";
/** The statements on Resource "*" each compute's endpoints must have (an EC2 stack's have none). */
const STAR_SIDS_BY_KIND: Record<string, string[]> = {
  beanstalk: ["CfnHupCommandListener"],
  fargate: ["EcrAuthorizationToken"],
  ec2: [],
};
const simulated = (action: string) => (UNDOCUMENTED.test(action) ? STAND_IN : action);

const allowAll: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [{ Sid: "AllowEverything", Effect: "Allow", Action: "*", Resource: "*" }],
};

function starStatements(stackName: string) {
  const policies = new StackPolicies(stacks[stackName]);
  return policies
    .resources("aws_vpc_endpoint")
    .filter(([, e]) => e.vpc_endpoint_type === "Interface" && e.policy !== undefined)
    .flatMap(([name, e]) => {
      const original = policies.policy(e.policy);
      const policy: PolicyDocument = {
        ...original,
        Statement: original.Statement.map((s) => ({
          ...s,
          Action: [...new Set([s.Action ?? []].flat().map(simulated))],
        })),
      };
      return policy.Statement.filter((s) => [s.Resource].flat().includes("*")).map((statement) => ({
        endpoint: `${String(e.service_name).split(".").pop()} (${name})`,
        policy,
        statement,
        accountId: policies.values.accountId,
      }));
    });
}

describe.each(appStacks)("%s: endpoint statements on Resource '*'", (stackName) => {
  const cases = starStatements(stackName);

  test("finds the statements on Resource '*' its compute's endpoints need", () => {
    const expected = STAR_SIDS_BY_KIND[appComputeOf(stacks[stackName]).kind];
    expect(expected).toBeDefined();
    expect([...new Set(cases.map((c) => c.statement.Sid))].sort()).toEqual([...expected].sort());
  });

  if (cases.length === 0) return;
  test.each(cases.map((c) => [c.endpoint, c.statement.Sid, c] as const))(
    "%s %s: this account's principal passes, another account's is refused",
    async (_endpoint, _sid, c) => {
      for (const action of [c.statement.Action ?? []].flat()) {
        const through = async (account: string) =>
          (
            await evaluate(
              {
                principal: `arn:aws:iam::${account}:role/caller`,
                action,
                resource: "*",
                accountId: account,
                // AWS sets aws:PrincipalAccount on every request signed by an IAM principal.
                context: { "aws:SecureTransport": "true", "aws:PrincipalAccount": account },
              },
              {
                identity: [{ name: "allow-all", policy: allowAll }],
                endpoints: [{ name: "endpoint", policy: c.policy }],
              },
            )
          ).decision;
        expect([action, await through(c.accountId)]).toEqual([action, "Allowed"]);
        expect([action, await through(FOREIGN_ACCOUNT)]).toEqual([action, "ImplicitlyDenied"]);
      }
    },
  );
});
