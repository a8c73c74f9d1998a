import { Testing } from "cdktf";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { DataAwsAvailabilityZones } from "@cdktf/provider-aws/lib/data-aws-availability-zones";
import { Network, NetworkProps, carveSubnetCidrs } from "../../../constructs/network/network";
import {
  Resource,
  SynthesizedStack,
  asList,
  onlyResource,
  resolveRef,
  resourcesOf,
  synthConstruct,
} from "../../../test-support/synth";
import {
  FORBIDDEN_GATEWAY_TYPES,
  admitsEverythingFromAnywhere,
  isDefaultRoute,
  referencedName,
  routeTableOfSubnet,
  routesOfTable,
} from "../../../shared/synthesized";

const ACCOUNT = "123456789012";
const baseProps: NetworkProps = {
  namePrefix: "demo-dev",
  region: "eu-west-1",
  accountId: ACCOUNT,
  vpcCidr: "10.20.0.0/16",
  azCount: 2,
  allowedIngressCidrs: ["203.0.113.0/24"],
  logRetentionDays: 365,
};

function synthNetwork(props: Partial<NetworkProps> = {}): { stack: SynthesizedStack; network: Network } {
  let network!: Network;
  const stack = synthConstruct((scope) => {
    network = new Network(scope, "network", { ...baseProps, ...props });
  });
  return { stack, network };
}

function subnetsByTier(stack: SynthesizedStack, tier: string): [string, Resource][] {
  return Object.entries(resourcesOf(stack, "aws_subnet")).filter(
    ([, s]) => (s.tags as Record<string, string>).Tier === tier,
  );
}

function nacl(stack: SynthesizedStack, suffix: string): Resource {
  const entry = Object.entries(resourcesOf(stack, "aws_network_acl")).find(([name]) => name.includes(suffix));
  if (!entry) throw new Error(`no NACL ${suffix}`);
  return entry[1];
}

function rules(acl: Resource, direction: "ingress" | "egress"): Resource[] {
  return asList(acl[direction] as Resource[]);
}

function tcpRule(cidr: string, from: number, to = from) {
  return expect.objectContaining({
    action: "allow",
    protocol: "6",
    cidr_block: cidr,
    from_port: from,
    to_port: to,
  }) as unknown;
}

const { stack, network } = synthNetwork();
const publicCidrs = ["10.20.0.0/19", "10.20.32.0/19"];
const instanceCidrs = ["10.20.128.0/19", "10.20.160.0/19"];

describe("carveSubnetCidrs", () => {
  test("splits the VPC into eighths: public blocks first, instance blocks from the middle", () => {
    expect(carveSubnetCidrs("10.20.0.0/16", 3)).toEqual({
      public: ["10.20.0.0/19", "10.20.32.0/19", "10.20.64.0/19"],
      instance: ["10.20.128.0/19", "10.20.160.0/19", "10.20.192.0/19"],
    });
    expect(carveSubnetCidrs("192.168.4.0/24", 2)).toEqual({
      public: ["192.168.4.0/27", "192.168.4.32/27"],
      instance: ["192.168.4.128/27", "192.168.4.160/27"],
    });
  });

  test("refuses an invalid CIDR, naming the setting", () => {
    expect(() => carveSubnetCidrs("10.20.0.1/16", 2)).toThrow(/vpcCidr/);
  });
});

