/**
 * The estimator behind `make cost` (tools/cost.ts) and the app stacks' budget limit (stacks/budget-limit.ts): monthly
 * cost of a synthesized stack, from the resources in its cdk.tf.json and the versioned price table in
 * shared/cost/prices.json. It lives in shared/ because stacks may not import tools/ (eslint.config.mjs). Quantities come from the synthesized JSON only (AZ count = subnet_ids,
 * instances = Elastic Beanstalk MinSize, ...), so the estimate follows the configuration.
 *
 * Every resource type must be classified: priced (an estimator below), usage-priced (covered by the variable
 * model in shared/cost/usage-cost.ts), free, or known to cost money without a price here (fails). An unknown type fails
 * too, so a newly added resource cannot slip past the estimate.
 */
import { RegionPrices, PriceTable, loadPriceTable } from "./price-table";
import { Resource, SynthesizedStackFile, ebNamespace, referencesIn, resourcesOf } from "../synthesized";
import { ScenarioCost, VariableUnitCost, UsageFacts, scenarioCosts, variableUnitCosts } from "./usage-cost";

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

export interface StackCost {
  readonly stack: string;
  readonly region: string;
  readonly priceDate: string;
  readonly priceTableVersion: string;
  readonly currency: string;
  readonly fixedMonthlyUsd: number;
  readonly items: CostItem[];
  readonly variable: VariableUnitCost[];
  readonly scenarios: ScenarioCost[];
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

interface EstimateContext {
  readonly prices: RegionPrices;
  readonly hours: number;
  readonly stack: SynthesizedStackFile;
}

type Estimator = (address: string, resource: Resource, ctx: EstimateContext) => CostItem[];

function item(
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

/** Length of a list attribute; a `${...}` token cannot be counted, so the estimate refuses to guess. */
function countList(address: string, attribute: string, value: unknown): number {
  if (Array.isArray(value)) return value.length;
  throw new Error(
    `${address}.${attribute} is not a literal list (${JSON.stringify(value)}): cannot count it`,
  );
}

/** Subnets named in a comma list or in a `${join(",", [aws_subnet.a.id, ...])}` expression. */
function countSubnets(value: string): number {
  const subnets = referencesIn(value).filter((r) => r.type === "aws_subnet" && r.attribute === "id");
  return subnets.length > 0 ? subnets.length : value.split(",").filter((s) => s.trim()).length;
}

/** One option setting of an Elastic Beanstalk environment, or undefined when it is not set. */
function ebSetting(resource: Resource, namespace: string, name: string): string | undefined {
  return ebNamespace(resource, namespace)[name];
}

function ebInstances(resource: Resource): number {
  if (ebSetting(resource, "aws:elasticbeanstalk:environment", "EnvironmentType") === "SingleInstance")
    return 1;
  return Number(ebSetting(resource, "aws:autoscaling:asg", "MinSize") ?? DEFAULTS.minInstances);
}

/**
 * Environment-level metrics an environment's health ConfigDocument asks EB to publish, each a custom metric;
 * EnvironmentHealth is free ("Publishing Amazon CloudWatch custom metrics for an environment", EB guide). Instance-level
 * ones would be per instance: refused, as nothing here prices them.
 */
function ebHealthMetrics(resource: Resource): string[] {
  const document = ebSetting(resource, "aws:elasticbeanstalk:healthreporting:system", "ConfigDocument");
  if (document === undefined) return [];
  const metrics = (JSON.parse(document) as { CloudWatchMetrics?: Record<string, Record<string, number>> })
    .CloudWatchMetrics;
  if (metrics?.Instance && Object.keys(metrics.Instance).length > 0) {
    throw new Error(
      "instance-level EB health metrics are billed per instance: shared/cost/estimate.ts has no estimator",
    );
  }
  return Object.keys(metrics?.Environment ?? {}).filter((name) => name !== "EnvironmentHealth");
}

/** Unit price and unit of one price-table entry (hourly, monthly or per GB: the entry says which). */
function priceOf(ctx: EstimateContext, key: string): { price: number; unit: string } {
  return { price: ctx.prices.usd(key), unit: ctx.prices.entry(key).unit };
}

function albItems(address: string, publicAddresses: number, label: string, ctx: EstimateContext): CostItem[] {
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

/** An estimator for a type billed once per resource at a flat monthly price. */
function onePerResource(priceKey: string, description: string): Estimator {
  return (address, _r, ctx) => {
    const p = priceOf(ctx, priceKey);
    return [item(address, description, 1, p.unit, p.price)];
  };
}

/** Types with a fixed monthly price, and how to count them. */
const ESTIMATORS: Record<string, Estimator> = {
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
  aws_elastic_beanstalk_environment: (address, r, ctx) => {
    const instances = ebInstances(r);
    const instanceType = (
      ebSetting(r, "aws:ec2:instances", "InstanceTypes") ??
      ebSetting(r, "aws:autoscaling:launchconfiguration", "InstanceType") ??
      DEFAULTS.instanceType
    )
      .split(",")[0]
      .trim();
    const volumeGb = Number(
      ebSetting(r, "aws:autoscaling:launchconfiguration", "RootVolumeSize") ?? DEFAULTS.rootVolumeGb,
    );
    const volumeType =
      ebSetting(r, "aws:autoscaling:launchconfiguration", "RootVolumeType") ?? DEFAULTS.rootVolumeType;
    const ec2 = priceOf(ctx, `ec2.${instanceType}.hour`);
    const ebs = priceOf(ctx, `ebs.${volumeType}.gbMonth`);
    const items = [
      item(
        address,
        `EC2 ${instanceType} × ${instances} (MinSize) × ${ctx.hours} h`,
        instances * ctx.hours,
        ec2.unit,
        ec2.price,
      ),
      item(
        address,
        `EBS root volume ${volumeType} ${volumeGb} GiB × ${instances} instance(s)`,
        instances * volumeGb,
        ebs.unit,
        ebs.price,
      ),
    ];
    const healthMetrics = ebHealthMetrics(r);
    if (healthMetrics.length > 0) {
      const metric = priceOf(ctx, "cloudwatch.metric.month");
      items.push(
        item(
          address,
          `EB enhanced-health custom metrics (${healthMetrics.join(", ")})`,
          healthMetrics.length,
          metric.unit,
          metric.price,
        ),
      );
    }
    const singleInstance =
      ebSetting(r, "aws:elasticbeanstalk:environment", "EnvironmentType") === "SingleInstance";
    if (!singleInstance) {
      const alarm = priceOf(ctx, "cloudwatch.alarm.month");
      items.push(
        item(
          address,
          "EB scaling-trigger CloudWatch alarms",
          DEFAULTS.scalingAlarms,
          alarm.unit,
          alarm.price,
        ),
      );
      if (ebSetting(r, "aws:elasticbeanstalk:environment", "LoadBalancerIsShared") !== "true") {
        const lbType = ebSetting(r, "aws:elasticbeanstalk:environment", "LoadBalancerType") ?? "classic";
        if (lbType !== "application") {
          throw new Error(
            `${address}: EB would create a ${lbType} load balancer, which shared/cost/estimate.ts cannot price`,
          );
        }
        const subnets = countSubnets(ebSetting(r, "aws:ec2:vpc", "ELBSubnets") ?? "");
        items.push(...albItems(address, subnets, "EB-managed ALB", ctx));
      }
    }
    return items;
  },
};

/** The launch template an Auto Scaling group launches from (its `launch_template.id` reference). */
function launchTemplateOf(address: string, group: Resource, ctx: EstimateContext): Resource {
  const ref = referencesIn(group.launch_template).find((r) => r.type === "aws_launch_template");
  const template = ref ? resourcesOf(ctx.stack.json, "aws_launch_template")[ref.name] : undefined;
  if (!template) throw new Error(`${address}: no aws_launch_template of this stack in launch_template`);
  return template;
}

/**
 * An EC2 Auto Scaling group at its min_size: instance hours and gp3/gp2 root volumes from its launch template, and
 * with detailed monitoring the 7 EC2 metrics per instance billed as custom metrics ("Amazon CloudWatch pricing",
 * example: detailed monitoring bills the instance's metrics at the metric price).
 */
function autoscalingGroupItems(address: string, r: Resource, ctx: EstimateContext): CostItem[] {
  const instances = Number(r.min_size);
  const template = launchTemplateOf(address, r, ctx);
  const instanceType = String(template.instance_type);
  const ebs = (template.block_device_mappings as { ebs?: Record<string, unknown> }[] | undefined)?.[0]?.ebs;
  const volumeGb = Number(ebs?.volume_size ?? DEFAULTS.rootVolumeGb);
  const volumeType = String(ebs?.volume_type ?? DEFAULTS.rootVolumeType);
  const ec2 = priceOf(ctx, `ec2.${instanceType}.hour`);
  const disk = priceOf(ctx, `ebs.${volumeType}.gbMonth`);
  const items = [
    item(
      address,
      `EC2 ${instanceType} × ${instances} (min_size) × ${ctx.hours} h`,
      instances * ctx.hours,
      ec2.unit,
      ec2.price,
    ),
    item(
      address,
      `EBS root volume ${volumeType} ${volumeGb} GiB × ${instances} instance(s)`,
      instances * volumeGb,
      disk.unit,
      disk.price,
    ),
  ];
  if ((template.monitoring as { enabled?: boolean } | undefined)?.enabled) {
    const metric = priceOf(ctx, "cloudwatch.metric.month");
    items.push(
      item(
        address,
        `EC2 detailed monitoring: 7 metrics × ${instances} instance(s)`,
        7 * instances,
        metric.unit,
        metric.price,
      ),
    );
  }
  return items;
}

/** Target tracking creates and keeps two CloudWatch alarms (Auto Scaling user guide, "Target tracking scaling"). */
function targetTrackingItems(address: string, r: Resource, ctx: EstimateContext): CostItem[] {
  if (r.policy_type !== "TargetTrackingScaling") return [];
  const alarm = priceOf(ctx, "cloudwatch.alarm.month");
  return [item(address, "target-tracking CloudWatch alarms (high and low)", 2, alarm.unit, alarm.price)];
}

ESTIMATORS.aws_autoscaling_group = autoscalingGroupItems;
ESTIMATORS.aws_autoscaling_policy = targetTrackingItems;

/** Cost money only with use; the variable model (shared/cost/usage-cost.ts) prices that use. */
export const USAGE_PRICED_TYPES: ReadonlySet<string> = new Set([
  "aws_s3_bucket",
  "aws_s3_object",
  "aws_cloudwatch_log_group",
  "aws_flow_log",
  "aws_wafv2_web_acl_logging_configuration",
  "aws_elastic_beanstalk_application_version",
  "aws_dynamodb_table",
]);

/** Known to cost money but not priced here: adding one fails the estimate until an estimator exists. */
export const COSTLY_UNPRICED_TYPES: ReadonlySet<string> = new Set([
  "aws_instance",
  "aws_ebs_volume",
  "aws_db_instance",
  "aws_rds_cluster",
  "aws_rds_cluster_instance",
  "aws_elasticache_cluster",
  "aws_elasticache_replication_group",
  "aws_ec2_transit_gateway",
  "aws_ec2_transit_gateway_vpc_attachment",
  "aws_vpn_connection",
  "aws_vpn_gateway",
  "aws_dx_connection",
  "aws_networkfirewall_firewall",
  "aws_globalaccelerator_accelerator",
  "aws_cloudfront_distribution",
  "aws_shield_protection",
  "aws_efs_file_system",
  "aws_fsx_lustre_file_system",
  "aws_eks_cluster",
  "aws_eks_node_group",
  "aws_ecs_service",
  "aws_lambda_function",
  "aws_lambda_provisioned_concurrency_config",
  "aws_opensearch_domain",
  "aws_elasticsearch_domain",
  "aws_mq_broker",
  "aws_msk_cluster",
  "aws_redshift_cluster",
  "aws_sagemaker_endpoint",
  "aws_guardduty_detector",
  "aws_config_configuration_recorder",
  "aws_cloudtrail",
  "aws_sqs_queue",
  "aws_kinesis_stream",
  "aws_kinesis_firehose_delivery_stream",
  "aws_backup_plan",
  "aws_route53_resolver_endpoint",
  "aws_route53_query_log",
  "aws_acmpca_certificate_authority",
  "aws_ec2_client_vpn_endpoint",
  "aws_vpc_ipam",
]);

/** No charge of their own. */
export const FREE_TYPES: ReadonlySet<string> = new Set([
  "aws_vpc",
  "aws_subnet",
  "aws_internet_gateway",
  "aws_egress_only_internet_gateway",
  "aws_route",
  "aws_route_table",
  "aws_route_table_association",
  "aws_main_route_table_association",
  "aws_default_route_table",
  "aws_network_acl",
  "aws_network_acl_rule",
  "aws_network_acl_association",
  "aws_default_network_acl",
  "aws_default_security_group",
  "aws_security_group",
  "aws_security_group_rule",
  "aws_vpc_security_group_ingress_rule",
  "aws_vpc_security_group_egress_rule",
  "aws_vpc_dhcp_options",
  "aws_vpc_dhcp_options_association",
  "aws_vpc_endpoint_route_table_association",
  "aws_vpc_endpoint_subnet_association",
  "aws_vpc_endpoint_policy",
  "aws_iam_role",
  "aws_iam_policy",
  "aws_iam_role_policy",
  "aws_iam_role_policy_attachment",
  "aws_iam_instance_profile",
  "aws_iam_service_linked_role",
  "aws_iam_openid_connect_provider",
  "aws_kms_alias",
  "aws_kms_grant",
  "aws_s3_bucket_public_access_block",
  "aws_s3_account_public_access_block",
  "aws_s3_bucket_ownership_controls",
  "aws_s3_bucket_server_side_encryption_configuration",
  "aws_s3_bucket_versioning",
  "aws_s3_bucket_lifecycle_configuration",
  "aws_s3_bucket_logging",
  "aws_s3_bucket_policy",
  "aws_s3_bucket_acl",
  "aws_s3_bucket_cors_configuration",
  "aws_s3_bucket_notification",
  "aws_lb_listener",
  "aws_lb_listener_rule",
  "aws_lb_listener_certificate",
  "aws_lb_target_group",
  "aws_lb_target_group_attachment",
  "aws_wafv2_web_acl_association",
  "aws_acm_certificate",
  "aws_acm_certificate_validation",
  "aws_route53_record",
  "aws_elastic_beanstalk_application",
  "aws_elastic_beanstalk_configuration_template",
  "aws_launch_template",
  "aws_cloudwatch_log_resource_policy",
  "aws_ebs_encryption_by_default",
  "aws_ebs_default_kms_key",
  "aws_ec2_instance_metadata_defaults",
  "aws_dynamodb_resource_policy",
  // SNS has no fixed charge: publishes ($0.50 per million) and email deliveries (first 1,000 a month free, then
  // $2 per 100,000) at alarm volumes round to $0 (https://aws.amazon.com/sns/pricing/).
  "aws_sns_topic",
  "aws_sns_topic_policy",
  "aws_sns_topic_subscription",
  // A budget without actions has no charge; action-enabled budgets (aws_budgets_budget_action, unclassified here,
  // so it would fail) do after the first two (https://aws.amazon.com/aws-cost-management/aws-budgets/pricing/).
  "aws_budgets_budget",
]);

/** Fixed monthly items of one resource; throws for unpriced or unclassified types. */
function estimateResource(type: string, name: string, resource: Resource, ctx: EstimateContext): CostItem[] {
  const address = `${type}.${name}`;
  const estimator = ESTIMATORS[type];
  if (estimator) return estimator(address, resource, ctx);
  if (COSTLY_UNPRICED_TYPES.has(type)) {
    throw new Error(
      `${address}: ${type} costs money but tools/cost.ts has no price entry for it: add an estimator in shared/cost/estimate.ts`,
    );
  }
  if (type === "aws_dynamodb_table" && resource.billing_mode !== "PAY_PER_REQUEST") {
    throw new Error(
      `${address}: provisioned DynamoDB capacity has no price entry in shared/cost/estimate.ts`,
    );
  }
  if (USAGE_PRICED_TYPES.has(type) || FREE_TYPES.has(type)) return [];
  throw new Error(
    `${address}: resource type ${type} is not classified in shared/cost/estimate.ts: ` +
      `add it to FREE_TYPES, USAGE_PRICED_TYPES or give it an estimator`,
  );
}

/** The AWS provider region of a synthesized stack. */
export function stackRegion(stack: SynthesizedStackFile): string {
  const providers = (stack.json as { provider?: { aws?: { region?: string }[] } }).provider?.aws ?? [];
  const region = providers[0]?.region;
  if (!region) throw new Error(`${stack.name}: no aws provider region in the synthesized stack`);
  return region;
}

function resourcesOfType(stack: SynthesizedStackFile, type: string): Resource[] {
  return Object.values(resourcesOf(stack.json, type));
}

/** What the variable model needs to know about a stack, read from its resources. */
export function usageFacts(stack: SynthesizedStackFile): UsageFacts {
  const environments = resourcesOfType(stack, "aws_elastic_beanstalk_environment");
  const env = environments[0];
  const albs = resourcesOfType(stack, "aws_lb");
  const albAzs = albs.reduce((n, lb) => n + (Array.isArray(lb.subnets) ? lb.subnets.length : 0), 0);
  const kmsEncryption = resourcesOfType(stack, "aws_s3_bucket_server_side_encryption_configuration")
    .flatMap((c) => (c.rule ?? []) as Record<string, unknown>[])
    .filter((rule) => {
      const apply = (rule.apply_server_side_encryption_by_default ?? {}) as Record<string, unknown>;
      return apply.sse_algorithm === "aws:kms";
    });
  const retentions = resourcesOfType(stack, "aws_cloudwatch_log_group")
    .map((g) => Number(g.retention_in_days))
    .filter((d) => d > 0);
  const ebRetention = env
    ? ebSetting(env, "aws:elasticbeanstalk:cloudwatch:logs", "RetentionInDays")
    : undefined;
  return {
    hasApp: environments.length > 0,
    instances: env ? ebInstances(env) : 0,
    albAzs,
    healthCheckIntervalSeconds: Number(
      (env && ebSetting(env, "aws:elasticbeanstalk:environment:process:default", "HealthCheckInterval")) ??
        15,
    ),
    bucketKeys: kmsEncryption.length > 0 && kmsEncryption.every((rule) => rule.bucket_key_enabled === true),
    wafWebAcls: resourcesOfType(stack, "aws_wafv2_web_acl").length,
    interfaceEndpoints: resourcesOfType(stack, "aws_vpc_endpoint").filter(
      (e) => e.vpc_endpoint_type === "Interface",
    ).length,
    logRetentionDays: Number(ebRetention ?? (retentions.length > 0 ? Math.max(...retentions) : 30)),
    flowLogsAcceptedTraffic: resourcesOfType(stack, "aws_flow_log").some((f) => f.traffic_type !== "REJECT"),
  };
}

/** Cost of one synthesized stack. */
export function estimateStack(stack: SynthesizedStackFile, table: PriceTable = loadPriceTable()): StackCost {
  const region = stackRegion(stack);
  const prices = new RegionPrices(table, region);
  const ctx: EstimateContext = { prices, hours: table.hoursPerMonth, stack };
  const items: CostItem[] = [];
  for (const [type, byName] of Object.entries(stack.json.resource ?? {}).sort()) {
    for (const [name, resource] of Object.entries(byName).sort()) {
      items.push(...estimateResource(type, name, resource, ctx));
    }
  }
  const fixedMonthlyUsd = round(items.reduce((sum, i) => sum + i.monthlyUsd, 0));
  const facts = usageFacts(stack);
  return {
    stack: stack.name,
    region,
    priceDate: prices.priceDate,
    priceTableVersion: table.version,
    currency: table.currency,
    fixedMonthlyUsd,
    items,
    variable: facts.hasApp ? variableUnitCosts(facts, prices, table.hoursPerMonth) : [],
    scenarios: facts.hasApp ? scenarioCosts(facts, prices, table.hoursPerMonth, fixedMonthlyUsd) : [],
  };
}

export function estimateStacks(
  stacks: SynthesizedStackFile[],
  table: PriceTable = loadPriceTable(),
): StackCost[] {
  return stacks.map((stack) => estimateStack(stack, table));
}
