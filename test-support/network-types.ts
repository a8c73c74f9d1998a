/** The parts of a network graph (test-support/network-graph.ts builds it from a synthesized stack). */

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
