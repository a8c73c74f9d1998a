import { Construct } from "constructs";
import { Lazy } from "cdktf";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { EndpointPlacement } from "../../shared/types";
import { PolicyStatement, policyJson } from "../policies/document";
import { InterfaceEndpointSpec, gatewayBucketStatement } from "../policies/vpc-endpoints";
import { allowTcp } from "./security-group-rules";

export interface EndpointsProps {
  /** Prefix of resource names, e.g. `imageshare-dev`. */
  readonly namePrefix: string;
  /** Region of the VPC; service names depend on it. */
  readonly region: string;
  /** Account whose principals `allowBucketAccess` admits (a token is fine). */
  readonly accountId: string;
  /** VPC of the endpoints. */
  readonly vpcId: string;
  /** Instance subnets, one per AZ, in AZ order; interface endpoints go into all or the first. */
  readonly instanceSubnetIds: readonly string[];
  /** CIDRs of the instance subnets: the only sources allowed to reach the interface endpoints. */
  readonly instanceSubnetCidrs: readonly string[];
  /** Route tables of the instance subnets; the S3 gateway endpoint adds its route to each. */
  readonly instanceRouteTableIds: readonly string[];
  /** Interface endpoints in every AZ or in the first AZ only. @default "all-azs" */
  readonly placement?: EndpointPlacement;
  /**
   * Statements the S3 gateway endpoint's policy starts with (the compute's endpoint needs);
   * `allowBucketAccess` adds to them.
   */
  readonly gatewayStatements: readonly PolicyStatement[];
  /** The interface endpoints and their policies (the compute's endpoint needs). */
  readonly interfaceEndpoints: readonly InterfaceEndpointSpec[];
}

/**
 * The VPC endpoints of isolated instances: an S3 gateway endpoint on the instance route tables and interface
 * endpoints (private DNS) behind one security group that admits HTTPS from the instance subnets only. The caller
 * passes the policies (its compute's endpoint needs, constructs/compute/<kind>/endpoints.ts); this construct only
 * places and secures the endpoints.
 */
export class Endpoints extends Construct {
  readonly s3GatewayEndpointId: string;
  /** Prefix list of S3 in this region (for security-group egress rules of the instances). */
  readonly s3PrefixListId: string;
  readonly endpointSecurityGroupId: string;
  /** Interface endpoints by service suffix (`elasticbeanstalk`, `logs`...). */
  readonly interfaceEndpoints: Record<string, VpcEndpoint> = {};
  private readonly s3Statements: PolicyStatement[];
  private readonly accountId: string;

  constructor(scope: Construct, id: string, props: EndpointsProps) {
    super(scope, id);
    const { region } = props;
    this.accountId = props.accountId;

    this.s3Statements = [...props.gatewayStatements];
    const s3 = new VpcEndpoint(this, "s3-gateway", {
      vpcId: props.vpcId,
      serviceName: `com.amazonaws.${region}.s3`,
      // Gateway, not interface: dnf reaches the AL2023 repos through s3.dualstack names that the interface
      // endpoint's private DNS does not cover; the gateway endpoint is also free.
      vpcEndpointType: "Gateway",
      routeTableIds: [...props.instanceRouteTableIds],
      policy: Lazy.stringValue({ produce: () => policyJson(this.s3Statements) }),
      tags: { Name: `${props.namePrefix}-s3` },
    });
    this.s3GatewayEndpointId = s3.id;
    this.s3PrefixListId = s3.prefixListId;

    const securityGroup = new SecurityGroup(this, "endpoint-security-group", {
      vpcId: props.vpcId,
      name: `${props.namePrefix}-vpc-endpoints`,
      description: "Interface VPC endpoints: HTTPS from the instance subnets only",
      // Endpoints answer; they never open connections, so no egress rule at all (Terraform removes AWS's default).
      egress: [],
      tags: { Name: `${props.namePrefix}-vpc-endpoints` },
    });
    this.endpointSecurityGroupId = securityGroup.id;
    props.instanceSubnetCidrs.forEach((cidr, az) => {
      allowTcp(this, `endpoint-https-from-instance-subnet-${az}`, {
        securityGroupId: securityGroup.id,
        direction: "ingress",
        port: 443,
        peer: { cidrIpv4: cidr },
        description: `HTTPS from instance subnet ${az}`,
      });
    });

    const placement = props.placement ?? "all-azs";
    const subnetIds =
      placement === "single-az" ? props.instanceSubnetIds.slice(0, 1) : [...props.instanceSubnetIds];
    for (const spec of props.interfaceEndpoints) {
      this.interfaceEndpoints[spec.service] = new VpcEndpoint(this, spec.service, {
        vpcId: props.vpcId,
        serviceName: `com.amazonaws.${region}.${spec.service}`,
        vpcEndpointType: "Interface",
        // EB requires private DNS: the instances call the services' public names and must land on the ENIs.
        privateDnsEnabled: true,
        subnetIds,
        securityGroupIds: [securityGroup.id],
        policy: spec.statements ? policyJson(spec.statements) : undefined,
        tags: { Name: `${props.namePrefix}-${spec.service}` },
      });
    }
  }

  /**
   * Lets this account's principals use a bucket through the S3 gateway endpoint (the app's artifact and images
   * buckets). Object actions go to `bucketArn/*`, `s3:ListBucket` (and other bucket-level actions) to the bucket.
   */
  allowBucketAccess(sid: string, bucketArn: string, actions: string[]): void {
    this.s3Statements.push(gatewayBucketStatement(sid, bucketArn, actions, this.accountId));
  }
}
