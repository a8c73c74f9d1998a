/**
 * The side-by-side view behind `make cost` (tools/cost.ts), the cost chart and the decision guide: each stack's
 * fixed monthly lines grouped by what they pay for, its compute kind, its cost per 1,000 uploads and per 1,000
 * gallery pages, and its three usage scenarios. Every figure comes from the estimator (shared/cost/estimate.ts);
 * this module only groups and picks, so there is one source of numbers.
 */
import { COMPUTE_KINDS } from "../compute-config";
import { SynthesizedStackFile, resourcesOf } from "../synthesized";
import { CostItem, StackCost, round } from "./estimate";

/** What a fixed line pays for. */
export type CostGroup = "compute" | "endpoints" | "loadBalancer" | "storage" | "operations";

/** The groups in the order every table and chart shows them, with what each pays for. */
export const COST_GROUPS: readonly { key: CostGroup; label: string; pays: string }[] = [
  {
    key: "compute",
    label: "compute",
    pays: "instances or tasks, their volumes and image store, metrics and keys the compute itself brings",
  },
  { key: "endpoints", label: "endpoints", pays: "interface VPC endpoints, per AZ and hour" },
  {
    key: "loadBalancer",
    label: "load balancer",
    pays: "ALB hours, the baseline LCU, its public IPv4 addresses, WAF, DNS",
  },
  {
    key: "storage",
    label: "storage",
    pays: "the images' and the state's KMS keys (storage itself is usage)",
  },
  {
    key: "operations",
    label: "operations",
    pays: "alarms, dashboard, log metrics, the log and alarm-topic keys",
  },
];

/** Resource types shared by every compute, and the group they belong to; any other priced type is the compute's. */
const GROUP_OF_TYPE: Readonly<Record<string, CostGroup>> = {
  aws_vpc_endpoint: "endpoints",
  aws_nat_gateway: "endpoints",
  aws_lb: "loadBalancer",
  aws_eip: "loadBalancer",
  aws_wafv2_web_acl: "loadBalancer",
  aws_route53_zone: "loadBalancer",
  aws_route53_health_check: "loadBalancer",
  aws_secretsmanager_secret: "storage",
  aws_cloudwatch_metric_alarm: "operations",
  aws_cloudwatch_dashboard: "operations",
  aws_cloudwatch_log_metric_filter: "operations",
};

/**
 * KMS keys by the top-level construct that creates them (the first part of the Terraform name): what the key
 * encrypts decides its group. A key of any other construct is one the compute brings.
 */
const GROUP_OF_KEY_OWNER: Readonly<Record<string, CostGroup>> = {
  storage: "storage",
  state: "storage",
  "load-balancer": "loadBalancer",
  network: "operations",
  notifications: "operations",
};

/** The group of one fixed line. */
export function groupOf(item: CostItem): CostGroup {
  const [type, name] = item.address.split(".");
  if (type === "aws_kms_key") return GROUP_OF_KEY_OWNER[name.split("_")[0]] ?? "compute";
  return GROUP_OF_TYPE[type] ?? "compute";
}

/** Fixed monthly cost by group; the groups add up to the stack's fixed total (to the cent). */
export function fixedByGroup(cost: StackCost): Record<CostGroup, number> {
  const sums = Object.fromEntries(COST_GROUPS.map((g) => [g.key, 0])) as Record<CostGroup, number>;
  for (const item of cost.items) sums[groupOf(item)] += item.monthlyUsd;
  for (const g of COST_GROUPS) sums[g.key] = round(sums[g.key]);
  return sums;
}

/** Resource types only a compute creates: a stack holding one must record the `compute` local. */
const COMPUTE_TYPES = ["aws_elastic_beanstalk_environment", "aws_ecs_service", "aws_autoscaling_group"];

/**
 * The compute kind of a stack: the `kind` of the `compute` local every app stack records (stacks/app-stack.ts);
 * null for a stack without a compute (the state stack). Throws on an unknown kind, and on a stack that holds a
 * compute resource but no `compute` local, as every reader of the seam does.
 */
