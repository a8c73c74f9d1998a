/**
 * The estimators of the types with a fixed monthly price (shared/cost/estimate.ts applies them): how each is
 * counted from the synthesized resource and which price-table entry it takes. The computes' own are in
 * shared/cost/compute-costs.ts.
 */
import { Estimator, albItems, countList, item, priceOf } from "./estimate-core";
import { COMPUTE_ESTIMATORS } from "./compute-costs";

/** An estimator for a type billed once per resource at a flat monthly price. */
function onePerResource(priceKey: string, description: string): Estimator {
  return (address, _r, ctx) => {
    const p = priceOf(ctx, priceKey);
    return [item(address, description, 1, p.unit, p.price)];
  };
}

/** Types with a fixed monthly price, and how to count them. */
export const ESTIMATORS: Record<string, Estimator> = {
  aws_vpc_endpoint: (address, r, ctx) => {
    const type = (r.vpc_endpoint_type as string | undefined) ?? "Gateway";
    if (type === "Gateway") return []; // S3 and DynamoDB gateway endpoints are free
    if (type !== "Interface")
      throw new Error(`${address}: no price for a ${type} endpoint in shared/cost/estimate.ts`);
    const azs = countList(address, "subnet_ids", r.subnet_ids);
    const p = priceOf(ctx, "vpc.interfaceEndpoint.hour");
    const service = String(r.service_name).split(".").slice(3).join(".") || String(r.service_name);
    return [
      item(
        address,
        `interface endpoint ${service}: ${azs} AZ × ${ctx.hours} h`,
        azs * ctx.hours,
        p.unit,
        p.price,
      ),
    ];
  },
  aws_lb: (address, r, ctx) => {
    const type = (r.load_balancer_type as string | undefined) ?? "application";
    if (type !== "application")
      throw new Error(`${address}: no price for a ${type} load balancer in shared/cost/estimate.ts`);
    const azs = r.subnet_mapping
      ? countList(address, "subnet_mapping", r.subnet_mapping)
      : countList(address, "subnets", r.subnets);
    return albItems(address, r.internal === true ? 0 : azs, "ALB", ctx);
  },
  aws_kms_key: onePerResource("kms.key.month", "KMS customer managed key"),
  aws_wafv2_web_acl: (address, r, ctx) => {
    const rules = Array.isArray(r.rule) ? r.rule.length : 0;
    const acl = priceOf(ctx, "waf.webAcl.month");
    const rule = priceOf(ctx, "waf.rule.month");
    return [
      item(address, "WAF web ACL", 1, acl.unit, acl.price),
      item(address, `WAF rules (${rules} in the ACL)`, rules, rule.unit, rule.price),
    ];
  },
  aws_route53_zone: onePerResource("route53.hostedZone.month", "Route 53 hosted zone"),
  aws_route53_health_check: onePerResource("route53.healthCheck.month", "Route 53 health check"),
  aws_cloudwatch_metric_alarm: (address, r, ctx) => {
    // Billed per metric the alarm reads: a metric-math alarm over three metrics is three alarm metrics
    // (https://aws.amazon.com/cloudwatch/pricing/, alarms).
    const queries = Array.isArray(r.metric_query) ? (r.metric_query as Record<string, unknown>[]) : [];
    const metrics = queries.length > 0 ? queries.filter((q) => q.metric !== undefined).length : 1;
    const p = priceOf(ctx, "cloudwatch.alarm.month");
    const what = metrics > 1 ? `CloudWatch metric-math alarm (${metrics} metrics)` : "CloudWatch alarm";
    return [item(address, what, metrics, p.unit, p.price)];
  },
  aws_cloudwatch_dashboard: onePerResource("cloudwatch.dashboard.month", "CloudWatch dashboard"),
  aws_cloudwatch_log_metric_filter: (address, r, ctx) => {
    const transformations = Array.isArray(r.metric_transformation) ? r.metric_transformation.length : 1;
    const p = priceOf(ctx, "cloudwatch.metric.month");
    return [
      item(
        address,
        "custom metric from a log filter (billed while it has data)",
        transformations,
        p.unit,
        p.price,
      ),
    ];
  },
  aws_secretsmanager_secret: onePerResource("secretsmanager.secret.month", "Secrets Manager secret"),
  aws_nat_gateway: (address, r, ctx) => {
    const nat = priceOf(ctx, "vpc.natGateway.hour");
    const items = [item(address, "NAT gateway hours", ctx.hours, nat.unit, nat.price)];
    if (r.connectivity_type !== "private") {
      const ipv4 = priceOf(ctx, "vpc.publicIpv4.hour");
      items.push(item(address, "NAT gateway public IPv4", ctx.hours, ipv4.unit, ipv4.price));
    }
    return items;
  },
  aws_eip: (address, _r, ctx) => {
    const ipv4 = priceOf(ctx, "vpc.publicIpv4.hour");
    return [item(address, "Elastic IP (public IPv4)", ctx.hours, ipv4.unit, ipv4.price)];
  },
  ...COMPUTE_ESTIMATORS,
};
