import { Construct } from "constructs";
import { Fn } from "cdktf";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { DefaultRouteTable } from "@cdktf/provider-aws/lib/default-route-table";
import { DefaultNetworkAcl } from "@cdktf/provider-aws/lib/default-network-acl";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { NetworkAcl, NetworkAclEgress, NetworkAclIngress } from "@cdktf/provider-aws/lib/network-acl";
import { DataAwsAvailabilityZones } from "@cdktf/provider-aws/lib/data-aws-availability-zones";
import { parseIpv4Cidr } from "../../shared/cidr";
import { EncryptionKey } from "../storage/encryption-key";
import { addFlowLogs } from "./flow-logs";

/** Ephemeral (client-side) TCP ports: Linux uses 32768-60999, ELB and other OSes start as low as 1024. */
export const EPHEMERAL_PORTS = { from: 1024, to: 65535 } as const;

/** Client ports of the instances' own connections: the Linux range (32768-60999) with head-room to 65535.
 * Narrower than EPHEMERAL_PORTS so the one rule open to any source never covers 22, 3389 or other services. */
export const INSTANCE_CLIENT_PORTS = { from: 32768, to: 65535 } as const;
const ANYWHERE = "0.0.0.0/0";
const TCP = "6";

/** The two tiers of subnets: the load balancer's and the instances'. */
type Tier = "public" | "instance";

/** Subnet CIDRs of each tier, one per AZ in AZ order. */
export interface SubnetCidrs {
  readonly public: string[];
  readonly instance: string[];
}

/** The subnets of both tiers and the instance tier's route tables, in AZ order. */
interface Tiers {
  readonly publicSubnets: Subnet[];
  readonly instanceSubnets: Subnet[];
  readonly instanceRouteTables: RouteTable[];
}

/**
 * Carves the VPC CIDR into eight equal blocks (3 more prefix bits): blocks 0-2 hold the public subnets, blocks
 * 4-6 the instance subnets, 3 and 7 stay free for growth. A /16 gives /19 subnets (8,190 usable addresses),
 * a /24 gives /27 (27 usable), the smallest an ALB accepts. Literal strings, so tests can read them.
 */
export function carveSubnetCidrs(vpcCidr: string, azCount: number): SubnetCidrs {
  const vpc = parseIpv4Cidr(vpcCidr);
  if (!vpc) throw new Error(`vpcCidr: "${vpcCidr}" is not a valid IPv4 CIDR`);
  if (azCount < 1 || azCount > 4) throw new Error(`azCount: ${azCount} must be between 1 and 4`);
  const prefix = vpc.prefix + 3;
  const size = 2 ** (32 - prefix);
  const block = (index: number) => {
    const start = vpc.network + index * size;
    const octets = [24, 16, 8, 0].map((shift) => Math.floor(start / 2 ** shift) % 256);
    return `${octets.join(".")}/${prefix}`;
  };
  const azs = [...Array(azCount).keys()];
  return { public: azs.map((az) => block(az)), instance: azs.map((az) => block(4 + az)) };
}

export interface NetworkProps {
  /** Prefix of resource names, e.g. `imageshare-dev`. */
  readonly namePrefix: string;
  /** Region of the VPC (flow-log key policy and ARNs). */
  readonly region: string;
  /** Account that owns the VPC (a token is fine). */
  readonly accountId: string;
  /** IPv4 CIDR of the VPC, /16 to /24. */
  readonly vpcCidr: string;
  /** Number of availability zones, each with one public and one instance subnet. */
  readonly azCount: number;
  /** CIDRs allowed to reach the load balancer on 80/443 (public NACL). */
  readonly allowedIngressCidrs: readonly string[];
  /** Retention of the flow-log group, in days (a CloudWatch Logs retention value). */
  readonly logRetentionDays: number;
  /** Port the instances listen on for the load balancer (EB's nginx). @default 80 */
  readonly appPort?: number;
  /** Role allowed to administer the flow-log key. @default no extra administrator */
  readonly keyAdministratorRoleArn?: string;
}

/**
 * The VPC: public subnets (load balancer only) routed to an internet gateway, and isolated instance subnets whose
 * route tables have no default route at all (AWS services are reached through VPC endpoints). Default SG, route
 * table and NACL are taken over and emptied; stateless NACLs per tier; flow logs of all traffic to a KMS-encrypted
 * log group.
 */
