/**
 * The reachability analysis is an oracle: the network tests trust its verdicts. A small network that is open on
 * every layer is broken one layer at a time, and the analysis must name the layer; then the real app stack is
 * given the faults that would let its instances out, one by one, and each must change the verdict.
 */
import { Resource, SynthesizedStack, synthProject } from "../../test-support/synth";
import {
  OUTSIDE_ADDRESS,
  Party,
  buildNetworkGraph,
  connection,
  naclAllows,
} from "../../test-support/reachability";
import { appComputeOf } from "../../shared/synthesized";
import { computeParty } from "../../test-support/app-topology";

const ref = (type: string, name: string, attribute = "id") => `\${${type}.${name}.${attribute}}`;
const ALL = {
  protocol: "-1",
  from_port: 0,
  to_port: 0,
  cidr_block: "0.0.0.0/0",
  action: "allow",
  rule_no: 100,
};

/** Two subnets (client in a, server in b), every layer open: a default route, allow-all NACLs, open groups. */
function openNetwork(): SynthesizedStack {
  return {
    resource: {
      aws_vpc: { vpc: { cidr_block: "10.0.0.0/16" } },
      aws_internet_gateway: { igw: { vpc_id: ref("aws_vpc", "vpc") } },
      aws_subnet: {
        a: { vpc_id: ref("aws_vpc", "vpc"), cidr_block: "10.0.0.0/24" },
        b: { vpc_id: ref("aws_vpc", "vpc"), cidr_block: "10.0.1.0/24" },
      },
      aws_route_table: {
        rt: { route: [{ cidr_block: "0.0.0.0/0", gateway_id: ref("aws_internet_gateway", "igw") }] },
      },
      aws_route_table_association: {
        a: { subnet_id: ref("aws_subnet", "a"), route_table_id: ref("aws_route_table", "rt") },
        b: { subnet_id: ref("aws_subnet", "b"), route_table_id: ref("aws_route_table", "rt") },
      },
      aws_network_acl: {
        acl: { subnet_ids: [ref("aws_subnet", "a"), ref("aws_subnet", "b")], ingress: [ALL], egress: [ALL] },
      },
      aws_security_group: {
        client: {
          ingress: [],
          egress: [{ protocol: "tcp", from_port: 443, to_port: 443, cidr_blocks: ["0.0.0.0/0"] }],
        },
        server: {
          ingress: [{ protocol: "tcp", from_port: 443, to_port: 443, cidr_blocks: ["10.0.0.0/24"] }],
          egress: [],
        },
      },
    },
  };
}

const client: Party = {
  kind: "group",
  securityGroup: "aws_security_group.client",
  subnets: ["aws_subnet.a"],
};
const server: Party = {
  kind: "group",
  securityGroup: "aws_security_group.server",
  subnets: ["aws_subnet.b"],
};
const internet: Party = { kind: "outside", cidr: OUTSIDE_ADDRESS };

function verdict(change: (r: Record<string, Record<string, Resource>>) => void, to: Party) {
  const stack = openNetwork();
  change(stack.resource!);
  return connection(buildNetworkGraph(stack), client, to, 443);
}

