/**
 * A network graph of one synthesized stack — subnets, route tables and routes, NACLs, security groups with their
 * inline and stand-alone rules, VPC endpoints — and a connection check that applies them as AWS does: the source
 * security group's egress, the destination's ingress (security groups are stateful), the route from the source
 * subnet, and both subnets' NACLs in both directions (NACLs are stateless: the reply travels on ephemeral ports).
 */
import { cidrContains, cidrOverlaps } from "../shared/cidr";
import { NaclRule, NetworkGraph, Protocol, Subnet } from "./network-graph";

export * from "./network-graph";

/** Linux clients pick ephemeral ports here (net.ipv4.ip_local_port_range); ALB nodes use 1024-65535. */
export const LINUX_EPHEMERAL = { from: 32768, to: 60999 };
export const ALB_EPHEMERAL = { from: 1024, to: 65535 };
/** An address outside the VPC standing for the internet or a service's public range (S3 via the gateway). */
export const OUTSIDE_ADDRESS = "198.51.100.7/32";

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

/** Whether a security group's rules of one direction let TCP on `port` to or from a party. */
function securityGroupAllows(
  graph: NetworkGraph,
  group: string,
  direction: "ingress" | "egress",
  peer: Party,
  port: number,
): boolean {
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
}

/** Whether a subnet's route table sends traffic to an outside party (a route, or its gateway endpoint). */
function routes(graph: NetworkGraph, subnet: Subnet, outside: Party & { kind: "outside" }): boolean {
  return (
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
      graph.gatewayEndpoints.get(outside.prefixList)?.routeTables.includes(subnet.routeTable) === true)
  );
}

/** Why a TCP connection from one party to another on a port is or is not possible. */
export function connection(
  graph: NetworkGraph,
  from: Party,
  to: Party,
  port: number,
  clientEphemeral = LINUX_EPHEMERAL,
): { allowed: boolean; blockedBy: string[] } {
  const blockedBy: string[] = [];
  const sgAllows = (group: string, direction: "ingress" | "egress", peer: Party) =>
    securityGroupAllows(graph, group, direction, peer, port);
  const cidrsOf = (party: Party) =>
    party.kind === "group" ? party.subnets.map((s) => graph.subnets.get(s)!.cidr) : [party.cidr];

  if (from.kind === "group" && !sgAllows(from.securityGroup, "egress", to))
    blockedBy.push(`egress of ${from.securityGroup}`);
  if (to.kind === "group" && !sgAllows(to.securityGroup, "ingress", from))
    blockedBy.push(`ingress of ${to.securityGroup}`);

  // Routing: inside the VPC the local route always applies; outside needs a route in every involved subnet's table.
  const routed = (subnet: Subnet, outside: Party & { kind: "outside" }) => routes(graph, subnet, outside);
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