export class Network extends Construct {
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly publicSubnetIds: string[];
  readonly instanceSubnetIds: string[];
  readonly publicSubnetCidrs: string[];
  readonly instanceSubnetCidrs: string[];
  readonly instanceRouteTableIds: string[];
  readonly appPort: number;
  readonly flowLogGroupName: string;
  readonly flowLogKey: EncryptionKey;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    this.appPort = props.appPort ?? 80;
    const cidrs = carveSubnetCidrs(props.vpcCidr, props.azCount);
    this.vpcCidr = props.vpcCidr;
    this.publicSubnetCidrs = cidrs.public;
    this.instanceSubnetCidrs = cidrs.instance;

    const vpc = new Vpc(this, "vpc", {
      cidrBlock: props.vpcCidr,
      enableDnsSupport: true,
      // Private DNS of interface endpoints needs both DNS attributes.
      enableDnsHostnames: true,
      tags: { Name: props.namePrefix },
    });
    this.vpcId = vpc.id;

    this.lockDownDefaults(vpc);
    const tiers = this.createTiers(vpc, props.namePrefix, cidrs);
    this.publicSubnetIds = tiers.publicSubnets.map((s) => s.id);
    this.instanceSubnetIds = tiers.instanceSubnets.map((s) => s.id);
    this.instanceRouteTableIds = tiers.instanceRouteTables.map((t) => t.id);

    this.createNetworkAcls(vpc, props);

