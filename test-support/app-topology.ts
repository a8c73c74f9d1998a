/**
 * The parts of an app stack the reachability claims are about, found from what the resources say and where the
 * compute is from the seam (shared/synthesized/compute.ts: it throws for a compute the checks do not know).
 */
import { SynthesizedCompute, appComputeOf, referencesIn } from "../shared/synthesized";
import { NetworkGraph, Party, buildNetworkGraph } from "./reachability";
import { SynthesizedStack, onlyResource, resourcesOf } from "./synth";

export interface AppTopology {
  readonly graph: NetworkGraph;
  readonly compute: SynthesizedCompute;
  /** The machines that run the app: the compute's security group in the compute's subnets. */
  readonly instances: Party;
  readonly loadBalancer: Party;
  /** Prefix list of the S3 gateway endpoint. */
  readonly s3PrefixList: string;
  /** Security groups of the interface endpoints. */
  readonly endpointGroups: string[];
  readonly listenerPorts: number[];
}

/** The compute as a party of the graph. */
export function computeParty(compute: SynthesizedCompute): Party {
  if (compute.securityGroups.length !== 1) throw new Error("expected one security group on the compute");
  return {
    kind: "group",
    securityGroup: `aws_security_group.${compute.securityGroups[0]}`,
    subnets: compute.subnets.map((name) => `aws_subnet.${name}`),
  };
}

export function appTopology(stack: SynthesizedStack): AppTopology {
  const graph = buildNetworkGraph(stack);
  const compute = appComputeOf(stack);
  const refs = (value: string) => referencesIn(value).map(({ type, name }) => `${type}.${name}`);
  const alb = onlyResource(stack, "aws_lb");
  const loadBalancer: Party = {
    kind: "group",
    securityGroup: refs((alb.security_groups as string[]).join(","))[0],
    subnets: refs((alb.subnets as string[]).join(",")),
  };
  const s3 = [...graph.gatewayEndpoints.entries()].filter(([, e]) => e.service.endsWith(".s3"));
  if (s3.length !== 1) throw new Error("expected one S3 gateway endpoint");
  const endpointGroups = [
    ...new Set([...graph.interfaceEndpoints.values()].flatMap((e) => e.securityGroups)),
  ];
  const listenerPorts = Object.values(resourcesOf(stack, "aws_lb_listener")).map((l) => Number(l.port));
  return {
    graph,
    compute,
    instances: computeParty(compute),
    loadBalancer,
    s3PrefixList: s3[0][0],
    endpointGroups,
    listenerPorts,
  };
}
