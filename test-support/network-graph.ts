/**
 * The network graph of one synthesized stack (test-support/reachability.ts checks connections on it): subnets,
 * route tables and routes, NACLs, security groups with their inline and stand-alone rules, VPC endpoints. Every
 * reference must point to a resource of the stack.
 */
import { Resource, SynthesizedStack, asList, resolveRef } from "./synth";

import { NaclRule, NetworkGraph, Peer, Protocol, Route, SecurityGroupRule, Subnet } from "./network-types";

export * from "./network-types";

const MAIN = "main";
const DEFAULT_NACL = "default";

function key(stack: SynthesizedStack, reference: unknown): string {
  const { type, name } = resolveRef(stack, reference);
  return `${type}.${name}`;
}

function protocolOf(value: unknown): Protocol {
  const text = String(value).toLowerCase();
  if (text === "-1" || text === "all") return "all";
  if (text === "6" || text === "tcp") return "tcp";
  if (text === "17" || text === "udp") return "udp";
  if (text === "1" || text === "icmp") return "icmp";
  throw new Error(`reachability: unknown protocol ${JSON.stringify(value)}`);
}

function portsOf(rule: Resource, protocol: Protocol): { fromPort: number; toPort: number } {
  if (protocol === "all") return { fromPort: 0, toPort: 65535 };
  return { fromPort: Number(rule.from_port), toPort: Number(rule.to_port) };
}

type Of = (type: string) => [string, Resource][];

/** Builds the graph; every reference must point to a resource of the stack. */
export function buildNetworkGraph(stack: SynthesizedStack): NetworkGraph {
  const of = (type: string): [string, Resource][] => Object.entries(stack.resource?.[type] ?? {});
  const vpcs = of("aws_vpc");
  if (vpcs.length !== 1) throw new Error(`reachability: expected one VPC, found ${vpcs.length}`);
  const vpcCidr = vpcs[0][1].cidr_block as string;
  const { nacls, naclOfSubnet } = naclsOf(stack, of);
  return {
    vpcCidr,
    subnets: subnetsOf(stack, of, naclOfSubnet),
    routeTables: routeTablesOf(stack, of),
    nacls,
    securityGroups: securityGroupsOf(stack, of),
    ...endpointsOf(stack, of),
  };
}

/** Route tables (inline routes and aws_route), the main table included. */
function routeTablesOf(stack: SynthesizedStack, of: Of): Map<string, Route[]> {
  const routeTables = new Map<string, Route[]>();
  const routeOf = (r: Resource): Route => {
    const destination = r.destination_prefix_list_id
      ? `pl:${r.destination_prefix_list_id}`
      : ((r.cidr_block ??
          r.destination_cidr_block ??
          r.ipv6_cidr_block ??
          r.destination_ipv6_cidr_block) as string);
    const targetRef = [
      "gateway_id",
      "nat_gateway_id",
      "egress_only_gateway_id",
      "transit_gateway_id",
      "vpc_peering_connection_id",
      "network_interface_id",
      "vpc_endpoint_id",
      "carrier_gateway_id",
      "local_gateway_id",
      "core_network_arn",
    ]
      .map((field) => r[field])
      .find((value) => typeof value === "string" && value !== "");
    return { destination, target: targetRef === "local" ? "local" : key(stack, targetRef) };
  };
  for (const [name, table] of of("aws_route_table"))
    routeTables.set(`aws_route_table.${name}`, asList(table.route as Resource[]).map(routeOf));
  const mains = of("aws_default_route_table");
  // Without an aws_default_route_table the main table is unmanaged: it has only the local route.
  routeTables.set(
    MAIN,
    mains.flatMap(([, t]) => asList(t.route as Resource[]).map(routeOf)),
  );
  for (const [, route] of of("aws_route")) {
    const table = route.route_table_id as string;
    const tableKey = table.includes("default_route_table_id") ? MAIN : key(stack, table);
    routeTables.get(tableKey)?.push(routeOf(route));
  }

  return routeTables;
}

/** NACLs with their rules (the default NACL included), and the NACL of each subnet. */
function naclsOf(stack: SynthesizedStack, of: Of) {
  const nacls = new Map<string, NaclRule[]>();
  const naclOfSubnet = new Map<string, string>();
  const inlineNaclRules = (acl: Resource): NaclRule[] =>
    (["ingress", "egress"] as const).flatMap((direction) =>
      asList(acl[direction] as Resource[]).map((r) => {
        const protocol = protocolOf(r.protocol);
        return {
          ruleNumber: Number(r.rule_no),
          egress: direction === "egress",
          allow: r.action === "allow",
          protocol,
          ...portsOf(r, protocol),
          cidr: r.cidr_block as string,
        };
      }),
    );
  for (const [name, acl] of of("aws_network_acl")) {
    nacls.set(`aws_network_acl.${name}`, inlineNaclRules(acl));
    for (const subnet of asList(acl.subnet_ids as string[]))
      naclOfSubnet.set(key(stack, subnet), `aws_network_acl.${name}`);
  }
  const defaults = of("aws_default_network_acl");
  // An unmanaged default NACL allows everything (AWS's default rules 100).
  nacls.set(
    DEFAULT_NACL,
    defaults.length
      ? defaults.flatMap(([, acl]) => inlineNaclRules(acl))
      : [true, false].map((egress) => ({
          ruleNumber: 100,
          egress,
          allow: true,
          protocol: "all" as Protocol,
          fromPort: 0,
          toPort: 65535,
          cidr: "0.0.0.0/0",
        })),
  );
  for (const [, rule] of of("aws_network_acl_rule")) {
    const protocol = protocolOf(rule.protocol);
    nacls.get(key(stack, rule.network_acl_id))?.push({
      ruleNumber: Number(rule.rule_number),
      egress: rule.egress === true,
      allow: rule.rule_action === "allow",
      protocol,
      ...portsOf(rule, protocol),
      cidr: rule.cidr_block as string,
    });
  }
  for (const [, association] of of("aws_network_acl_association"))
    naclOfSubnet.set(key(stack, association.subnet_id), key(stack, association.network_acl_id));

  return { nacls, naclOfSubnet };
}

