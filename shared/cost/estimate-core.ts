/** What every estimator shares: a cost line, the defaults assumed, prices, and counting helpers. */
import { RegionPrices } from "./price-table";
import { Resource, SynthesizedStackFile, referencesIn } from "../synthesized";

/** One fixed monthly line. */
export interface CostItem {
  /** Terraform address, `type.name`. */
  readonly address: string;
  readonly description: string;
  readonly quantity: number;
  readonly unit: string;
  readonly unitPriceUsd: number;
  readonly monthlyUsd: number;
}

/** Defaults the estimate assumes when a setting is absent, with where they come from. */
export const DEFAULTS = {
  /** aws:autoscaling:asg MinSize default (EB option reference). */
  minInstances: 1,
  /**
   * Root volume when RootVolumeSize/Type are unset: EB keeps the platform AMI's root device, 8 GiB gp3 on the
   * Amazon Linux 2023 platforms ("Varies per platform": docs.aws.amazon.com/elasticbeanstalk/latest/dg/
   * command-options-general.html#command-options-general-autoscalinglaunchconfiguration).
   */
  rootVolumeGb: 8,
  rootVolumeType: "gp3",
  /** aws:ec2:instances InstanceTypes default when none is set. */
  instanceType: "t3.micro",
  /**
   * EB's default Auto Scaling trigger uses two CloudWatch alarms (NetworkOut high/low):
   * docs.aws.amazon.com/elasticbeanstalk/latest/dg/environments-cfg-autoscaling-triggers.html
   */
  scalingAlarms: 2,
  /** Assumed steady ALB load in LCUs (1 LCU = 25 new connections/s, 3,000 active/min or 1 GB/h): an assumption. */
  albBaselineLcu: 1,
} as const;

export interface EstimateContext {
  readonly prices: RegionPrices;
  readonly hours: number;
  readonly stack: SynthesizedStackFile;
}

export type Estimator = (address: string, resource: Resource, ctx: EstimateContext) => CostItem[];

export function item(
  address: string,
  description: string,
  quantity: number,
  unit: string,
  unitPriceUsd: number,
): CostItem {
  return { address, description, quantity, unit, unitPriceUsd, monthlyUsd: round(quantity * unitPriceUsd) };
}

export function round(usd: number): number {
  return Math.round(usd * 10000) / 10000;
}

/** Unit price and unit of one price-table entry (hourly, monthly or per GB: the entry says which). */
export function priceOf(ctx: EstimateContext, key: string): { price: number; unit: string } {
  return { price: ctx.prices.usd(key), unit: ctx.prices.entry(key).unit };
}

/** Length of a list attribute; a `${...}` token cannot be counted, so the estimate refuses to guess. */
export function countList(address: string, attribute: string, value: unknown): number {
  if (Array.isArray(value)) return value.length;
  throw new Error(
    `${address}.${attribute} is not a literal list (${JSON.stringify(value)}): cannot count it`,
  );
}

/** Subnets named in a comma list or in a `${join(",", [aws_subnet.a.id, ...])}` expression. */
export function countSubnets(value: string): number {
  const subnets = referencesIn(value).filter((r) => r.type === "aws_subnet" && r.attribute === "id");
  return subnets.length > 0 ? subnets.length : value.split(",").filter((s) => s.trim()).length;
}

export function albItems(
  address: string,
  publicAddresses: number,
  label: string,
  ctx: EstimateContext,
): CostItem[] {
  const alb = priceOf(ctx, "elb.alb.hour");
  const lcu = priceOf(ctx, "elb.alb.lcuHour");
  const ipv4 = priceOf(ctx, "vpc.publicIpv4.hour");
  const items = [
    item(address, `${label}: load balancer hours`, ctx.hours, alb.unit, alb.price),
    item(
      address,
      `${label}: baseline ${DEFAULTS.albBaselineLcu} LCU (assumption)`,
      DEFAULTS.albBaselineLcu * ctx.hours,
      lcu.unit,
      lcu.price,
    ),
  ];
  if (publicAddresses > 0) {
    items.push(
      item(
        address,
        `${label}: ${publicAddresses} public IPv4 (one per AZ) × ${ctx.hours} h`,
        publicAddresses * ctx.hours,
        ipv4.unit,
        ipv4.price,
      ),
    );
  }
  return items;
}
