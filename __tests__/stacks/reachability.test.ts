/**
 * Reachability of the synthesized network, computed from the resources themselves (test-support/reachability.ts):
 * what the machines of the app's compute (found through the seam, test-support/app-topology.ts) can reach, and what
 * the internet can reach.
 */
import { synthProject, resourcesOf } from "../../test-support/synth";
import { FORBIDDEN_GATEWAY_TYPES } from "../../shared/synthesized";
import {
  ALB_EPHEMERAL,
  NetworkGraph,
  OUTSIDE_ADDRESS,
  Party,
  connection,
} from "../../test-support/reachability";
import { appTopology } from "../../test-support/app-topology";
import { cidrContains } from "../../shared/cidr";

const HTTPS = 443;
const stacks = synthProject();
const appStacks = Object.keys(stacks).filter((name) => name.startsWith("app-"));

function endpointParty(graph: NetworkGraph, securityGroup: string): Party {
  const subnets = [...graph.interfaceEndpoints.values()]
    .filter((e) => e.securityGroups.includes(securityGroup))
    .flatMap((e) => e.subnets);
  return { kind: "group", securityGroup, subnets: [...new Set(subnets)] };
}

describe.each(appStacks)("reachability of %s", (stackName) => {
  const stack = stacks[stackName];
  const t = appTopology(stack);

  test("the instances' security group lets out only HTTPS to the endpoint security group and the S3 prefix list", () => {
    const egress = t.graph.securityGroups.get(t.instances.kind === "group" ? t.instances.securityGroup : "")!;
    expect(egress.filter((r) => r.direction === "egress").length).toBeGreaterThan(0);
    for (const rule of egress.filter((r) => r.direction === "egress")) {
      expect({
        rule: rule.declaredBy,
        protocol: rule.protocol,
        from: rule.fromPort,
        to: rule.toPort,
      }).toEqual({
        rule: rule.declaredBy,
        protocol: "tcp",
        from: HTTPS,
        to: HTTPS,
      });
      const target = rule.peer.kind === "cidr" ? rule.peer.cidr : rule.peer.id;
      expect([...t.endpointGroups, t.s3PrefixList]).toContain(target);
    }
  });

  test("the instances reach the interface endpoints and S3 on 443 (routes, NACLs and security groups agree)", () => {
    for (const group of t.endpointGroups) {
      expect(connection(t.graph, t.instances, endpointParty(t.graph, group), HTTPS)).toEqual({
        allowed: true,
        blockedBy: [],
      });
    }
    const s3: Party = { kind: "outside", cidr: OUTSIDE_ADDRESS, prefixList: t.s3PrefixList };
    expect(connection(t.graph, t.instances, s3, HTTPS)).toEqual({ allowed: true, blockedBy: [] });
  });

  test("the instances reach nothing else: not the internet, not the endpoints on another port", () => {
    const internet: Party = { kind: "outside", cidr: OUTSIDE_ADDRESS };
    for (const port of [HTTPS, 80, 22])
      expect(connection(t.graph, t.instances, internet, port).allowed).toBe(false);
    for (const group of t.endpointGroups)
      expect(connection(t.graph, t.instances, endpointParty(t.graph, group), 80).allowed).toBe(false);
    // A platform may attach a security group of its own (EB's default instance group, egress 0.0.0.0/0) that no
    // synthesized resource shows: the compute must turn it off.
    expect(t.compute.platformSecurityGroup).toBe(false);
  });

  test("no route leaves an instance subnet (or the main route table) for anything outside the VPC", () => {
    const tables = new Set(
      t.instances.kind === "group" ? t.instances.subnets.map((s) => t.graph.subnets.get(s)!.routeTable) : [],
    );
    tables.add("main");
    for (const table of tables) {
      const outbound = (t.graph.routeTables.get(table) ?? []).filter(
        (r) => !r.destination.startsWith("pl:") && !cidrContains(t.graph.vpcCidr, r.destination),
      );
      expect({ table, outbound }).toEqual({ table, outbound: [] });
    }
    for (const type of FORBIDDEN_GATEWAY_TYPES) expect(Object.keys(resourcesOf(stack, type))).toEqual([]);
  });

  test("only the load balancer accepts traffic from outside the VPC, and only on its listener ports", () => {
    expect(t.listenerPorts.length).toBeGreaterThan(0);
    for (const [group, rules] of t.graph.securityGroups) {
      for (const rule of rules.filter((r) => r.direction === "ingress")) {
        if (rule.peer.kind === "security-group") continue;
        const outside = rule.peer.kind === "prefix-list" || !cidrContains(t.graph.vpcCidr, rule.peer.cidr);
        if (!outside) continue;
        expect({ group, rule: rule.declaredBy }).toEqual({
          group: t.loadBalancer.kind === "group" ? t.loadBalancer.securityGroup : "",
          rule: rule.declaredBy,
        });
        expect(rule.fromPort).toBe(rule.toPort);
        expect(t.listenerPorts).toContain(rule.fromPort);
      }
    }
    const client: Party = { kind: "outside", cidr: OUTSIDE_ADDRESS };
    for (const port of t.listenerPorts)
      expect(connection(t.graph, client, t.loadBalancer, port, ALB_EPHEMERAL)).toEqual({
        allowed: true,
        blockedBy: [],
      });
    expect(connection(t.graph, client, t.loadBalancer, 22, ALB_EPHEMERAL).allowed).toBe(false);
    expect(connection(t.graph, client, t.instances, 80, ALB_EPHEMERAL).allowed).toBe(false);
  });

  test("the load balancer reaches the instances on the app port", () => {
    expect(connection(t.graph, t.loadBalancer, t.instances, t.compute.appPort, ALB_EPHEMERAL)).toEqual({
      allowed: true,
      blockedBy: [],
    });
  });

  test("nothing on the instance side gets a public IP address", () => {
    if (t.instances.kind !== "group") throw new Error("instances are a group");
    for (const subnet of t.instances.subnets) expect(t.graph.subnets.get(subnet)!.mapPublicIp).toBe(false);
    expect(t.compute.assignsPublicIp).toBe(false);
    expect(Object.keys(resourcesOf(stack, "aws_eip"))).toEqual([]);
    expect(Object.keys(resourcesOf(stack, "aws_instance"))).toEqual([]);
  });
});
