import { Construct } from "constructs";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";

/** The other side of a rule: an IPv4 CIDR, another security group, or a managed prefix list. */
export type RulePeer =
  | { readonly cidrIpv4: string }
  | { readonly referencedSecurityGroupId: string }
  | { readonly prefixListId: string };

/** One TCP port of one security group, to or from one peer. */
export interface TcpRule {
  /** The group the rule belongs to. */
  readonly securityGroupId: string;
  /** Inbound or outbound. */
  readonly direction: "ingress" | "egress";
  /** The only port the rule opens. */
  readonly port: number;
  /** Who is on the other side. */
  readonly peer: RulePeer;
  /** What the rule is for; every rule has one, so reviewers and scanners can tell them apart. */
  readonly description: string;
}

/**
 * Adds one single-port TCP rule to `scope` as a resource of its own (the security groups have no inline rules, so
 * Terraform removes AWS's default allow-all egress and each rule keeps its own address).
 */
export function allowTcp(
  scope: Construct,
  id: string,
  rule: TcpRule,
): VpcSecurityGroupIngressRule | VpcSecurityGroupEgressRule {
  const config = {
    securityGroupId: rule.securityGroupId,
    description: rule.description,
    ipProtocol: "tcp",
    fromPort: rule.port,
    toPort: rule.port,
    ...rule.peer,
  };
  return rule.direction === "ingress"
    ? new VpcSecurityGroupIngressRule(scope, id, config)
    : new VpcSecurityGroupEgressRule(scope, id, config);
}
