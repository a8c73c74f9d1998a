/**
 * `make cost-chart`: writes docs/cost-chart.svg and the generated blocks of docs/cost.md and docs/variants.md
 * (between `<!-- gen:NAME:begin ... -->` and `<!-- gen:NAME:end -->`) from the estimator, so the docs quote
 * figures computed from the code, never typed in. `--check` writes nothing and fails when a file is out of step
 * (what __tests__/tools/cost-docs.test.ts asserts too).
 */
import { readFileSync, writeFileSync } from "fs";
import { COST_GROUPS } from "../shared/cost/compare";
import { EKS_NODES, EKS_PRIVATE_ENDPOINTS, eksOnPaper } from "../shared/cost/eks-paper";
import { PriceTable, RegionPrices, loadPriceTable } from "../shared/cost/price-table";
import { SCENARIOS } from "../shared/cost/usage-cost";
import { KIND_LABELS, renderCostChart } from "./cost-chart";
import { unitUsd, usd } from "./cost-compare";
import { KINDS, PROFILES, ProfileCost, profileCosts, synthesize } from "./compute-profiles";
import { floorCapacity } from "./compute-capacity";
import { formatCostReport } from "./cost";
import { estimateStacks } from "../shared/cost/estimate";
import { projectConfig } from "../config";

export const CHART_PATH = "docs/cost-chart.svg";
export const DOCS = ["docs/cost.md", "docs/variants.md"] as const;

const label = (r: ProfileCost) =>
  `${KIND_LABELS[r.kind] ?? r.kind} ${r.profile}${r.onPaper ? " (on paper)" : ""}`;

/** The comparison as a markdown table: one row per compute and profile. */
export function comparisonTable(rows: ProfileCost[]): string {
  const head = [
    "compute, profile",
    ...COST_GROUPS.map((g) => g.label),
    "fixed / month",
    "per 1,000 uploads",
    "per 1,000 gallery pages",
    ...SCENARIOS.map((s) => s.name),
  ];
  const body = rows.map((r) => [
    label(r),
    ...COST_GROUPS.map((g) => usd(r.comparison.fixedByGroup[g.key])),
    `**${usd(r.comparison.fixedMonthlyUsd)}**`,
    unitUsd(r.comparison.per1000.uploads),
    unitUsd(r.comparison.per1000.galleryPages),
    ...SCENARIOS.map((s) => usd(r.comparison.scenarios[s.name])),
  ]);
  return [head, head.map(() => "---"), ...body].map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}

/** Cheapest first, per profile: the ranking a reader should see before any number. */
export function ranking(rows: ProfileCost[]): string {
  return PROFILES.map((profile) => {
    const sorted = rows
      .filter((r) => r.profile === profile)
      .sort((a, b) => a.comparison.fixedMonthlyUsd - b.comparison.fixedMonthlyUsd);
    return `- ${profile}, fixed monthly cost, cheapest first: ${sorted
      .map(
        (r) => `${KIND_LABELS[r.kind]}${r.onPaper ? " (on paper)" : ""} ${usd(r.comparison.fixedMonthlyUsd)}`,
      )
      .join(" < ")}`;
  }).join("\n");
}

/** Interface endpoints a stack creates (service name after `com.amazonaws.<region>.`). */
function interfaceEndpoints(row: ProfileCost): string[] {
  if (row.kind === "eks") return EKS_PRIVATE_ENDPOINTS.map((e) => e.service);
  return row.cost.items
    .filter((i) => i.address.startsWith("aws_vpc_endpoint.") && i.unit === "endpoint-AZ-hour")
    .map((i) => /interface endpoint (\S+):/.exec(i.description)?.[1] ?? i.address)
    .sort();
}

/** App CPU per request measured by `make bench` (8 clients), in ms. */
export interface BenchCpu {
  readonly galleryMs: number;
  readonly imageMs: number;
}

/** The floor's capacity in gallery pages and images per second (app CPU only), sustained and on CPU credits. */
function capacityLine(row: ProfileCost, bench: BenchCpu | undefined): string | undefined {
  const floor = row.settings && floorCapacity(row.settings);
  if (!floor || !bench) return floor && `  Scales ${floor.scaling}; floor ${floor.what}.`;
  const rate = (vcpu: number, ms: number) => Math.floor((vcpu * 1000) / ms);
  const burst =
    floor.burstVcpu > floor.sustainedVcpu
      ? `, ${rate(floor.burstVcpu, bench.galleryMs)} / ${rate(floor.burstVcpu, bench.imageMs)} while CPU credits last`
      : "";
  return (
    `  Scales ${floor.scaling}; floor ${floor.what}: ${floor.sustainedVcpu} vCPU sustained ≈ ` +
    `${rate(floor.sustainedVcpu, bench.galleryMs)} gallery pages/s or ${rate(floor.sustainedVcpu, bench.imageMs)} ` +
    `images/s of app CPU${burst}.`
  );
}