describe("fault injection into an open network", () => {
  test("with every layer open, the client reaches the server and the internet", () => {
    expect(verdict(() => {}, server)).toEqual({ allowed: true, blockedBy: [] });
    expect(verdict(() => {}, internet)).toEqual({ allowed: true, blockedBy: [] });
  });

  test.each<[string, (r: Record<string, Record<string, Resource>>) => void, Party, RegExp]>([
    [
      "no egress rule on the client's group",
      (r) => (r.aws_security_group.client.egress = []),
      server,
      /^egress of aws_security_group\.client$/,
    ],
    [
      "the server's group admits another port",
      (r) =>
        Object.assign((r.aws_security_group.server.ingress as Resource[])[0], { from_port: 80, to_port: 80 }),
      server,
      /^ingress of aws_security_group\.server$/,
    ],
    [
      "the server's group admits another subnet",
      (r) => ((r.aws_security_group.server.ingress as Resource[])[0].cidr_blocks = ["10.0.9.0/24"]),
      server,
      /^ingress of aws_security_group\.server$/,
    ],
    ["no route out", (r) => (r.aws_route_table.rt.route = []), internet, /^no route from aws_subnet\.a to /],
    [
      "a NACL deny numbered before the allow",
      (r) =>
        (r.aws_network_acl.acl.egress = [
          { ...ALL, rule_no: 50, action: "deny", protocol: "6", from_port: 443, to_port: 443 },
          ALL,
        ]),
      server,
      /^request: NACL aws_network_acl\.acl of aws_subnet\.a \(egress/,
    ],
    [
      "a NACL that forgets the replies' ephemeral ports",
      (r) => (r.aws_network_acl.acl.ingress = [{ ...ALL, protocol: "6", from_port: 443, to_port: 443 }]),
      server,
      /^reply: NACL aws_network_acl\.acl of aws_subnet\.a \(ingress/,
    ],
  ])("%s is found", (_fault, change, to, reason) => {
    const result = verdict(change, to);
    expect(result.allowed).toBe(false);
    expect(result.blockedBy).toEqual([expect.stringMatching(reason)]);
  });

  test("a NACL allow that covers only part of the port range counts as blocked", () => {
    const rules = [
      {
        ruleNumber: 100,
        egress: false,
        allow: true,
        protocol: "tcp" as const,
        fromPort: 1024,
        toPort: 40000,
        cidr: "0.0.0.0/0",
      },
    ];
    expect(naclAllows(rules, false, "10.0.0.0/24", 1024, 40000)).toBe(true);
    expect(naclAllows(rules, false, "10.0.0.0/24", 32768, 60999)).toBe(false);
  });
});

describe("fault injection into the real app stack", () => {
  const appStack = synthProject()["app-dev"];

  /** The compute's party (its group in its subnets), found through the seam. */
  function instances(stack: SynthesizedStack) {
    return computeParty(appComputeOf(stack)) as Party & { kind: "group" };
  }

  function toInternet(change: (stack: SynthesizedStack, graphParty: Party & { kind: "group" }) => void) {
    const stack = structuredClone(appStack);
    const party = instances(stack);
    change(stack, party);
    return connection(buildNetworkGraph(stack), party, internet, 443);
  }

  const igwRoute = (stack: SynthesizedStack, party: Party & { kind: "group" }) => {
    const graph = buildNetworkGraph(stack);
    const igw = Object.keys(stack.resource!.aws_internet_gateway)[0];
    for (const subnet of party.subnets) {
      const table = graph.subnets.get(subnet)!.routeTable.split(".")[1];
      stack.resource!.aws_route = {
        ...stack.resource!.aws_route,
        [`leak-${table}`]: {
          route_table_id: ref("aws_route_table", table),
          destination_cidr_block: "0.0.0.0/0",
          gateway_id: ref("aws_internet_gateway", igw),
        },
      };
    }
  };
  const openEgress = (stack: SynthesizedStack, party: Party & { kind: "group" }) => {
    stack.resource!.aws_vpc_security_group_egress_rule.leak = {
      security_group_id: ref("aws_security_group", party.securityGroup.split(".")[1]),
      ip_protocol: "tcp",
      from_port: 443,
      to_port: 443,
      cidr_ipv4: "0.0.0.0/0",
    };
  };

  test("as synthesized, the instances cannot reach the internet, for more than one reason", () => {
    const result = toInternet(() => {});
    expect(result.allowed).toBe(false);
    expect(result.blockedBy.some((r) => r.startsWith("no route from"))).toBe(true);
    expect(result.blockedBy.some((r) => r.startsWith("egress of"))).toBe(true);
  });

  test("a default route to the internet gateway is noticed: routing no longer blocks", () => {
    const result = toInternet(igwRoute);
    expect(result.blockedBy.filter((r) => r.startsWith("no route from"))).toEqual([]);
    expect(result.allowed).toBe(false);
  });

  test("an instance egress rule to anywhere is noticed: the security group no longer blocks", () => {
    const result = toInternet(openEgress);
    expect(result.blockedBy.filter((r) => r.startsWith("egress of"))).toEqual([]);
  });

  test("route, egress rule and open NACLs together: the instances reach the internet, and the analysis says so", () => {
    const result = toInternet((stack, party) => {
      igwRoute(stack, party);
      openEgress(stack, party);
      for (const acl of Object.values(stack.resource!.aws_network_acl)) {
        acl.ingress = [ALL];
        acl.egress = [ALL];
      }
    });
    expect(result).toEqual({ allowed: true, blockedBy: [] });
  });
});
