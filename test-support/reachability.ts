/**
 * A network graph of one synthesized stack — subnets, route tables and routes, NACLs, security groups with their
 * inline and stand-alone rules, VPC endpoints — and a connection check that applies them as AWS does: the source
 * security group's egress, the destination's ingress (security groups are stateful), the route from the source
 * subnet, and both subnets' NACLs in both directions (NACLs are stateless: the reply travels on ephemeral ports).
 */
import { cidrContains, cidrOverlaps } from "../shared/cidr";
import { Resource, SynthesizedStack, asList, resolveRef } from "./synth";

export type Protocol = "tcp" | "udp" | "icmp" | "all";

/** Where a rule points: an IPv4 range, another security group, or a prefix list. */
export type Peer =
  | { readonly kind: "cidr"; readonly cidr: string }
  | { readonly kind: "security-group"; readonly id: string }
  | { readonly kind: "prefix-list"; readonly id: string };

export interface SecurityGroupRule {
  readonly direction: "ingress" | "egress";
  readonly protocol: Protocol;
  readonly fromPort: number;
  readonly toPort: number;
  readonly peer: Peer;
  /** `type.name` of the resource that declares the rule. */
  readonly declaredBy: string;
}

export interface NaclRule {
  readonly ruleNumber: number;
  readonly egress: boolean;
  readonly allow: boolean;
  readonly protocol: Protocol;
  readonly fromPort: number;
  readonly toPort: number;
  readonly cidr: string;
}

export interface Route {
  /** Destination CIDR, or `pl:<id>` for a prefix-list destination. */
  readonly destination: string;
  /** `type.name` of the target (`aws_internet_gateway.x`, `aws_nat_gateway.y`, `aws_vpc_endpoint.z`). */
  readonly target: string;
}

export interface Subnet {
  readonly id: string;
  readonly cidr: string;
  readonly mapPublicIp: boolean;
  readonly routeTable: string;
  readonly nacl: string;
}

export interface NetworkGraph {
  readonly vpcCidr: string;
  readonly subnets: ReadonlyMap<string, Subnet>;
  readonly routeTables: ReadonlyMap<string, Route[]>;
  readonly nacls: ReadonlyMap<string, NaclRule[]>;
  readonly securityGroups: ReadonlyMap<string, SecurityGroupRule[]>;
  /** S3/DynamoDB gateway endpoints: prefix-list id → route tables they are associated with. */
  readonly gatewayEndpoints: ReadonlyMap<string, { id: string; service: string; routeTables: string[] }>;
  /** Interface endpoints: id → subnets and security groups of their network interfaces. */
  readonly interfaceEndpoints: ReadonlyMap<
    string,
    { service: string; subnets: string[]; securityGroups: string[] }
  >;
}

/** Linux clients pick ephemeral ports here (net.ipv4.ip_local_port_range); ALB nodes use 1024-65535. */
export const LINUX_EPHEMERAL = { from: 32768, to: 60999 };
export const ALB_EPHEMERAL = { from: 1024, to: 65535 };
/** An address outside the VPC standing for the internet or a service's public range (S3 via the gateway). */
export const OUTSIDE_ADDRESS = "198.51.100.7/32";

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

/** Builds the graph; every reference must point to a resource of the stack. */
export function buildNetworkGraph(stack: SynthesizedStack): NetworkGraph {
  const of = (type: string): [string, Resource][] => Object.entries(stack.resource?.[type] ?? {});
  const vpcs = of("aws_vpc");
  if (vpcs.length !== 1) throw new Error(`reachability: expected one VPC, found ${vpcs.length}`);
  const vpcCidr = vpcs[0][1].cidr_block as string;

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
  return { vpcCidr, subnets, routeTables, nacls, securityGroups, gatewayEndpoints, interfaceEndpoints };
}

function portsCover(
  rule: { protocol: Protocol; fromPort: number; toPort: number },
  protocol: Protocol,
  from: number,
  to: number,
) {
  return (
    (rule.protocol === "all" || rule.protocol === protocol) && rule.fromPort <= from && to <= rule.toPort
  );
}

/**
 * First-match NACL evaluation for traffic to/from a whole CIDR on a port range: the first rule (by number) that
 * overlaps both decides; a deny that overlaps, or an allow that covers only part of the range, counts as blocked.
 */
