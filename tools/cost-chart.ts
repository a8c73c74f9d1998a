/**
 * The chart in docs/cost.md: fixed monthly cost per compute, dev and prod profiles, one horizontal bar each,
 * stacked by what the money pays for. Plain SVG text from the estimator's figures (tools/compute-profiles.ts): no
 * network, no browser, the same bytes for the same figures (`make cost-chart` writes it, a jest test compares).
 */
import { COST_GROUPS, CostGroup } from "../shared/cost/compare";
import { ProfileCost } from "./compute-profiles";

/** How each compute is named in the chart and the guide. */
export const KIND_LABELS: Readonly<Record<string, string>> = {
  beanstalk: "Elastic Beanstalk",
  fargate: "ECS on Fargate",
  ec2: "EC2 Auto Scaling",
  eks: "EKS",
};

const COLORS: Readonly<Record<CostGroup, string>> = {
  compute: "#4e79a7",
  endpoints: "#f28e2b",
  loadBalancer: "#59a14f",
  storage: "#b07aa1",
  operations: "#9c755f",
};

const LAYOUT = { width: 820, left: 230, barWidth: 470, bar: 18, gap: 6, groupGap: 14, top: 78 } as const;

const fixed1 = (n: number) => n.toFixed(1);
const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A tick step that gives 4 to 8 ticks. */
function tickStep(max: number): number {
  for (const step of [10, 20, 25, 50, 100, 200, 250, 500]) if (max / step <= 8) return step;
  return 1000;
}

function legend(): string[] {
  return COST_GROUPS.map((g, i) => {
    const x = LAYOUT.left + i * 110;
    return [
      `<rect x="${x}" y="40" width="12" height="12" fill="${COLORS[g.key]}"/>`,
      `<text x="${x + 16}" y="50">${escape(g.label)}</text>`,
    ].join("");
  });
}

function barRow(row: ProfileCost, y: number, scale: (usd: number) => number): string[] {
  const label = `${KIND_LABELS[row.kind] ?? row.kind} ${row.profile}${row.onPaper ? " (on paper)" : ""}`;
  const out = [`<text x="${LAYOUT.left - 8}" y="${y + 13}" text-anchor="end">${escape(label)}</text>`];
  let x = LAYOUT.left;
  for (const g of COST_GROUPS) {
    const w = scale(row.comparison.fixedByGroup[g.key]);
    const opacity = row.onPaper ? ' fill-opacity="0.6"' : "";
    out.push(
      `<rect x="${fixed1(x)}" y="${y}" width="${fixed1(w)}" height="${LAYOUT.bar}" fill="${COLORS[g.key]}"${opacity}>` +
        `<title>${escape(`${label}: ${g.label} $${row.comparison.fixedByGroup[g.key].toFixed(2)}`)}</title></rect>`,
    );
    x += w;
  }
  out.push(`<text x="${fixed1(x + 6)}" y="${y + 13}">$${row.comparison.fixedMonthlyUsd.toFixed(2)}</text>`);
  return out;
}

/** The SVG document for the rows (KINDS × PROFILES order), titled with the region and price date. */
export function renderCostChart(rows: ProfileCost[], region: string, priceDate: string): string {
  const max = Math.max(...rows.map((r) => r.comparison.fixedMonthlyUsd));
  const step = tickStep(max);
  const axisMax = Math.ceil(max / step) * step;
  const scale = (usd: number) => (usd / axisMax) * LAYOUT.barWidth;
  const body: string[] = [];
  let y: number = LAYOUT.top;
  rows.forEach((row, i) => {
    if (i > 0 && rows[i - 1].kind !== row.kind) y += LAYOUT.groupGap;
    body.push(...barRow(row, y, scale));
    y += LAYOUT.bar + LAYOUT.gap;
  });
  const axisY = y + 4;
  for (let usd = 0; usd <= axisMax; usd += step) {
    const x = fixed1(LAYOUT.left + scale(usd));
    body.push(`<line x1="${x}" y1="${LAYOUT.top - 6}" x2="${x}" y2="${axisY}" stroke="#ddd"/>`);
    body.push(`<text x="${x}" y="${axisY + 14}" text-anchor="middle">$${usd}</text>`);
  }
  const height = axisY + 26;
  const title = `Fixed monthly cost per compute, USD (${region}, on-demand prices of ${priceDate}; make cost-chart)`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${LAYOUT.width}" height="${height}" viewBox="0 0 ${LAYOUT.width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${LAYOUT.width}" height="${height}" fill="#fff"/>`,
    `<text x="10" y="22" font-size="14" font-weight="bold">${escape(title)}</text>`,
    ...legend(),
    // Grid lines first would sit on top of nothing; bars are drawn after so they cover the grid.
    ...body.filter((e) => e.startsWith("<line")),
    ...body.filter((e) => !e.startsWith("<line")),
    "</svg>",
    "",
  ].join("\n");
}