export function computeKindOf(stack: SynthesizedStackFile): string | null {
  const locals = (stack.json as { locals?: { compute?: { kind?: unknown } } }).locals;
  const kind = locals?.compute?.kind;
  if (kind !== undefined) {
    if (typeof kind === "string" && (COMPUTE_KINDS as readonly string[]).includes(kind)) return kind;
    throw new Error(`${stack.name}: unknown compute kind ${JSON.stringify(kind)} in the compute local`);
  }
  const computeTypes = COMPUTE_TYPES.filter((type) => Object.keys(resourcesOf(stack.json, type)).length > 0);
  if (computeTypes.length > 0) {
    throw new Error(
      `${stack.name}: ${computeTypes.join(", ")} but no \`compute\` local (stacks/app-stack.ts)`,
    );
  }
  return null;
}

/**
 * The app stack a supporting stack serves: `registry-dev-fargate` serves `app-dev-fargate` (its image store). Its
 * fixed cost is that compute's, so the comparison adds it there. The state stack serves every stack: left out.
 */
export function servedAppStack(name: string, appStacks: readonly string[]): string | undefined {
  const match = /^([a-z0-9]+)-(.+)$/.exec(name);
  if (!match || match[1] === "app") return undefined;
  const app = `app-${match[2]}`;
  return appStacks.includes(app) ? app : undefined;
}

/** One stack in the comparison. */
export interface ComputeComparison {
  readonly stack: string;
  readonly compute: string;
  /** Supporting stacks whose fixed cost is included (in `compute`), e.g. Fargate's registry stack. */
  readonly includes: readonly string[];
  readonly fixedMonthlyUsd: number;
  readonly fixedByGroup: Record<CostGroup, number>;
  /** Marginal cost of 1,000 uploads (storage not included) and of 1,000 gallery pages. */
  readonly per1000: { readonly uploads: number; readonly galleryPages: number };
  /** Total monthly cost (fixed + usage) of each usage scenario, by scenario name. */
  readonly scenarios: Record<string, number>;
}

function unitCost(cost: StackCost, unit: string): number {
  const found = cost.variable.find((v) => v.unit === unit);
  if (!found) throw new Error(`${cost.stack}: the estimate has no variable cost per ${unit}`);
  return found.unitPriceUsd;
}

/** The comparison row of one stack that runs a compute, with the fixed cost of the stacks that serve it. */
export function compareStack(
  cost: StackCost,
  compute: string,
  supporting: StackCost[] = [],
): ComputeComparison {
  const extra = round(supporting.reduce((sum, s) => sum + s.fixedMonthlyUsd, 0));
  const groups = fixedByGroup(cost);
  return {
    stack: cost.stack,
    compute,
    includes: supporting.map((s) => s.stack),
    fixedMonthlyUsd: round(cost.fixedMonthlyUsd + extra),
    fixedByGroup: { ...groups, compute: round(groups.compute + extra) },
    per1000: {
      uploads: unitCost(cost, "1,000 uploads"),
      galleryPages: unitCost(cost, "1,000 gallery pages"),
    },
    scenarios: Object.fromEntries(cost.scenarios.map((s) => [s.name, round(s.totalMonthlyUsd + extra)])),
  };
}

/** Every stack with a compute, in the order given, with its compute kind and the stacks that serve it. */
export function compareStacks(stacks: SynthesizedStackFile[], costs: StackCost[]): ComputeComparison[] {
  const kinds = new Map(stacks.map((s) => [s.name, computeKindOf(s)]));
  const apps = stacks.filter((s) => kinds.get(s.name) !== null).map((s) => s.name);
  const costOf = (name: string) => {
    const cost = costs.find((c) => c.stack === name);
    if (!cost) throw new Error(`${name}: no estimate`);
    return cost;
  };
  return apps.map((app) => {
    const supporting = stacks
      .filter((s) => kinds.get(s.name) === null && servedAppStack(s.name, apps) === app)
      .map((s) => costOf(s.name));
    return compareStack(costOf(app), kinds.get(app)!, supporting);
  });
}