export function naclAllows(
  rules: readonly NaclRule[],
  egress: boolean,
  peerCidr: string,
  from: number,
  to: number,
): boolean {
  for (const rule of [...rules]
    .filter((r) => r.egress === egress)
    .sort((a, b) => a.ruleNumber - b.ruleNumber)) {
    const portsOverlap =
      rule.protocol === "all" || (rule.protocol === "tcp" && rule.fromPort <= to && from <= rule.toPort);
    if (!portsOverlap || !cidrOverlaps(rule.cidr, peerCidr)) continue;
    return rule.allow && cidrContains(rule.cidr, peerCidr) && portsCover(rule, "tcp", from, to);
  }
  return false;
}

/** A TCP endpoint of a connection: a security group in some subnets, or an address range outside the VPC. */
export type Party =
  | { readonly kind: "group"; readonly securityGroup: string; readonly subnets: readonly string[] }
  | { readonly kind: "outside"; readonly cidr: string; readonly prefixList?: string };

/** Why a TCP connection from one party to another on a port is or is not possible. */
export function connection(
  graph: NetworkGraph,
  from: Party,
  to: Party,
  port: number,
  clientEphemeral = LINUX_EPHEMERAL,
): { allowed: boolean; blockedBy: string[] } {
  const blockedBy: string[] = [];
  const sgAllows = (group: string, direction: "ingress" | "egress", peer: Party) => {
    const rules = (graph.securityGroups.get(group) ?? []).filter(
      (rule) => rule.direction === direction && portsCover(rule, "tcp", port, port),
    );
    const cidrCovers = (cidr: string) =>
      rules.some((rule) => rule.peer.kind === "cidr" && cidrContains(rule.peer.cidr, cidr));
    if (peer.kind === "outside") {
      return (
        cidrCovers(peer.cidr) ||
        rules.some((rule) => rule.peer.kind === "prefix-list" && rule.peer.id === peer.prefixList)
      );
    }
    // A group is covered by a rule naming it, or by CIDR rules that together cover each of its subnets.
    return (
      rules.some((rule) => rule.peer.kind === "security-group" && rule.peer.id === peer.securityGroup) ||
      peer.subnets.every((subnet) => cidrCovers(graph.subnets.get(subnet)!.cidr))
    );
  };
  const cidrsOf = (party: Party) =>
    party.kind === "group" ? party.subnets.map((s) => graph.subnets.get(s)!.cidr) : [party.cidr];

  if (from.kind === "group" && !sgAllows(from.securityGroup, "egress", to))
    blockedBy.push(`egress of ${from.securityGroup}`);
  if (to.kind === "group" && !sgAllows(to.securityGroup, "ingress", from))
    blockedBy.push(`ingress of ${to.securityGroup}`);

  // Routing: inside the VPC the local route always applies; outside needs a route in every involved subnet's table.
  const routed = (subnet: Subnet, outside: Party & { kind: "outside" }) =>
    (graph.routeTables.get(subnet.routeTable) ?? []).some(
      (route) =>
        (outside.prefixList !== undefined &&
          (route.destination === `pl:${outside.prefixList}` ||
            graph.gatewayEndpoints.get(outside.prefixList)?.routeTables.includes(subnet.routeTable))) ||
        (!route.destination.startsWith("pl:") &&
          cidrContains(route.destination, outside.cidr) &&
          route.target !== "local"),
    ) ||
    (outside.prefixList !== undefined &&
      graph.gatewayEndpoints.get(outside.prefixList)?.routeTables.includes(subnet.routeTable));
  for (const [inside, outside] of [
    [from, to],
    [to, from],
  ] as const) {
    if (inside.kind !== "group" || outside.kind !== "outside") continue;
    for (const s of inside.subnets)
      if (!routed(graph.subnets.get(s)!, outside)) blockedBy.push(`no route from ${s} to ${outside.cidr}`);
  }

  // NACLs, both ways: request to the port, reply to the client's ephemeral ports.
  const naclCheck = (party: Party, egress: boolean, peer: Party, lo: number, hi: number, what: string) => {
    if (party.kind !== "group") return;
    for (const s of party.subnets) {
      const subnet = graph.subnets.get(s)!;
      for (const peerCidr of cidrsOf(peer))
        if (!naclAllows(graph.nacls.get(subnet.nacl) ?? [], egress, peerCidr, lo, hi))
          blockedBy.push(
            `${what}: NACL ${subnet.nacl} of ${s} (${egress ? "egress" : "ingress"} ${peerCidr} ${lo}-${hi})`,
          );
    }
  };
  naclCheck(from, true, to, port, port, "request");
  naclCheck(to, false, from, port, port, "request");
  naclCheck(to, true, from, clientEphemeral.from, clientEphemeral.to, "reply");
  naclCheck(from, false, to, clientEphemeral.from, clientEphemeral.to, "reply");
  return { allowed: blockedBy.length === 0, blockedBy };
}
