import { estimateStacks, CostItem } from "../../../shared/cost/estimate";
import {
  COST_GROUPS,
  compareStacks,
  computeKindOf,
  fixedByGroup,
  groupOf,
  servedAppStack,
} from "../../../shared/cost/compare";
import { formatComparison } from "../../../tools/cost-compare";
import { SynthesizedStackFile } from "../../../shared/synthesized";
import { synthProject } from "../../../test-support/synth";

const stacks: SynthesizedStackFile[] = Object.entries(synthProject()).map(([name, json]) => ({
  name,
  json: json as SynthesizedStackFile["json"],
}));
const costs = estimateStacks(stacks);

const line = (address: string, monthlyUsd = 1): CostItem => ({
  address,
  description: "",
  quantity: 1,
  unit: "",
  unitPriceUsd: monthlyUsd,
  monthlyUsd,
});

describe("fixed cost by what it pays for", () => {
  test("the groups of every stack add up to its fixed total", () => {
    for (const cost of costs) {
      const groups = fixedByGroup(cost);
      const sum = COST_GROUPS.reduce((total, g) => total + groups[g.key], 0);
      expect([cost.stack, Math.round(sum * 100)]).toEqual([
        cost.stack,
        Math.round(cost.fixedMonthlyUsd * 100),
      ]);
    }
  });

  test("endpoints are exactly the interface endpoints' lines, the load balancer its ALB lines", () => {
    for (const cost of costs) {
      const sumOf = (type: string) =>
        cost.items.filter((i) => i.address.startsWith(`${type}.`)).reduce((s, i) => s + i.monthlyUsd, 0);
      const groups = fixedByGroup(cost);
      expect(groups.endpoints).toBeCloseTo(sumOf("aws_vpc_endpoint"), 4);
      expect(groups.loadBalancer).toBeCloseTo(
        sumOf("aws_lb") +
          sumOf("aws_wafv2_web_acl") +
          sumOf("aws_route53_zone") +
          keysOf(cost, "load-balancer"),
        4,
      );
    }
  });

  test("a KMS key belongs to what it encrypts; a key or a priced type of a compute is the compute's", () => {
    expect(groupOf(line("aws_kms_key.storage_data-key_C2A9C8DC"))).toBe("storage");
    expect(groupOf(line("aws_kms_key.state_state-key_F50AAD5A"))).toBe("storage");
    expect(groupOf(line("aws_kms_key.network_flow-log-key_5BE82881"))).toBe("operations");
    expect(groupOf(line("aws_kms_key.notifications_key_4B1CAB26"))).toBe("operations");
    expect(groupOf(line("aws_kms_key.load-balancer_waf-log-key_E0317C96"))).toBe("loadBalancer");
    expect(groupOf(line("aws_kms_key.compute_ecr-key_0"))).toBe("compute");
    expect(groupOf(line("aws_ecs_service.compute_service_0"))).toBe("compute");
    expect(groupOf(line("aws_elastic_beanstalk_environment.beanstalk_environment_1E220BD6"))).toBe("compute");
    expect(groupOf(line("aws_cloudwatch_metric_alarm.alarms_app-errors_3EC5D491"))).toBe("operations");
  });
});

function keysOf(cost: (typeof costs)[number], owner: string): number {
  return cost.items
    .filter((i) => i.address.startsWith(`aws_kms_key.${owner}_`))
    .reduce((s, i) => s + i.monthlyUsd, 0);
}

describe("compute kind of a stack", () => {
  const stack = (json: object): SynthesizedStackFile => ({
    name: "x",
    json: json as SynthesizedStackFile["json"],
  });

  test("the stack's `compute` local names it; the state stack has none", () => {
    expect(computeKindOf(stack({ locals: { compute: { kind: "fargate" } } }))).toBe("fargate");
    expect(computeKindOf(stacks.find((s) => s.name === "app-dev")!)).toBe("beanstalk");
    expect(computeKindOf(stacks.find((s) => s.name === "state")!)).toBeNull();
  });

  test("an unknown kind, or a compute resource without the local, fails", () => {
    expect(() => computeKindOf(stack({ locals: { compute: { kind: "lambda" } } }))).toThrow(
      /unknown compute kind "lambda"/,
    );
    expect(() => computeKindOf(stack({ resource: { aws_autoscaling_group: { g: {} } } }))).toThrow(
      /aws_autoscaling_group but no `compute` local/,
    );
  });
});

describe("the comparison make cost prints first", () => {
  const rows = compareStacks(stacks, costs);

  test("a supporting stack's fixed cost is its app stack's compute (Fargate's registry stack)", () => {
    expect(servedAppStack("registry-dev-fargate", ["app-dev", "app-dev-fargate"])).toBe("app-dev-fargate");
    expect(servedAppStack("registry-dev-fargate", ["app-dev"])).toBeUndefined();
    expect(servedAppStack("state", ["app-dev"])).toBeUndefined();
    for (const row of rows) {
      const own = costs.find((c) => c.stack === row.stack)!;
      const served = costs.filter((c) => row.includes.includes(c.stack));
      expect(served.map((c) => c.stack)).toEqual(
        costs.map((c) => c.stack).filter((name) => name !== row.stack && name.endsWith(row.stack.slice(3))),
      );
      const extra = served.reduce((sum, c) => sum + c.fixedMonthlyUsd, 0);
      expect(row.fixedMonthlyUsd).toBeCloseTo(own.fixedMonthlyUsd + extra, 3);
      expect(row.fixedByGroup.compute).toBeCloseTo(fixedByGroup(own).compute + extra, 3);
    }
  });

  test("one column per app stack, the state stack left out", () => {
    expect(rows.map((r) => r.stack)).toEqual(
      stacks.filter((s) => s.name.startsWith("app-")).map((s) => s.name),
    );
  });

  test("each column carries its compute, every group, the per-1,000 costs and the three scenarios", () => {
    const text = formatComparison(rows);
    for (const row of rows) {
      const cost = costs.find((c) => c.stack === row.stack)!;
      expect(text).toContain(row.stack);
      expect(text).toContain(`$${row.fixedMonthlyUsd.toFixed(2)}`);
      expect(row.per1000.uploads).toBe(cost.variable.find((v) => v.unit === "1,000 uploads")!.unitPriceUsd);
      expect(Object.keys(row.scenarios)).toEqual(["small", "medium", "large"]);
    }
    for (const label of [
      "compute",
      ...COST_GROUPS.map((g) => `fixed: ${g.label}`),
      "per 1,000 uploads",
      "per 1,000 gallery pages",
      "small scenario, monthly",
    ]) {
      expect(text).toMatch(new RegExp(`^  ${label.replace(/[$()]/g, "\\$&")} `, "m"));
    }
  });
});
