import { TerraformStack } from "cdktf";
import { estimateStack } from "../shared/cost/estimate";
import { SynthesizedStack } from "../shared/synthesized";

/**
 * `make cost`'s fixed monthly estimate of a stack as built so far: the same estimator (shared/cost/estimate.ts) over the same
 * Terraform JSON that synthesis writes. The app stack calls it last, just before adding the budget (which costs
 * nothing, so it cannot change the figure); __tests__/stacks/app-stack-operations.test.ts proves that the budget's
 * limit equals the estimate of the synthesized stack plus the allowance, so the two cannot drift apart.
 */
export function fixedMonthlyEstimateUsd(stack: TerraformStack): number {
  const json = JSON.parse(JSON.stringify(stack.toTerraform())) as SynthesizedStack;
  return estimateStack({ name: stack.node.id, json }).fixedMonthlyUsd;
}

/** The budget's monthly limit: fixed estimate plus the usage allowance, in whole cents. */
export function budgetLimitUsd(fixedMonthlyUsd: number, usageAllowanceUsd: number): number {
  return Math.round((fixedMonthlyUsd + usageAllowanceUsd) * 100) / 100;
}
