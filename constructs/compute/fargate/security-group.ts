import { Construct } from "constructs";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { allowTcp } from "../../network/security-group-rules";

/** The network the tasks run in (the seam's foundation network). */
export interface FargateNetwork {
  readonly vpcId: string;
  /** Subnets without a route to the internet: the tasks' ENIs go here. */
  readonly instanceSubnetIds: string[];
  /** Security group of the interface endpoints. */
  readonly endpointSecurityGroupId: string;
  /** Managed prefix list of S3 (gateway endpoint destinations). */
  readonly s3PrefixListId: string;
}

/**
 * The tasks' security group (awsvpc: each task's ENI carries it): in from the shared ALB on the app port only; out
 * to the interface endpoints (ECR, Logs) and to S3 through the gateway (image layers, the app's images) on 443 only.
 * No inline rules: Terraform removes AWS's default allow-all egress, and each rule is its own resource.
 */
export function taskSecurityGroup(
  scope: Construct,
  id: string,
  namePrefix: string,
  network: FargateNetwork,
  appPort: number,
  loadBalancerSecurityGroupId?: string,
): string {
  const group = new SecurityGroup(scope, id, {
    name: `${namePrefix}-ecs-tasks`,
    description: "ECS tasks: in from the ALB only, out to VPC endpoints and S3 only",
    vpcId: network.vpcId,
  });
  if (loadBalancerSecurityGroupId) {
    allowTcp(scope, "in-from-alb", {
      securityGroupId: group.id,
      direction: "ingress",
      port: appPort,
      peer: { referencedSecurityGroupId: loadBalancerSecurityGroupId },
      description: `HTTP from the shared ALB to the app on port ${appPort}`,
    });
  }
  allowTcp(scope, "out-to-endpoints", {
    securityGroupId: group.id,
    direction: "egress",
    port: 443,
    peer: { referencedSecurityGroupId: network.endpointSecurityGroupId },
    description: "HTTPS to the interface VPC endpoints (ECR, CloudWatch Logs)",
  });
  allowTcp(scope, "out-to-s3", {
    securityGroupId: group.id,
    direction: "egress",
    port: 443,
    peer: { prefixListId: network.s3PrefixListId },
    description: "HTTPS to S3 through the gateway endpoint (image layers, the app's images)",
  });
  return group.id;
}
