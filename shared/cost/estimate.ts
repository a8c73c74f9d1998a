/**
 * The estimator behind `make cost` (tools/cost.ts) and the app stacks' budget limit (stacks/budget-limit.ts): monthly
 * cost of a synthesized stack, from the resources in its cdk.tf.json and the versioned price table in
 * shared/cost/prices.json. It lives in shared/ because stacks may not import tools/ (eslint.config.mjs). Quantities
 * come from the synthesized JSON only (AZ count = subnet_ids, instances = the compute's minimum through the seam,
 * ...), so the estimate follows the configuration.
 *
 * Every resource type must be classified: priced (an estimator in shared/cost/estimators.ts or compute-costs.ts),
 * usage-priced (covered by the variable model in shared/cost/usage-cost.ts), free, or known to cost money without a
 * price here (fails; shared/cost/resource-classes.ts). An unknown type fails too, so a newly added resource cannot
 * slip past the estimate; so does a compute the usage model does not know (shared/cost/usage-facts.ts).
 */
import { RegionPrices, PriceTable, loadPriceTable } from "./price-table";
import { Resource, SynthesizedStackFile } from "../synthesized";
import { ScenarioCost, VariableUnitCost, scenarioCosts } from "./usage-cost";
import { variableUnitCosts } from "./unit-costs";
import { CostItem, EstimateContext, round } from "./estimate-core";
import { ESTIMATORS } from "./estimators";
import { COSTLY_UNPRICED_TYPES, FREE_TYPES, USAGE_PRICED_TYPES } from "./resource-classes";
import { usageFacts } from "./usage-facts";

export type { CostItem } from "./estimate-core";
export { DEFAULTS, round } from "./estimate-core";
export { COSTLY_UNPRICED_TYPES, FREE_TYPES, USAGE_PRICED_TYPES } from "./resource-classes";
export { usageFacts } from "./usage-facts";

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

/** Cost of one synthesized stack. */
export function estimateStack(stack: SynthesizedStackFile, table: PriceTable = loadPriceTable()): StackCost {
  const region = stackRegion(stack);
  // The compute first: a stack whose compute the estimate cannot see fails for that reason.
  const facts = usageFacts(stack);
  const prices = new RegionPrices(table, region);
  const ctx: EstimateContext = { prices, hours: table.hoursPerMonth, stack };
  const items: CostItem[] = [];
  for (const [type, byName] of Object.entries(stack.json.resource ?? {}).sort()) {
    for (const [name, resource] of Object.entries(byName).sort()) {
      items.push(...estimateResource(type, name, resource, ctx));
    }
  }
  const fixedMonthlyUsd = round(items.reduce((sum, i) => sum + i.monthlyUsd, 0));
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