    const flowLogs = addFlowLogs(this, {
      namePrefix: props.namePrefix,
      region: props.region,
      accountId: props.accountId,
      vpcId: vpc.id,
      logRetentionDays: props.logRetentionDays,
      keyAdministratorRoleArn: props.keyAdministratorRoleArn,
    });
    this.flowLogGroupName = flowLogs.groupName;
    this.flowLogKey = flowLogs.key;
  }

  /**
   * The two tiers, one subnet of each per AZ: public subnets routed to an internet gateway, instance subnets on
   * route tables of their own with no route at all.
   */
  private createTiers(vpc: Vpc, namePrefix: string, cidrs: SubnetCidrs): Tiers {
    const zones = new DataAwsAvailabilityZones(this, "zones", {
      state: "available",
      filter: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
    });
    const zoneName = (az: number) => Fn.element(zones.names, az);

    const internetGateway = new InternetGateway(this, "internet-gateway", {
      vpcId: vpc.id,
      tags: { Name: `${namePrefix}-public` },
    });
    const publicRouteTable = new RouteTable(this, "public-route-table", {
      vpcId: vpc.id,
      // Inline routes only: Terraform then owns the whole table and removes any route added out of band.
      route: [{ cidrBlock: ANYWHERE, gatewayId: internetGateway.id }],
      tags: { Name: `${namePrefix}-public` },
    });

    // Explicit associations for every subnet: none is ever left on the main route table.
    const subnetInAz = (tier: Tier, az: number, cidrBlock: string, routeTable: RouteTable) => {
      const subnet = new Subnet(this, `${tier}-subnet-${az}`, {
        vpcId: vpc.id,
        cidrBlock,
        availabilityZone: zoneName(az),
        // The ALB gets its own addresses; nothing launched in either tier gets a public IP by accident.
        mapPublicIpOnLaunch: false,
        tags: { Name: `${namePrefix}-${tier}-${az}`, Tier: tier },
      });
      new RouteTableAssociation(this, `${tier}-route-table-association-${az}`, {
        subnetId: subnet.id,
        routeTableId: routeTable.id,
      });
      return subnet;
    };
    const publicSubnets = cidrs.public.map((cidr, az) => subnetInAz("public", az, cidr, publicRouteTable));

    // One table per AZ, empty: the local route is implicit and the S3 gateway endpoint adds its prefix-list route
    // (the provider ignores endpoint routes). `route: []` makes Terraform delete any other route.
    const instanceRouteTables = cidrs.instance.map(
      (_, az) =>
        new RouteTable(this, `instance-route-table-${az}`, {
          vpcId: vpc.id,
          route: [],
          tags: { Name: `${namePrefix}-instance-${az}`, Tier: "instance" },
        }),
    );
    const instanceSubnets = cidrs.instance.map((cidr, az) =>
      subnetInAz("instance", az, cidr, instanceRouteTables[az]),
    );
    return { publicSubnets, instanceSubnets, instanceRouteTables };
  }

  /**
   * Takes over the VPC's default security group, main route table and default NACL and leaves them empty, so that
   * anything that falls back to them (an ENI without a security group, a subnet without an association) gets no
   * traffic and no route rather than AWS's permissive defaults.
   */
  private lockDownDefaults(vpc: Vpc): void {
    new DefaultSecurityGroup(this, "default-security-group", {
      vpcId: vpc.id,
      ingress: [],
      egress: [],
      tags: { Name: "unused-default-deny-all" },
    });
    new DefaultRouteTable(this, "main-route-table", {
      defaultRouteTableId: vpc.defaultRouteTableId,
      route: [],
      tags: { Name: "unused-main-no-routes" },
    });
    new DefaultNetworkAcl(this, "default-network-acl", {
      defaultNetworkAclId: vpc.defaultNetworkAclId,
      ingress: [],
      egress: [],
      tags: { Name: "unused-default-deny-all" },
      // Subnets are associated with the NACLs below; the provider moves a subnet back here only when its
      // explicit NACL is deleted, and then it gets no traffic.
      lifecycle: { ignoreChanges: ["subnet_ids"] },
    });
  }

  /**
   * Stateless rules, so every allowed flow needs its return path. Rule numbers: 100s inbound service ports,
   * 200s endpoint traffic, 300s return traffic, 10 apart per CIDR.
   */
  private createNetworkAcls(vpc: Vpc, props: NetworkProps): void {
    const tcp = (rule: number, cidr: string, from: number, to = from) => ({
      ruleNo: rule,
      action: "allow",
      protocol: TCP,
      cidrBlock: cidr,
      fromPort: from,
      toPort: to,
    });
    const each = (base: number, list: readonly string[], from: number, to = from) =>
      list.map((cidr, i) => tcp(base + i * 10, cidr, from, to));
    const { from: ephemeralFrom, to: ephemeralTo } = EPHEMERAL_PORTS;
    const acl = (tier: Tier, subnetIds: string[], ingress: NetworkAclIngress[], egress: NetworkAclEgress[]) =>
      new NetworkAcl(this, `${tier}-network-acl`, {
        vpcId: vpc.id,
        subnetIds,
        ingress,
        egress,
        tags: { Name: `${props.namePrefix}-${tier}` },
      });

    const publicIngress: NetworkAclIngress[] = [
      ...each(100, props.allowedIngressCidrs, 80),
      ...each(150, props.allowedIngressCidrs, 443),
      // The load balancer's connections to the instances come back from the instance subnets.
      ...each(300, this.instanceSubnetCidrs, ephemeralFrom, ephemeralTo),
    ];
    const publicEgress: NetworkAclEgress[] = [
      ...each(100, this.instanceSubnetCidrs, this.appPort),
      // Responses to clients.
      ...each(300, props.allowedIngressCidrs, ephemeralFrom, ephemeralTo),
    ];
    acl("public", this.publicSubnetIds, publicIngress, publicEgress);

    const instanceIngress: NetworkAclIngress[] = [
      ...each(100, this.publicSubnetCidrs, this.appPort),
      // Interface endpoint ENIs live in the instance subnets: calls from instances in another AZ arrive here.
      ...each(200, this.instanceSubnetCidrs, 443),
      // Replies to the instances' own HTTPS calls. S3 answers through the gateway endpoint from its public
      // addresses, which a NACL cannot name (no prefix lists in NACLs, and the ranges change), so the source is
      // any address, TCP ephemeral ports only. The route table (no default route) and the security groups do
      // the narrowing: nothing outside the VPC but S3 can reach these subnets at all.
      tcp(300, ANYWHERE, INSTANCE_CLIENT_PORTS.from, INSTANCE_CLIENT_PORTS.to),
    ];
    const instanceEgress: NetworkAclEgress[] = [
      // HTTPS to the interface endpoints (VPC addresses) and to S3 through the gateway endpoint (public S3
      // addresses: same reason as rule 300 inbound). Routing only lets the S3 part leave the VPC.
      tcp(200, ANYWHERE, 443),
      // Responses to the load balancer and, from the endpoint ENIs, to instances in other AZs.
      ...each(300, this.publicSubnetCidrs, ephemeralFrom, ephemeralTo),
      ...each(400, this.instanceSubnetCidrs, ephemeralFrom, ephemeralTo),
    ];
    acl("instance", this.instanceSubnetIds, instanceIngress, instanceEgress);
  }
}