/** The alarms of a stack, by the name its AppAlarms construct gives them (`alarms_<name>_<hash>`). */
function alarmsOf(row: ProfileCost): string[] {
  return row.cost.items
    .map((i) => /^aws_cloudwatch_metric_alarm\.alarms_(.+)_[0-9A-F]{8}$/.exec(i.address)?.[1])
    .filter((name): name is string => name !== undefined)
    .sort();
}

/** The figures of one compute for its section of docs/variants.md. */
export function computeFigures(
  kind: string,
  rows: ProfileCost[],
  table: PriceTable,
  bench?: BenchCpu,
): string {
  const mine = rows.filter((r) => r.kind === kind);
  if (mine.length === 0)
    return `_No stack of this compute yet: \`make cost-chart\` fills this in once one exists._`;
  const out: string[] = [];
  for (const r of mine) {
    const c = r.comparison;
    const groups = COST_GROUPS.map((g) => `${g.label} ${usd(c.fixedByGroup[g.key])}`).join(", ");
    out.push(
      `- **${r.profile}${r.onPaper ? " (on paper)" : ""}** (\`${c.stack}\`): fixed **${usd(c.fixedMonthlyUsd)}/month** ` +
        `(${groups}); ${unitUsd(c.per1000.uploads)} per 1,000 uploads, ${unitUsd(c.per1000.galleryPages)} per 1,000 ` +
        `gallery pages; scenarios ${SCENARIOS.map((s) => `${s.name} ${usd(c.scenarios[s.name])}`).join(", ")}.`,
    );
    const capacity = capacityLine(r, bench);
    if (capacity) out.push(capacity);
    if (kind !== "eks")
      out.push(
        `  Alarms: ${alarmsOf(r)
          .map((a) => `\`${a}\``)
          .join(", ")} (runbook: docs/maintenance.md).`,
      );
    const endpoints = interfaceEndpoints(r);
    const n = endpoints.length;
    const azs = kind === "eks" ? "" : ` (${n} interface endpoint${n === 1 ? "" : "s"})`;
    out.push(
      `  Interface endpoints${azs}: ${endpoints.map((e) => `\`${e}\``).join(", ")}; S3 through the free gateway.`,
    );
    if (kind === "eks") {
      const eks = eksOnPaper(r.cost, new RegionPrices(table, r.cost.region), table.hoursPerMonth);
      out.push(`  EKS lines: ${eks.lines.map((l) => `${l.what} ${usd(l.monthlyUsd)}`).join("; ")}.`);
    }
  }
  return out.join("\n");
}

interface BenchLoad {
  rps: number;
  p95_ms: number;
  app_cpu_ms_per_request: number;
}

/** The throughput figures of the last recorded `make bench` (bench/results.json), and what they mean per vCPU. */
export function benchFigures(resultsJson: string): string {
  const r = JSON.parse(resultsJson) as {
    machine: { cores: number; date: string };
    uploads: { "100mb": { upload_peak_rss_mb: number }; idle_rss_mb: number };
    tuning: { before: Record<string, BenchLoad> };
  };
  const { gallery_c8: gallery, image_c8: image } = r.tuning.before;
  const perVcpu = (l: BenchLoad) => Math.floor(1000 / l.app_cpu_ms_per_request);
  return [
    `Measured by \`make bench\` (bench/results.json, ${r.machine.date.slice(0, 10)}, ${r.machine.cores} cores shared with`,
    `the S3 emulator): a gallery page (1 LIST + 24 thumbnails) ${gallery.rps} req/s with 8 clients (p95`,
    `${gallery.p95_ms} ms), ${gallery.app_cpu_ms_per_request} ms of app CPU each; a full-size image ${image.rps} req/s`,
    `(p95 ${image.p95_ms} ms), ${image.app_cpu_ms_per_request} ms of app CPU each; idle memory`,
    `${r.uploads.idle_rss_mb} MB, a 100 MB upload peaks at +${r.uploads["100mb"].upload_peak_rss_mb} MB. So one fully`,
    `used vCPU serves at most about ${perVcpu(gallery)} gallery pages/s or ${perVcpu(image)} images/s of app CPU`,
    `(S3 and the network aside): the same app on every compute, scaled by the vCPU each one gives it.`,
  ].join(" ");
}

