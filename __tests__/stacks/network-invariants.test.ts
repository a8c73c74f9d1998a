/**
 * Whole-project network invariants: no stack `synthProject()` builds adds a way out of a VPC, and in every stack
 * that has a network the machines that run the app (found through the seam, shared/synthesized/compute.ts) have no
 * route to the internet, yet every endpoint their compute needs is there with private DNS. Each invariant runs only where it applies and fails when it finds
 * nothing to check.
 */
import { Resource, asList, resourcesOf, synthProject } from "../../test-support/synth";
import {
  FORBIDDEN_GATEWAY_TYPES,
  FORBIDDEN_ROUTE_TARGETS,
  admitsEverythingFromAnywhere,
  endpointsRoutingTable,
  appComputeOf,
  instanceSubnetNames,
  isDefaultRoute,
  referencedName,
  routeTableOfSubnet,
  routesOfTable,
} from "../../shared/synthesized";

const stacks = synthProject();
/** The stacks the network invariants apply to: those with a VPC. */
const networkStacks = Object.entries(stacks).filter(
  ([, stack]) => Object.keys(resourcesOf(stack, "aws_vpc")).length,
);

test("the network invariants see every app stack, and only stacks with a network", () => {
  const appStacks = Object.keys(stacks).filter((n) => n.startsWith("app-"));
  expect(appStacks.length).toBeGreaterThan(0);
  expect(networkStacks.map(([name]) => name).sort()).toEqual(appStacks.sort());
});

describe.each(Object.entries(stacks))("%s", (_stackName, stack) => {
  test("no NAT, egress-only, VPN, peering or transit gateway, no bare EC2 instance", () => {
    for (const type of FORBIDDEN_GATEWAY_TYPES) expect(resourcesOf(stack, type)).toEqual({});
  });
});

