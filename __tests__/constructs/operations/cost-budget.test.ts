import { CostBudget } from "../../../constructs/operations/cost-budget";
import { onlyResource, synthConstruct } from "../../../test-support/synth";

const TOPIC = "arn:aws:sns:eu-west-1:123456789012:ops";

function synthBudget(limitUsd: number, tag?: { key: string; value: string }) {
  return synthConstruct((scope) => {
    new CostBudget(scope, "budget", {
      name: "imageshare-dev-monthly",
      limitUsd,
      topicArn: TOPIC,
      costAllocationTag: tag,
    });
  });
}

describe("CostBudget", () => {
  test("a monthly USD cost budget with the given limit in cents", () => {
    expect(onlyResource(synthBudget(101.906), "aws_budgets_budget")).toMatchObject({
      name: "imageshare-dev-monthly",
      budget_type: "COST",
      time_unit: "MONTHLY",
      limit_amount: "101.91",
      limit_unit: "USD",
    });
  });

  test("alerts the topic at 80 % forecast and 100 % actual", () => {
    const budget = onlyResource(synthBudget(50), "aws_budgets_budget");
    expect(budget.notification).toEqual([
      {
        notification_type: "FORECASTED",
        comparison_operator: "GREATER_THAN",
        threshold: 80,
        threshold_type: "PERCENTAGE",
        subscriber_sns_topic_arns: [TOPIC],
      },
      {
        notification_type: "ACTUAL",
        comparison_operator: "GREATER_THAN",
        threshold: 100,
        threshold_type: "PERCENTAGE",
        subscriber_sns_topic_arns: [TOPIC],
      },
    ]);
  });

  test("counts only the tagged environment's costs when a cost allocation tag is given", () => {
    expect(onlyResource(synthBudget(50), "aws_budgets_budget").cost_filter).toBeUndefined();
    const filtered = onlyResource(
      synthBudget(50, { key: "Environment", value: "dev" }),
      "aws_budgets_budget",
    );
    expect(filtered.cost_filter).toEqual([{ name: "TagKeyValue", values: ["user:Environment$dev"] }]);
  });

  test("refuses a limit that is not positive", () => {
    expect(() => synthBudget(0)).toThrow(/budget limit must be > 0/);
    expect(() => synthBudget(Number.NaN)).toThrow(/budget limit must be > 0/);
  });
});
