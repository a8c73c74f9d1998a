import { alarmRecipientNotice, securityClaims, securityLines, tlsNotice } from "../../tools/security-summary";
import { Resource, SynthesizedStack, resourcesOf, synthProject } from "../../test-support/synth";
import { instanceSubnetNames, routeTableOfSubnet } from "../../shared/synthesized";

const stacks = synthProject();

function mutated(change: (stack: SynthesizedStack) => void): SynthesizedStack {
  const copy = JSON.parse(JSON.stringify(stacks["app-dev"])) as SynthesizedStack;
  change(copy);
  return copy;
}

function failing(stack: SynthesizedStack): string[] {
  return securityClaims(stack)
    .filter((c) => !c.ok)
    .map((c) => c.claim);
}

function first(stack: SynthesizedStack, type: string): Resource {
  return Object.values(resourcesOf(stack, type))[0];
}

describe("security summary", () => {
  test.each(["app-dev", "app-prod"])("every claim holds for %s", (name) => {
    expect(failing(stacks[name])).toEqual([]);
    expect(securityLines(name, stacks[name])[0]).toBe(`${name}: all security claims hold`);
  });

  test.each<[string, (stack: SynthesizedStack) => void, RegExp]>([
    [
      "a NAT route on an instance route table",
      (stack) => {
        const table = routeTableOfSubnet(stack, instanceSubnetNames(stack)[0]) as string;
        resourcesOf(stack, "aws_route_table")[table].route = [
          { cidr_block: "0.0.0.0/0", nat_gateway_id: "nat-1" },
        ];
      },
      /no route to the internet/,
    ],
    [
      "a NAT gateway",
      (stack) => {
        stack.resource = { ...stack.resource, aws_nat_gateway: { nat: { subnet_id: "x" } } };
      },
      /no NAT, egress-only/,
    ],
    [
      "a transit gateway attachment",
      (stack) => {
        stack.resource = {
          ...stack.resource,
          aws_ec2_transit_gateway_vpc_attachment: { tgw: { vpc_id: "x" } },
        };
      },
      /no NAT, egress-only, VPN, peering or transit gateway/,
    ],
    [
      "private DNS off",
      (stack) => {
        const endpoints = Object.values(resourcesOf(stack, "aws_vpc_endpoint"));
        const interfaceEndpoint = endpoints.find((e) => e.vpc_endpoint_type === "Interface") as Resource;
        interfaceEndpoint.private_dns_enabled = false;
      },
      /private DNS/,
    ],
    [
      "a public-access block off",
      (stack) => void (first(stack, "aws_s3_bucket_public_access_block").block_public_policy = false),
      /public access/,
    ],
    [
      "a key without rotation",
      (stack) => void (first(stack, "aws_kms_key").enable_key_rotation = false),
      /rotates/,
    ],
    [
      "a wildcard action",
      (stack) =>
        void (first(stack, "aws_iam_role_policy").policy = JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Sid: "All", Effect: "Allow", Action: "s3:*", Resource: "*" }],
        })),
      /wildcard action/,
    ],
    [
      "invalid headers kept",
      (stack) => void (first(stack, "aws_lb").drop_invalid_header_fields = false),
      /invalid headers/,
    ],
    [
      "an alarm that notifies nobody",
      (stack) => void (first(stack, "aws_cloudwatch_metric_alarm").alarm_actions = []),
      /every alarm notifies/,
    ],
    [
      "an alarm topic without a customer managed key",
      (stack) => void delete first(stack, "aws_sns_topic").kms_master_key_id,
      /every alarm notifies/,
    ],
  ])("reports %s as a failure", (_label, change, claim) => {
    const failures = failing(mutated(change));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(claim);
  });

  test("lists the alarms by name", () => {
    const line = securityLines("app-dev", stacks["app-dev"]).find((l) => l.includes("every alarm notifies"));
    for (const name of [
      "app-errors",
      "no-healthy-instances",
      "slow-responses",
      "environment-degraded",
      "upload-failures",
    ]) {
      expect(line).toContain(`imageshare-dev-${name}`);
    }
  });

  test("says when alarms reach nobody", () => {
    expect(alarmRecipientNotice(stacks["app-dev"])).toMatch(/reach nobody: set operations.alarmEmail/);
    const subscribed = mutated((stack) => {
      stack.resource = {
        ...stack.resource,
        aws_sns_topic_subscription: { email: { protocol: "email", endpoint: "oncall@example.com" } },
      };
    });
    expect(alarmRecipientNotice(subscribed)).toBe("alarms and budget alerts go to oncall@example.com");
  });

  test("warns about plain HTTP without a certificate", () => {
    expect(tlsNotice(stacks["app-dev"])).toMatch(/plain HTTP only/);
  });
});
