import { Construct } from "constructs";
import { BudgetsBudget } from "@cdktf/provider-aws/lib/budgets-budget";

export interface CostBudgetProps {
  /** Budget name, unique in the account. */
  readonly name: string;
  /** Monthly limit in USD (rounded to cents). */
  readonly limitUsd: number;
  /** Topic that receives the alerts. */
  readonly topicArn: string;
  /**
   * Count only costs of resources with this tag: `user:KEY$VALUE` (Budgets `TagKeyValue` filter). The tag must be
   * activated as a cost allocation tag (Billing console) before it filters anything (docs/maintenance.md).
   * @default the whole account's costs
   */
  readonly costAllocationTag?: { readonly key: string; readonly value: string };
  /** Forecast alert at this percent of the limit. @default 80 */
  readonly forecastPercent?: number;
  /** Actual-spend alert at this percent of the limit. @default 100 */
  readonly actualPercent?: number;
}

/**
 * A monthly AWS Budgets cost budget that alerts the topic when the month's forecast passes 80 % and when the actual
 * spend passes 100 % of the limit. Notification types and thresholds: AWS Budgets API `Notification`
 * (https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Notification.html). No budget
 * actions: a budget without actions has no charge (shared/cost/estimate.ts).
 */
export class CostBudget extends Construct {
  readonly budget: BudgetsBudget;

  constructor(scope: Construct, id: string, props: CostBudgetProps) {
    super(scope, id);
    if (!(props.limitUsd > 0))
      throw new Error(`${props.name}: budget limit must be > 0, got ${props.limitUsd}`);
    const alert = (notificationType: "FORECASTED" | "ACTUAL", threshold: number) => ({
      notificationType,
      comparisonOperator: "GREATER_THAN",
      threshold,
      thresholdType: "PERCENTAGE",
      subscriberSnsTopicArns: [props.topicArn],
    });
    this.budget = new BudgetsBudget(this, "budget", {
      name: props.name,
      budgetType: "COST",
      timeUnit: "MONTHLY",
      limitAmount: props.limitUsd.toFixed(2),
      limitUnit: "USD",
      costFilter: props.costAllocationTag
        ? [
            {
              name: "TagKeyValue",
              values: [`user:${props.costAllocationTag.key}$${props.costAllocationTag.value}`],
            },
          ]
        : undefined,
      notification: [
        alert("FORECASTED", props.forecastPercent ?? 80),
        alert("ACTUAL", props.actualPercent ?? 100),
      ],
    });
  }
}