/** Subnets with their route table and NACL. */
function subnetsOf(stack: SynthesizedStack, of: Of, naclOfSubnet: Map<string, string>): Map<string, Subnet> {
  const tableOfSubnet = new Map<string, string>();
  for (const [, association] of of("aws_route_table_association")) {
    if (association.subnet_id)
      tableOfSubnet.set(key(stack, association.subnet_id), key(stack, association.route_table_id));
  }
  const subnets = new Map<string, Subnet>();
  for (const [name, subnet] of of("aws_subnet")) {
    const id = `aws_subnet.${name}`;
    subnets.set(id, {
      id,
      cidr: subnet.cidr_block as string,
      mapPublicIp: subnet.map_public_ip_on_launch === true,
      routeTable: tableOfSubnet.get(id) ?? MAIN,
      nacl: naclOfSubnet.get(id) ?? DEFAULT_NACL,
    });
  }

  return subnets;
}

/** Security groups with every rule that applies to them, inline or stand-alone. */
function securityGroupsOf(stack: SynthesizedStack, of: Of): Map<string, SecurityGroupRule[]> {
  const securityGroups = new Map<string, SecurityGroupRule[]>();
  for (const [name] of of("aws_default_security_group"))
    securityGroups.set(`aws_default_security_group.${name}`, []);
  const peersOf = (r: Resource, self: string): Peer[] => [
    ...asList((r.cidr_blocks ?? r.cidr_ipv4) as string | string[]).map((cidr) => ({
      kind: "cidr" as const,
      cidr,
    })),
    ...asList(r.ipv6_cidr_blocks as string[]).map((cidr) => ({ kind: "cidr" as const, cidr })),
    ...asList(
      (r.security_groups ?? r.source_security_group_id ?? r.referenced_security_group_id) as string[],
    ).map((id) => ({ kind: "security-group" as const, id: key(stack, id) })),
    ...asList((r.prefix_list_ids ?? r.prefix_list_id) as string | string[]).map((id) => ({
      kind: "prefix-list" as const,
      id: String(id),
    })),
    ...(r.self === true ? [{ kind: "security-group" as const, id: self }] : []),
  ];
  const addRules = (group: string, direction: "ingress" | "egress", rule: Resource, declaredBy: string) => {
    const protocol = protocolOf(rule.protocol ?? rule.ip_protocol);
    const ports = portsOf(rule, protocol);
    const rules = securityGroups.get(group);
    if (!rules) throw new Error(`reachability: rule ${declaredBy} on an unknown security group ${group}`);
    for (const peer of peersOf(rule, group)) rules.push({ direction, protocol, ...ports, peer, declaredBy });
  };
  for (const [name, group] of [...of("aws_security_group"), ...of("aws_default_security_group")]) {
    const type =
      stack.resource?.aws_security_group?.[name] === group
        ? "aws_security_group"
        : "aws_default_security_group";
    const id = `${type}.${name}`;
    if (!securityGroups.has(id)) securityGroups.set(id, []);
    for (const direction of ["ingress", "egress"] as const)
      for (const rule of asList(group[direction] as Resource[])) addRules(id, direction, rule, id);
  }
  for (const [name, rule] of of("aws_security_group_rule"))
    addRules(
      key(stack, rule.security_group_id),
      rule.type as "ingress" | "egress",
      rule,
      `aws_security_group_rule.${name}`,
    );
  for (const direction of ["ingress", "egress"] as const)
    for (const [name, rule] of of(`aws_vpc_security_group_${direction}_rule`))
      addRules(
        key(stack, rule.security_group_id),
        direction,
        rule,
        `aws_vpc_security_group_${direction}_rule.${name}`,
      );

  return securityGroups;
}

/** Gateway endpoints by prefix list, interface endpoints by address. */
function endpointsOf(stack: SynthesizedStack, of: Of) {
  const gatewayEndpoints = new Map<string, { id: string; service: string; routeTables: string[] }>();
  const interfaceEndpoints = new Map<
    string,
    { service: string; subnets: string[]; securityGroups: string[] }
  >();
  for (const [name, endpoint] of of("aws_vpc_endpoint")) {
    const id = `aws_vpc_endpoint.${name}`;
    const service = endpoint.service_name as string;
    if (endpoint.vpc_endpoint_type === "Gateway") {
      gatewayEndpoints.set(`\${${id}.prefix_list_id}`, {
        id,
        service,
        routeTables: asList(endpoint.route_table_ids as string[]).map((t) => key(stack, t)),
      });
    } else {
      interfaceEndpoints.set(id, {
        service,
        subnets: asList(endpoint.subnet_ids as string[]).map((s) => key(stack, s)),
        securityGroups: asList(endpoint.security_group_ids as string[]).map((s) => key(stack, s)),
      });
    }
  }
  return { gatewayEndpoints, interfaceEndpoints };
}
