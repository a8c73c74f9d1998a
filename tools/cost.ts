/** `make cost`: prints the estimate of every synthesized stack (shared/cost/estimate.ts) as a table or as JSON. */
import { PriceTable, loadPriceTable } from "../shared/cost/price-table";
import { StackCost, estimateStacks } from "../shared/cost/estimate";
import { SynthesizedStackFile, readSynthesizedStacks } from "../shared/synthesized";
import {
  ComputeComparison,
  CostGroup,
  compareStacks,
  computeKindOf,
  fixedByGroup,
} from "../shared/cost/compare";
import { formatComparison, unitUsd, usd } from "./cost-compare";

/** The one-line fixed figure `make demo` prints. */
export function fixedMonthlyLine(cost: StackCost, compute: string | null = null): string {
  return `${cost.stack}${compute ? ` (${compute})` : ""}: fixed ${usd(cost.fixedMonthlyUsd)}/month in ${cost.region} (prices of ${cost.priceDate}; make cost for details)`;
}

function table(rows: string[][], rightAligned: number[]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) =>
    r
      .map((cell, c) => (rightAligned.includes(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join("  ")
      .trimEnd(),
  );
}

/** Human-readable report of every stack. */
export function formatCostReport(costs: StackCost[]): string {
  const out: string[] = [];
  for (const cost of costs) {
    out.push(
      `== ${cost.stack} (${cost.region}, ${cost.currency}, prices of ${cost.priceDate}, table ${cost.priceTableVersion})`,
    );
    out.push("Fixed monthly cost");
    out.push(
      ...table(
        [
          ["address", "what", "quantity", "unit", "unit price", "monthly"],
          ...cost.items.map((i) => [
            i.address,
            i.description,
            String(i.quantity),
            i.unit,
            unitUsd(i.unitPriceUsd),
            usd(i.monthlyUsd),
          ]),
          ["", "TOTAL fixed", "", "", "", usd(cost.fixedMonthlyUsd)],
        ],
        [2, 4, 5],
      ).map((l) => `  ${l}`),
    );
    if (cost.variable.length > 0) {
      out.push("Variable unit costs");
      out.push(
        ...table(
          [["per", "cost", "how"], ...cost.variable.map((v) => [v.unit, unitUsd(v.unitPriceUsd), v.note])],
          [1],
        ).map((l) => `  ${l}`),
      );
    }
    if (cost.scenarios.length > 0) {
      out.push("Scenarios (monthly)");
      for (const s of cost.scenarios) {
        out.push(
          `  ${s.name.padEnd(7)} ${usd(s.totalMonthlyUsd).padStart(10)} = fixed ${usd(cost.fixedMonthlyUsd)} + usage ${usd(s.variableMonthlyUsd)}  (${s.description})`,
        );
      }
    }
    out.push("");
  }
  return out.join("\n");
}

/** What `make cost ARGS=--json` prints for each stack, keyed by stack name. */
export type StackCostJson = Pick<
  StackCost,
  "region" | "priceDate" | "currency" | "fixedMonthlyUsd" | "items" | "variable" | "scenarios"
> & {
  /** The compute kind (`beanstalk`, `fargate`, `ec2`), null for a stack without one. */
  compute: string | null;
  /** The fixed total by what it pays for (shared/cost/compare.ts), this stack alone. */
  fixedByGroup: Record<CostGroup, number>;
  /** The stack's column of the comparison (supporting stacks included), null for a stack without a compute. */
  comparison: Omit<ComputeComparison, "stack" | "compute"> | null;
};

/**
 * The JSON document: `{ "<stack>": {region, priceDate, currency, compute, fixedMonthlyUsd, fixedByGroup,
 * comparison, items, variable, scenarios} }`, the same figures as the text report.
 */
export function costJson(stacks: SynthesizedStackFile[], costs: StackCost[]): Record<string, StackCostJson> {
  const columns = compareStacks(stacks, costs);
  return Object.fromEntries(
    costs.map((c) => {
      const column = columns.find((r) => r.stack === c.stack);
      const comparison = column
        ? {
            includes: column.includes,
            fixedMonthlyUsd: column.fixedMonthlyUsd,
            fixedByGroup: column.fixedByGroup,
            per1000: column.per1000,
            scenarios: column.scenarios,
          }
        : null;
      return [
        c.stack,
        {
          region: c.region,
          priceDate: c.priceDate,
          currency: c.currency,
          compute: computeKindOf(stacks.find((s) => s.name === c.stack)!),
          fixedMonthlyUsd: c.fixedMonthlyUsd,
          fixedByGroup: fixedByGroup(c),
          comparison,
          items: c.items,
          variable: c.variable,
          scenarios: c.scenarios,
        },
      ];
    }),
  );
}

/** The CLI: `[outdir] [--json]`; returns what it prints: the comparison of the computes, then each stack. */
export function costCommand(args: string[], table: PriceTable = loadPriceTable()): string {
  const outdir = args.find((a) => !a.startsWith("--")) ?? "cdktf.out";
  const stacks = readSynthesizedStacks(outdir);
  const costs = estimateStacks(stacks, table);
  if (args.includes("--json")) return JSON.stringify(costJson(stacks, costs), null, 2);
  return formatComparison(compareStacks(stacks, costs)) + "\n" + formatCostReport(costs);
}

if (require.main === module) console.log(costCommand(process.argv.slice(2)));