/** App CPU per gallery page and per image from bench/results.json. */
export function benchCpu(resultsJson: string): BenchCpu {
  const loads = (JSON.parse(resultsJson) as { tuning: { before: Record<string, BenchLoad> } }).tuning.before;
  return {
    galleryMs: loads.gallery_c8.app_cpu_ms_per_request,
    imageMs: loads.image_c8.app_cpu_ms_per_request,
  };
}

/** The arm64 image's sizes (app/build/image/linux-arm64/sizes.json, written by `make image`) and its ECR cost. */
export function imageFigures(sizesJson: string, table: PriceTable, region: string): string {
  const sizes = JSON.parse(sizesJson) as { compressed_bytes: number; uncompressed_bytes: number };
  const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
  const gb = sizes.compressed_bytes / 1e9;
  const perVersion = gb * new RegionPrices(table, region).usd("ecr.storage.gbMonth");
  return (
    `The linux/arm64 image \`make image\` builds is ${mib(sizes.compressed_bytes)} MiB compressed ` +
    `(${mib(sizes.uncompressed_bytes)} MiB unpacked; app/build/image/linux-arm64/sizes.json): ECR storage of ` +
    `$${perVersion.toFixed(4)} a month per version kept (the estimate assumes 1 GB).`
  );
}

/** Every generated block, by name. */
export function blocks(rows: ProfileCost[], table: PriceTable, bench = ""): Record<string, string> {
  const named: Record<string, string> = {
    comparison: comparisonTable(rows),
    ranking: ranking(rows),
    "eks-nodes": `${EKS_NODES.instanceType} nodes (at least ${EKS_NODES.minimum}, one per AZ the ALB serves), ${EKS_NODES.diskGb} GiB ${EKS_NODES.volumeType} disks`,
  };
  const cpu = bench ? benchCpu(bench) : undefined;
  for (const kind of KINDS) named[`figures-${kind}`] = computeFigures(kind, rows, table, cpu);
  if (bench) named.bench = benchFigures(bench);
  return named;
}

/** `text` with each `<!-- gen:NAME:begin ... -->` … `<!-- gen:NAME:end -->` block's body replaced. */
export function fillBlocks(text: string, named: Record<string, string>): string {
  return text.replace(
    /(<!-- gen:([a-z0-9-]+):begin[^>]*-->)\n[\s\S]*?\n?(<!-- gen:\2:end -->)/g,
    (_all, begin: string, name: string, end: string) => {
      if (!(name in named)) throw new Error(`no generated block named ${name}`);
      return `${begin}\n${named[name]}\n${end}`;
    },
  );
}

/** What the chart and the docs must contain now: path → expected content. */
export function expectedFiles(
  table: PriceTable = loadPriceTable(),
  read = (p: string) => readFileSync(p, "utf8"),
) {
  const rows = profileCosts(undefined, table);
  const first = rows[0].cost;
  const named = blocks(rows, table, read("bench/results.json"));
  named.image = imageFigures(read("app/build/image/linux-arm64/sizes.json"), table, rows[0].cost.region);
  const built = estimateStacks(synthesize(projectConfig), table).sort((a, b) =>
    a.stack.localeCompare(b.stack),
  );
  named["make-cost"] = [
    "```text",
    formatCostReport(built.map((c) => ({ ...c, variable: [], scenarios: [] }))).trimEnd(),
    "```",
  ].join("\n");
  const files: Record<string, string> = {
    [CHART_PATH]: renderCostChart(rows, first.region, first.priceDate),
  };
  for (const doc of DOCS) files[doc] = fillBlocks(read(doc), named);
  return files;
}

if (require.main === module) {
  const check = process.argv.includes("--check");
  const stale: string[] = [];
  for (const [path, content] of Object.entries(expectedFiles())) {
    let current = "";
    try {
      current = readFileSync(path, "utf8");
    } catch {
      current = "";
    }
    if (current === content) continue;
    stale.push(path);
    if (!check) writeFileSync(path, content);
  }
  if (check && stale.length > 0) {
    console.error(`out of step with the estimator: ${stale.join(", ")} (run make cost-chart)`);
    process.exit(1);
  }
  console.log(check ? "cost docs in step" : `written: ${stale.join(", ") || "nothing changed"}`);
}