describe.each(networkStacks)("%s network", (_stackName, stack) => {
  const instanceSubnets = instanceSubnetNames(stack);
  const subnets = Object.keys(resourcesOf(stack, "aws_subnet"));
  const routeTables = Object.keys(resourcesOf(stack, "aws_route_table"));

  test("every instance subnet follows its own association to a table with no default route", () => {
    expect(instanceSubnets.length).toBeGreaterThanOrEqual(2);
    for (const subnet of instanceSubnets) {
      const table = routeTableOfSubnet(stack, subnet);
      // Undefined would mean the main route table.
      expect({ subnet, table }).toEqual({ subnet, table: expect.any(String) });
      const routes = routesOfTable(stack, table!);
      expect(routes.filter(isDefaultRoute)).toEqual([]);
      // Nothing but the S3 gateway endpoint's prefix-list route (plus the implicit local route).
      expect(routes).toEqual([]);
      for (const endpoint of endpointsRoutingTable(stack, table!)) {
        expect(endpoint).toMatchObject({
          vpc_endpoint_type: "Gateway",
          service_name: expect.stringMatching(/^com\.amazonaws\.[a-z0-9-]+\.s3$/),
        });
      }
      expect(endpointsRoutingTable(stack, table!)).toHaveLength(1);
    }
  });

  test("the compute runs in the isolated instance tier, in at least two subnets", () => {
    const compute = appComputeOf(stack);
    expect(compute.subnets.length).toBeGreaterThanOrEqual(2);
    // The union in instanceSubnetNames() already checks their routes; this pins the compute to the isolated tier.
    const subnets = resourcesOf(stack, "aws_subnet");
    for (const subnet of compute.subnets)
      expect({ subnet, tags: subnets[subnet]?.tags }).toMatchObject({ tags: { Tier: "instance" } });
  });

  test("no route anywhere sends traffic to a NAT, egress-only, peering or transit gateway", () => {
    expect(routeTables.length).toBeGreaterThan(0);
    for (const table of routeTables) {
      for (const route of routesOfTable(stack, table)) {
        for (const key of FORBIDDEN_ROUTE_TARGETS)
          expect({ table, [key]: route.target[key] ?? null }).toEqual({ table, [key]: null });
      }
    }
  });

  test("only public-tier route tables hold a default route, and only to an internet gateway", () => {
    const withDefault = routeTables.filter((table) => routesOfTable(stack, table).some(isDefaultRoute));
    // The public tier reaches the internet: without any default route this test would check nothing.
    expect(withDefault.length).toBeGreaterThan(0);
    for (const table of withDefault) {
      for (const route of routesOfTable(stack, table).filter(isDefaultRoute)) {
        expect(referencedName(route.target.gateway_id, "aws_internet_gateway")).toBeDefined();
        const users = Object.values(resourcesOf(stack, "aws_route_table_association"))
          .filter((a) => referencedName(a.route_table_id, "aws_route_table") === table)
          .map((a) => referencedName(a.subnet_id, "aws_subnet"));
        for (const subnet of users) expect(instanceSubnets).not.toContain(subnet);
      }
    }
  });

  test("no subnet uses the main route table, and the main route table has no routes", () => {
    expect(subnets.length).toBeGreaterThan(0);
    for (const subnet of subnets)
      expect({ subnet, table: routeTableOfSubnet(stack, subnet) }).toEqual({
        subnet,
        table: expect.any(String),
      });
    for (const main of Object.values(resourcesOf(stack, "aws_default_route_table")))
      expect(main.route).toEqual([]);
    for (const association of Object.values(resourcesOf(stack, "aws_main_route_table_association")))
      expect(association).toBeUndefined();
  });

  test("every required interface endpoint exists with private DNS in the instance subnets", () => {
    const endpoints = Object.values(resourcesOf(stack, "aws_vpc_endpoint"));
    const required = appComputeOf(stack).requiredInterfaceServices;
    expect(required.length).toBeGreaterThan(0);
    for (const service of required) {
      const endpoint = endpoints.find((e) => String(e.service_name).endsWith(`.${service}`));
      expect({ service, type: endpoint?.vpc_endpoint_type, dns: endpoint?.private_dns_enabled }).toEqual({
        service,
        type: "Interface",
        dns: true,
      });
      const subnets = asList(endpoint!.subnet_ids as string[]).map((s) => referencedName(s, "aws_subnet"));
      expect(subnets.length).toBeGreaterThan(0);
      for (const subnet of subnets) expect(instanceSubnets).toContain(subnet);
    }
    for (const endpoint of endpoints.filter((e) => e.vpc_endpoint_type === "Interface"))
      expect(endpoint.private_dns_enabled).toBe(true);
    const s3 = endpoints.filter((e) => String(e.service_name).endsWith(".s3"));
    expect(s3.map((e) => e.vpc_endpoint_type)).toEqual(["Gateway"]);
  });

  test("no NACL rule admits all protocols or all ports from anywhere", () => {
    const rules: Resource[] = [
      ...Object.values(resourcesOf(stack, "aws_network_acl")).flatMap((acl) => [
        ...asList(acl.ingress as Resource[]),
        ...asList(acl.egress as Resource[]),
      ]),
      ...Object.values(resourcesOf(stack, "aws_default_network_acl")).flatMap((acl) => [
        ...asList(acl.ingress as Resource[]),
        ...asList(acl.egress as Resource[]),
      ]),
      ...Object.values(resourcesOf(stack, "aws_network_acl_rule")),
    ];
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules)
      expect({ rule, open: admitsEverythingFromAnywhere(rule) }).toEqual({ rule, open: false });
  });

  test("every subnet is on a NACL of ours, none on the default NACL", () => {
    const covered = new Set(
      Object.values(resourcesOf(stack, "aws_network_acl")).flatMap((acl) =>
        asList(acl.subnet_ids as string[]).map((s) => referencedName(s, "aws_subnet")),
      ),
    );
    expect(subnets.length).toBeGreaterThan(0);
    for (const subnet of subnets) expect(covered).toContain(subnet);
    for (const acl of Object.values(resourcesOf(stack, "aws_default_network_acl")))
      expect(asList(acl.subnet_ids as string[] | undefined)).toEqual([]);
  });

  test("flow logs of ALL traffic cover every VPC", () => {
    const flowLogs = Object.values(resourcesOf(stack, "aws_flow_log"));
    const vpcs = Object.keys(resourcesOf(stack, "aws_vpc"));
    expect(vpcs.length).toBeGreaterThan(0);
    for (const vpc of vpcs) {
      expect(
        flowLogs.filter((f) => referencedName(f.vpc_id, "aws_vpc") === vpc && f.traffic_type === "ALL"),
      ).toHaveLength(1);
    }
  });
});
