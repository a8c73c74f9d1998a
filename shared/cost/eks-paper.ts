/**
 * EKS on paper: what the same app would cost on a private Amazon EKS cluster, priced from the same table and the
 * same shared parts as a built stack of the same profile. Nothing here is deployed; docs/variants.md says why.
 *
 * The cluster: control plane (standard support), a managed node group of Graviton nodes, and the interface
 * endpoints a cluster with no internet route needs. The load balancer, storage and operations lines are the built
 * stack's own (the ALB, buckets, keys, alarms and dashboard stay as they are); so is the usage model.
 */
import { CostGroup, ComputeComparison, compareStack, fixedByGroup } from "./compare";
import { StackCost, round } from "./estimate";
import { RegionPrices } from "./price-table";

/**
 * Interface endpoints of a private cluster running this app, from the EKS user guide, "Deploy private clusters
 * with limited internet access" (docs.aws.amazon.com/eks/latest/userguide/private-clusters.html), keeping those
 * this app would use. S3 stays the free gateway endpoint (image layers and the app's bucket).
 */
export const EKS_PRIVATE_ENDPOINTS: readonly { service: string; why: string }[] = [
  { service: "ec2", why: "nodes and the VPC CNI plugin (network interfaces and pod addresses)" },
  { service: "ecr.api", why: "image manifests and the pull token" },
  { service: "ecr.dkr", why: "image pulls (layers come from S3 through the gateway)" },
  { service: "sts", why: "IAM roles for service accounts: the app's pod assumes its S3 role" },
  { service: "logs", why: "container logs to CloudWatch Logs (the upload-failure metric reads them)" },
  {
    service: "elasticloadbalancing",
    why: "the AWS Load Balancer Controller registers pods in the ALB's target group",
  },
];

/** The node group the estimate assumes (an assumption, stated in docs/variants.md). */
export const EKS_NODES = {
  instanceType: "t4g.small",
  /** CoreDNS runs two replicas spread over nodes; and one node per AZ the ALB serves. */
  minimum: 2,
  /** Managed node groups' default disk (EKS API CreateNodegroup `diskSize`: 20 GiB), gp3. */
  diskGb: 20,
  volumeType: "gp3",
} as const;

/** AZs of one kind of line of the built stack: the line's quantity ÷ hours (one unit per AZ and hour). */
function azsOf(base: StackCost, hours: number, address: string, unit: string): number {
  const line = base.items.find((i) => i.address.startsWith(address) && i.unit === unit);
  if (!line) throw new Error(`${base.stack}: no ${address} line priced per ${unit}`);
  return Math.round(line.quantity / hours);
}

/** The EKS lines and the comparison row, on the shared parts of `base` (a built app stack of the same profile). */
export function eksOnPaper(
  base: StackCost,
  prices: RegionPrices,
  hours: number,
): { lines: { what: string; monthlyUsd: number }[]; comparison: ComputeComparison } {
  const azs = azsOf(base, hours, "aws_vpc_endpoint.", "endpoint-AZ-hour");
  const nodes = Math.max(EKS_NODES.minimum, azsOf(base, hours, "aws_lb.", "public IPv4 address-hour"));
  const node = prices.usd(`ec2.${EKS_NODES.instanceType}.hour`);
  const disk = prices.usd(`ebs.${EKS_NODES.volumeType}.gbMonth`);
  const endpoint = prices.usd("vpc.interfaceEndpoint.hour");
  const lines = [
    { what: "EKS control plane (standard support)", monthlyUsd: prices.usd("eks.cluster.hour") * hours },
    { what: `${nodes} × ${EKS_NODES.instanceType} nodes`, monthlyUsd: nodes * node * hours },
    {
      what: `${nodes} × ${EKS_NODES.diskGb} GiB ${EKS_NODES.volumeType} node disks`,
      monthlyUsd: nodes * EKS_NODES.diskGb * disk,
    },
    {
      what: `${EKS_PRIVATE_ENDPOINTS.length} interface endpoints × ${azs} AZ`,
      monthlyUsd: EKS_PRIVATE_ENDPOINTS.length * azs * endpoint * hours,
    },
  ].map((l) => ({ ...l, monthlyUsd: round(l.monthlyUsd) }));
  const shared = fixedByGroup(base);
  const groups: Record<CostGroup, number> = {
    ...shared,
    compute: round(lines[0].monthlyUsd + lines[1].monthlyUsd + lines[2].monthlyUsd),
    endpoints: lines[3].monthlyUsd,
  };
  const fixed = round(Object.values(groups).reduce((a, b) => a + b, 0));
  const row = compareStack(base, "eks");
  const scenarios = Object.fromEntries(
    Object.entries(row.scenarios).map(([name, total]) => [name, round(total - base.fixedMonthlyUsd + fixed)]),
  );
  return {
    lines,
    comparison: {
      ...row,
      stack: `${base.stack} on EKS (paper)`,
      fixedMonthlyUsd: fixed,
      fixedByGroup: groups,
      scenarios,
    },
  };
}
