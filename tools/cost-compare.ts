/** The side-by-side table `make cost` prints first: every app stack as a column, its compute and what it costs. */
import { COST_GROUPS, ComputeComparison } from "../shared/cost/compare";
import { SCENARIOS } from "../shared/cost/usage-cost";

export const usd = (n: number) => `$${n.toFixed(2)}`;
/** Per-unit figures keep four significant digits (a cent per 1,000 uploads would read as $0.00). */
export const unitUsd = (n: number) => `$${String(Number(n.toPrecision(4)))}`;

/** The rows of the table: a label and one cell per stack. */
export function comparisonRows(rows: ComputeComparison[]): string[][] {
  return [
    ["", ...rows.map((r) => r.stack)],
    ["compute", ...rows.map((r) => r.compute)],
    ...COST_GROUPS.map((g) => [`fixed: ${g.label}`, ...rows.map((r) => usd(r.fixedByGroup[g.key]))]),
    ["fixed monthly total", ...rows.map((r) => usd(r.fixedMonthlyUsd))],
    ["per 1,000 uploads", ...rows.map((r) => unitUsd(r.per1000.uploads))],
    ["per 1,000 gallery pages", ...rows.map((r) => unitUsd(r.per1000.galleryPages))],
    ...SCENARIOS.map((s) => [`${s.name} scenario, monthly`, ...rows.map((r) => usd(r.scenarios[s.name]))]),
  ];
}

/** The table as text: labels left-aligned, figures right-aligned. */
export function formatComparison(rows: ComputeComparison[]): string {
  const cells = comparisonRows(rows);
  const widths = cells[0].map((_, c) => Math.max(...cells.map((r) => r[c].length)));
  const lines = cells.map((r) =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  "),
  );
  const scenarios = SCENARIOS.map((s) => `${s.name}: ${s.description}`).join("; ");
  const included = rows
    .filter((r) => r.includes.length > 0)
    .map((r) => `  ${r.stack} includes ${r.includes.join(", ")} (its fixed cost counted under compute)`);
  return [
    "Compute comparison (monthly, USD; fixed = what runs with no traffic; per-1,000 figures exclude storage)",
    ...lines.map((l) => `  ${l.trimEnd()}`),
    ...included,
    `  scenarios = fixed + usage (${scenarios})`,
    "",
  ].join("\n");
}
