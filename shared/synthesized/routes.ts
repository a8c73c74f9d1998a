/** Reads routing and NACLs out of a synthesized stack: which route table a subnet uses and what its routes are. */
import { Resource, SynthesizedStack, asList, resourcesOf } from "./stacks";
import { referencedName } from "./references";
import { computeOf } from "./compute";

export const DEFAULT_ROUTES = ["0.0.0.0/0", "::/0"];

/**
 * Resource types that would give the VPC a way out other than the public subnets' internet gateway (or run a bare
 * machine outside any compute of the seam): none may exist in a stack of this project.
 */
export const FORBIDDEN_GATEWAY_TYPES: readonly string[] = [
  "aws_nat_gateway",
  "aws_egress_only_internet_gateway",
  "aws_vpc_peering_connection",
  "aws_vpc_peering_connection_accepter",
  "aws_ec2_transit_gateway",
  "aws_ec2_transit_gateway_vpc_attachment",
  "aws_vpn_gateway",
  "aws_instance",
];

/** Route target fields other than an internet gateway (`gateway_id`) or a VPC endpoint: none may be used. */
export const FORBIDDEN_ROUTE_TARGETS: readonly string[] = [
  "nat_gateway_id",
  "egress_only_gateway_id",
  "vpc_peering_connection_id",
  "transit_gateway_id",
  "network_interface_id",
  "local_gateway_id",
  "carrier_gateway_id",
  "core_network_arn",
];

/** A route in either form: an inline `route` block of a route table or an `aws_route` resource. */
export interface RouteEntry {
  readonly source: string;
  readonly destination: string | undefined;
  readonly target: Record<string, unknown>;
}

/**
 * Subnets where the app runs: those tagged Tier=instance and those the compute runs in, as the seam records it
 * (shared/synthesized/compute.ts, which throws for an app stack whose compute it cannot see).
 */
export function instanceSubnetNames(stack: SynthesizedStack): string[] {
  const names = new Set<string>();
  for (const [name, subnet] of Object.entries(resourcesOf(stack, "aws_subnet"))) {
    if ((subnet.tags as Record<string, string> | undefined)?.Tier === "instance") names.add(name);
  }
  for (const name of computeOf(stack)?.subnets ?? []) names.add(name);
  return [...names];
}

/** The route table a subnet is explicitly associated with; undefined means it falls back to the main table. */
export function routeTableOfSubnet(stack: SynthesizedStack, subnetName: string): string | undefined {
  const associations = Object.values(resourcesOf(stack, "aws_route_table_association")).filter(
    (a) => referencedName(a.subnet_id, "aws_subnet") === subnetName,
  );
  if (associations.length > 1)
    throw new Error(`subnet ${subnetName} has ${associations.length} associations`);
  return associations.length === 1
    ? referencedName(associations[0].route_table_id, "aws_route_table")
    : undefined;
}

function inlineEntry(source: string, route: Resource): RouteEntry {
  const { cidr_block, ipv6_cidr_block, destination_prefix_list_id, ...target } = route;
  return {
    source,
    destination: (cidr_block ?? ipv6_cidr_block ?? destination_prefix_list_id ?? undefined) as
      string | undefined,
    target,
  };
}

/** Every route Terraform would put into a route table (inline blocks and `aws_route` resources). */
export function routesOfTable(stack: SynthesizedStack, tableName: string): RouteEntry[] {
  const table = resourcesOf(stack, "aws_route_table")[tableName];
  if (!table) throw new Error(`no aws_route_table ${tableName}`);
  const entries = asList(table.route as Resource[] | undefined).map((r) => inlineEntry(`inline`, r));
  for (const [name, route] of Object.entries(resourcesOf(stack, "aws_route"))) {
    if (referencedName(route.route_table_id, "aws_route_table") !== tableName) continue;
    const { destination_cidr_block, destination_ipv6_cidr_block, destination_prefix_list_id, ...target } =
      route;
    entries.push({
      source: `aws_route.${name}`,
      destination: (destination_cidr_block ?? destination_ipv6_cidr_block ?? destination_prefix_list_id) as
        string | undefined,
      target,
    });
  }
  return entries;
}

/** VPC endpoints that add a route to the table (route_table_ids or an association resource). */
export function endpointsRoutingTable(stack: SynthesizedStack, tableName: string): Resource[] {
  const endpoints = resourcesOf(stack, "aws_vpc_endpoint");
  const found = Object.values(endpoints).filter((e) =>
    asList(e.route_table_ids as string[] | undefined).some(
      (id) => referencedName(id, "aws_route_table") === tableName,
    ),
  );
  for (const association of Object.values(resourcesOf(stack, "aws_vpc_endpoint_route_table_association"))) {
    if (referencedName(association.route_table_id, "aws_route_table") !== tableName) continue;
    const endpoint = endpoints[referencedName(association.vpc_endpoint_id, "aws_vpc_endpoint") ?? ""];
    found.push(endpoint ?? { unresolved: association.vpc_endpoint_id });
  }
  return found;
}

/** True when a route sends everything somewhere (IPv4 or IPv6 default route). */
export function isDefaultRoute(route: RouteEntry): boolean {
  return route.destination !== undefined && DEFAULT_ROUTES.includes(route.destination);
}

/** A NACL rule that admits every protocol, or every port, from anywhere. */
export function admitsEverythingFromAnywhere(rule: Resource): boolean {
  const fromAnywhere = DEFAULT_ROUTES.includes(String(rule.cidr_block ?? rule.ipv6_cidr_block));
  const allProtocols = String(rule.protocol) === "-1" || String(rule.protocol) === "all";
  const allPorts = Number(rule.from_port) <= 0 && Number(rule.to_port) >= 65535;
  return rule.action === "allow" && fromAnywhere && (allProtocols || allPorts);
}
