/**
 * The variable part of the estimate: what uploads, views, storage and logs cost, from the app's real S3 call
 * pattern (app/imageshare/web.py and storage.py) and facts read from the synthesized stack.
 */
import { RegionPrices } from "./price-table";

/** Facts about one stack that usage costs depend on (read by shared/cost/estimate.ts from the synthesized JSON). */
export interface UsageFacts {
  readonly hasApp: boolean;
  /** Running instances (EB MinSize): each one is health-checked from every ALB AZ. */
  readonly instances: number;
  /** AZs (subnets) the ALB spans. */
  readonly albAzs: number;
  readonly healthCheckIntervalSeconds: number;
  /** Every SSE-KMS bucket uses S3 Bucket Keys. */
  readonly bucketKeys: boolean;
  readonly wafWebAcls: number;
  readonly interfaceEndpoints: number;
  readonly logRetentionDays: number;
  /** A flow log records accepted traffic (ALL or ACCEPT), not only rejects. */
  readonly flowLogsAcceptedTraffic: boolean;
}

/** Usage of one month. */
export interface Usage {
  readonly uploads: number;
  readonly galleryViews: number;
  readonly fullViews: number;
  /** Images (originals + thumbnails) stored, GB. */
  readonly storedGb: number;
}

export interface VariableUnitCost {
  /** What one unit is, e.g. `1,000 uploads`. */
  readonly unit: string;
  readonly unitPriceUsd: number;
  /** How the figure is made up. */
  readonly note: string;
}

export interface ScenarioLine {
  readonly what: string;
  readonly quantity: number;
  readonly unit: string;
  readonly unitPriceUsd: number;
  readonly monthlyUsd: number;
}

export interface ScenarioCost {
  readonly name: string;
  readonly description: string;
  readonly usage: Usage;
  readonly lines: ScenarioLine[];
  readonly variableMonthlyUsd: number;
  readonly totalMonthlyUsd: number;
}

/** Assumptions of the usage model; each is stated in docs/cost.md. */
export const ASSUMPTIONS = {
  /** Thumbnails on a full gallery page (web.py PAGE_SIZE), each fetched by the browser (no cache hit: worst case). */
  thumbnailsPerPage: 24,
  averageImageMb: 2,
  thumbnailKb: 30,
  htmlPageKb: 8,
  /** Log bytes per HTTP request: one nginx access line + one JSON app line. */
  logBytesPerRequest: 1000,
  /** Flow-log records per TCP connection: 2 directions × 2 ENIs (client side + target side). */
  flowRecordsPerConnection: 4,
  flowRecordBytes: 130,
  /** S3 Bucket Keys cut KMS calls from S3 by "up to 99%" (S3 user guide, bucket-key.html): we take 99%. */
  bucketKeyKmsFraction: 0.01,
  /** Average days in a month, to turn retention days into months of storage. */
  daysPerMonth: 30.4,
} as const;

/**
 * S3 and KMS calls per user action, as the app makes them:
 * - upload (≤ 8 MiB, one PUT): PUT original + PUT thumbnail; then the 303 to the gallery: list_page (LIST),
 *   find_upload_key (LIST), original_name (HEAD), and the browser fetches the page's thumbnails (GET each).
 * - gallery page: list_page (LIST) + one GET per thumbnail.
 * - full-size view: /view/<id> find_upload_key (LIST) + /images/<key> (GET).
 * Every GET of an SSE-KMS object is a KMS Decrypt and every PUT a GenerateDataKey (without Bucket Keys); LIST and
 * HEAD need no KMS call.
 */
export function requestsOf(usage: Usage) {
  const thumbs = ASSUMPTIONS.thumbnailsPerPage;
  const puts = usage.uploads * 2;
  const lists = usage.uploads * 2 + usage.galleryViews + usage.fullViews;
  const gets = (usage.uploads + usage.galleryViews) * thumbs + usage.fullViews;
  const heads = usage.uploads;
  const httpRequests =
    usage.uploads * (3 + thumbs) + // form page, POST /upload, gallery, thumbnails
    usage.galleryViews * (1 + thumbs) +
    usage.fullViews * 2;
  const pageViews = usage.uploads * 2 + usage.galleryViews + usage.fullViews;
  const outGb =
    ((usage.uploads * 2 + usage.galleryViews) * ASSUMPTIONS.htmlPageKb +
      (usage.uploads + usage.galleryViews) * thumbs * ASSUMPTIONS.thumbnailKb) /
      1e6 +
    (usage.fullViews * ASSUMPTIONS.averageImageMb) / 1e3;
  const inGb = (usage.uploads * ASSUMPTIONS.averageImageMb) / 1e3;
  return { puts, lists, gets, heads, kmsCalls: puts + gets, httpRequests, pageViews, outGb, inGb };
}

function line(what: string, quantity: number, unit: string, unitPriceUsd: number): ScenarioLine {
  return {
    what,
    quantity: Number(quantity.toPrecision(6)),
    unit,
    unitPriceUsd,
    monthlyUsd: quantity * unitPriceUsd,
  };
}