describe("Network", () => {
  test("VPC with the configured CIDR, DNS support and DNS hostnames", () => {
    expect(Testing.synthScope((scope) => new Network(scope, "n", baseProps))).toHaveResourceWithProperties(
      Vpc,
      {
        cidr_block: "10.20.0.0/16",
        enable_dns_support: true,
        enable_dns_hostnames: true,
      },
    );
  });

  test("AZs come from an available, opt-in-not-required data source, picked by index", () => {
    expect(Testing.synthScope((scope) => new Network(scope, "n", baseProps))).toHaveDataSourceWithProperties(
      DataAwsAvailabilityZones,
      { state: "available", filter: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
    );
    const zones = subnetsByTier(stack, "instance").map(([, s]) => s.availability_zone);
    expect(zones).toEqual([
      expect.stringMatching(/^\$\{element\(data\.aws_availability_zones\.[^.]+\.names, 0\)\}$/),
      expect.stringMatching(/^\$\{element\(data\.aws_availability_zones\.[^.]+\.names, 1\)\}$/),
    ]);
  });

  test("one public and one instance subnet per AZ, literal CIDRs, no public IPs on launch", () => {
    expect(subnetsByTier(stack, "public").map(([, s]) => s.cidr_block)).toEqual(publicCidrs);
    expect(subnetsByTier(stack, "instance").map(([, s]) => s.cidr_block)).toEqual(instanceCidrs);
    for (const subnet of Object.values(resourcesOf(stack, "aws_subnet")))
      expect(subnet.map_public_ip_on_launch).toBe(false);
    expect(network.publicSubnetCidrs).toEqual(publicCidrs);
    expect(network.instanceSubnetCidrs).toEqual(instanceCidrs);
    expect(network.appPort).toBe(80);
  });

  test("three AZs give three subnets of each tier", () => {
    const { stack: three } = synthNetwork({ azCount: 3 });
    expect(subnetsByTier(three, "public")).toHaveLength(3);
    expect(subnetsByTier(three, "instance")).toHaveLength(3);
  });

  test("public subnets route 0.0.0.0/0 to the internet gateway through an explicit association", () => {
    for (const [name] of subnetsByTier(stack, "public")) {
      const table = routeTableOfSubnet(stack, name);
      expect(table).toBeDefined();
      const routes = routesOfTable(stack, table!);
      expect(routes).toHaveLength(1);
      expect(routes[0].destination).toBe("0.0.0.0/0");
      expect(referencedName(routes[0].target.gateway_id, "aws_internet_gateway")).toBeDefined();
    }
  });

  test("instance subnets have their own route tables with no route at all (Terraform enforces route = [])", () => {
    const tables = subnetsByTier(stack, "instance").map(([name]) => routeTableOfSubnet(stack, name));
    expect(new Set(tables).size).toBe(2);
    for (const table of tables) {
      expect(resourcesOf(stack, "aws_route_table")[table!].route).toEqual([]);
      expect(routesOfTable(stack, table!).filter(isDefaultRoute)).toEqual([]);
    }
    expect(network.instanceRouteTableIds).toHaveLength(2);
  });

  test("no NAT, egress-only, peering or transit gateway and no aws_route resources", () => {
    for (const type of [...FORBIDDEN_GATEWAY_TYPES, "aws_route"])
      expect(resourcesOf(stack, type)).toEqual({});
  });

  test("takes over the default security group, main route table and default NACL, leaving them empty", () => {
    expect(onlyResource(stack, "aws_default_security_group")).toMatchObject({ ingress: [], egress: [] });
    const main = onlyResource(stack, "aws_default_route_table");
    expect(main.route).toEqual([]);
    expect(resolveRef(stack, main.default_route_table_id).type).toBe("aws_vpc");
    expect(onlyResource(stack, "aws_default_network_acl")).toMatchObject({ ingress: [], egress: [] });
  });

  test("every subnet is explicitly associated with a route table and a NACL of its tier", () => {
    const publicAcl = nacl(stack, "public-network-acl");
    const instanceAcl = nacl(stack, "instance-network-acl");
    for (const [name] of subnetsByTier(stack, "public")) {
      expect(routeTableOfSubnet(stack, name)).toBeDefined();
      expect(asList(publicAcl.subnet_ids as string[]).map((r) => referencedName(r, "aws_subnet"))).toContain(
        name,
      );
    }
    for (const [name] of subnetsByTier(stack, "instance")) {
      expect(routeTableOfSubnet(stack, name)).toBeDefined();
      expect(
        asList(instanceAcl.subnet_ids as string[]).map((r) => referencedName(r, "aws_subnet")),
      ).toContain(name);
    }
  });

  test("public NACL: 80/443 from the allowed CIDRs, app port out to the instance subnets, return traffic", () => {
    const acl = nacl(stack, "public-network-acl");
    expect(rules(acl, "ingress")).toEqual([
      tcpRule("203.0.113.0/24", 80),
      tcpRule("203.0.113.0/24", 443),
      ...instanceCidrs.map((c) => tcpRule(c, 1024, 65535)),
    ]);
    expect(rules(acl, "egress")).toEqual([
      ...instanceCidrs.map((c) => tcpRule(c, 80)),
      tcpRule("203.0.113.0/24", 1024, 65535),
    ]);
  });

  test("instance NACL: app port only from the public subnets, HTTPS out, ephemeral replies", () => {
    const acl = nacl(stack, "instance-network-acl");
    expect(rules(acl, "ingress")).toEqual([
      ...publicCidrs.map((c) => tcpRule(c, 80)),
      ...instanceCidrs.map((c) => tcpRule(c, 443)),
      // Replies to the instances' own calls only: Linux client ports, never 22/3389 from anywhere.
      tcpRule("0.0.0.0/0", 32768, 65535),
    ]);
    expect(rules(acl, "egress")).toEqual([
      tcpRule("0.0.0.0/0", 443),
      ...publicCidrs.map((c) => tcpRule(c, 1024, 65535)),
      ...instanceCidrs.map((c) => tcpRule(c, 1024, 65535)),
    ]);
  });

  test("the app port is a prop and drives both NACLs", () => {
    const { stack: custom, network: customNetwork } = synthNetwork({ appPort: 8080 });
    expect(customNetwork.appPort).toBe(8080);
    expect(rules(nacl(custom, "instance-network-acl"), "ingress")).toContainEqual(
      tcpRule(publicCidrs[0], 8080),
    );
    expect(rules(nacl(custom, "public-network-acl"), "egress")).toContainEqual(
      tcpRule(instanceCidrs[0], 8080),
    );
  });

  test("no NACL rule admits all protocols or all ports from anywhere", () => {
    for (const acl of Object.values(resourcesOf(stack, "aws_network_acl")))
      for (const rule of [...rules(acl, "ingress"), ...rules(acl, "egress")])
        expect(admitsEverythingFromAnywhere(rule)).toBe(false);
  });

  test("flow logs capture ALL traffic of the VPC into the flow-log group through the flow-log role", () => {
    expect(Testing.synthScope((scope) => new Network(scope, "n", baseProps))).toHaveResourceWithProperties(
      FlowLog,
      { traffic_type: "ALL", log_destination_type: "cloud-watch-logs" },
    );
    const flowLog = onlyResource(stack, "aws_flow_log");
    expect(resolveRef(stack, flowLog.vpc_id).type).toBe("aws_vpc");
    expect(resolveRef(stack, flowLog.log_destination).type).toBe("aws_cloudwatch_log_group");
    expect(resolveRef(stack, flowLog.iam_role_arn).type).toBe("aws_iam_role");
  });
});
