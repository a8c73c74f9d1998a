/**
 * Reachability of the synthesized network, computed from the resources themselves (test-support/reachability.ts):
 * what the instances can reach, and what the internet can reach.
 */
import { synthProject, SynthesizedStack, onlyResource, resourcesOf } from "../../test-support/synth";
import { FORBIDDEN_GATEWAY_TYPES, ebSetting, ebSettings, referencesIn } from "../../shared/synthesized";
import {
  ALB_EPHEMERAL,
  NetworkGraph,
  OUTSIDE_ADDRESS,
  Party,
  buildNetworkGraph,
  connection,
} from "../../test-support/reachability";
import { cidrContains } from "../../shared/cidr";

const LAUNCH = "aws:autoscaling:launchconfiguration";
const HTTPS = 443;
const stacks = synthProject();
const appStacks = Object.keys(stacks).filter((name) => name.startsWith("app-"));

/** The parts of a stack the claims are about, found from what the resources say, not from construct names. */
function topology(stack: SynthesizedStack) {
  const graph = buildNetworkGraph(stack);
  const environment = onlyResource(stack, "aws_elastic_beanstalk_environment");
  const refs = (value: string) => referencesIn(value).map(({ type, name }) => `${type}.${name}`);
  const instances: Party = {
    kind: "group",
    securityGroup: refs(ebSetting(environment, LAUNCH, "SecurityGroups"))[0],
    subnets: refs(ebSetting(environment, "aws:ec2:vpc", "Subnets")),
  };
  const alb = onlyResource(stack, "aws_lb");
  const loadBalancer: Party = {
    kind: "group",
    securityGroup: refs((alb.security_groups as string[]).join(","))[0],
    subnets: refs((alb.subnets as string[]).join(",")),
  };
  const s3 = [...graph.gatewayEndpoints.entries()].filter(([, e]) => e.service.endsWith(".s3"));
  if (s3.length !== 1) throw new Error("expected one S3 gateway endpoint");
  const s3PrefixList = s3[0][0];
  const endpointGroups = [
    ...new Set([...graph.interfaceEndpoints.values()].flatMap((e) => e.securityGroups)),
  ];
  const listenerPorts = Object.values(resourcesOf(stack, "aws_lb_listener")).map((l) => Number(l.port));
  return { graph, environment, instances, loadBalancer, s3PrefixList, endpointGroups, listenerPorts };
}

function endpointParty(graph: NetworkGraph, securityGroup: string): Party {
  const subnets = [...graph.interfaceEndpoints.values()]
    .filter((e) => e.securityGroups.includes(securityGroup))
    .flatMap((e) => e.subnets);
  return { kind: "group", securityGroup, subnets: [...new Set(subnets)] };
}

describe.each(appStacks)("reachability of %s", (stackName) => {
  const stack = stacks[stackName];
  const t = topology(stack);

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
    // EB would otherwise attach its own instance security group (egress 0.0.0.0/0) that no synthesized
    // resource shows. https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/command-options-general.html
    expect(ebSetting(t.environment, LAUNCH, "DisableDefaultEC2SecurityGroup")).toBe("true");
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
    const port = Number(ebSetting(t.environment, "aws:elasticbeanstalk:environment:process:default", "Port"));
    expect(connection(t.graph, t.loadBalancer, t.instances, port, ALB_EPHEMERAL)).toEqual({
      allowed: true,
      blockedBy: [],
    });
  });

  test("nothing on the instance side gets a public IP address", () => {
    if (t.instances.kind !== "group") throw new Error("instances are a group");
    for (const subnet of t.instances.subnets) expect(t.graph.subnets.get(subnet)!.mapPublicIp).toBe(false);
    const publicIp = ebSettings(t.environment).filter((s) => s.name === "AssociatePublicIpAddress");
    expect(publicIp.map((s) => s.value)).not.toContain("true");
    expect(Object.keys(resourcesOf(stack, "aws_eip"))).toEqual([]);
    expect(Object.keys(resourcesOf(stack, "aws_instance"))).toEqual([]);
  });
});