/** Usage lines of one month; fixed costs are not included. */
export function usageLines(
  facts: UsageFacts,
  prices: RegionPrices,
  hours: number,
  usage: Usage,
): ScenarioLine[] {
  const r = requestsOf(usage);
  const p = (key: string) => prices.usd(key);
  const kmsFraction = facts.bucketKeys ? ASSUMPTIONS.bucketKeyKmsFraction : 1;
  const logGb = (r.httpRequests * ASSUMPTIONS.logBytesPerRequest) / 1e9;
  const storageMonths = facts.logRetentionDays / ASSUMPTIONS.daysPerMonth;
  const healthChecks = facts.instances * facts.albAzs * ((hours * 3600) / facts.healthCheckIntervalSeconds);
  const connections = healthChecks + r.pageViews * 2; // client→ALB and ALB→instance per page view
  const flowGb = facts.flowLogsAcceptedTraffic
    ? (connections * ASSUMPTIONS.flowRecordsPerConnection * ASSUMPTIONS.flowRecordBytes) / 1e9
    : 0;
  const albGb = r.outGb + r.inGb;
  const extraLcuHours = Math.max(0, albGb - 1 * hours); // bytes dimension: 1 LCU = 1 GB/h; 1 LCU is fixed
  const lines = [
    line("S3 Standard storage", usage.storedGb, "GB-month", p("s3.standard.gbMonth")),
    line("S3 PUT + LIST requests", r.puts + r.lists, "request", p("s3.put.per1k") / 1000),
    line("S3 GET + HEAD requests", r.gets + r.heads, "request", p("s3.get.per1k") / 1000),
    line(
      `KMS requests made by S3 (${facts.bucketKeys ? "Bucket Keys on: 1%" : "no Bucket Keys"})`,
      r.kmsCalls * kmsFraction,
      "request",
      p("kms.requests.per10k") / 10000,
    ),
    line("data transfer out to the internet", r.outGb, "GB", p("dataTransfer.internetOut.gb")),
    line("ALB LCU-hours above the fixed baseline", extraLcuHours, "LCU-hour", p("elb.alb.lcuHour")),
    line("CloudWatch Logs ingestion (app + nginx)", logGb, "GB", p("cloudwatch.logs.ingestGb")),
    line(
      `CloudWatch Logs storage (${facts.logRetentionDays} d retention, steady state)`,
      (logGb + flowGb) * storageMonths,
      "GB-month",
      p("cloudwatch.logs.storageGbMonth"),
    ),
    line("VPC flow logs (vended) ingestion", flowGb, "GB", p("cloudwatch.logs.vendedGb")),
  ];
  return [...lines, ...optionalLines(facts, prices, r.httpRequests, logGb)];
}

/** Lines of what only some stacks have: interface endpoints (the logs they carry) and WAF. */
function optionalLines(
  facts: UsageFacts,
  prices: RegionPrices,
  httpRequests: number,
  logGb: number,
): ScenarioLine[] {
  const p = (key: string) => prices.usd(key);
  const lines: ScenarioLine[] = [];
  if (facts.interfaceEndpoints > 0) {
    lines.push(line("interface endpoint data (logs shipped)", logGb, "GB", p("vpc.interfaceEndpoint.gb")));
  }
  if (facts.wafWebAcls > 0) {
    lines.push(
      line(
        "WAF requests inspected",
        httpRequests * facts.wafWebAcls,
        "request",
        p("waf.requests.perMillion") / 1e6,
      ),
    );
    lines.push(
      line(
        "WAF logs (vended, 1 KB/request)",
        (httpRequests * 1000) / 1e9,
        "GB",
        p("cloudwatch.logs.vendedGb"),
      ),
    );
  }
  return lines;
}

export const total = (lines: ScenarioLine[]) => lines.reduce((sum, l) => sum + l.monthlyUsd, 0);
export const round = (n: number) => Math.round(n * 10000) / 10000;

/** The three usage scenarios; assumptions are in their descriptions. */
export const SCENARIOS: readonly { name: string; description: string; usage: Usage }[] = [
  {
    name: "small",
    description: "1,000 uploads, 10,000 gallery pages, 5,000 full views a month; 10 GB stored",
    usage: { uploads: 1_000, galleryViews: 10_000, fullViews: 5_000, storedGb: 10 },
  },
  {
    name: "medium",
    description: "20,000 uploads, 200,000 gallery pages, 100,000 full views a month; 100 GB stored",
    usage: { uploads: 20_000, galleryViews: 200_000, fullViews: 100_000, storedGb: 100 },
  },
  {
    name: "large",
    description: "200,000 uploads, 2,000,000 gallery pages, 1,000,000 full views a month; 1,000 GB stored",
    usage: { uploads: 200_000, galleryViews: 2_000_000, fullViews: 1_000_000, storedGb: 1_000 },
  },
];

export function scenarioCosts(
  facts: UsageFacts,
  prices: RegionPrices,
  hours: number,
  fixedMonthlyUsd: number,
): ScenarioCost[] {
  return SCENARIOS.map(({ name, description, usage }) => {
    const lines = usageLines(facts, prices, hours, usage).map((l) => ({
      ...l,
      monthlyUsd: round(l.monthlyUsd),
    }));
    const variableMonthlyUsd = round(total(lines));
    return {
      name,
      description,
      usage,
      lines,
      variableMonthlyUsd,
      totalMonthlyUsd: round(fixedMonthlyUsd + variableMonthlyUsd),
    };
  });
}
