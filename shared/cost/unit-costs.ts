/**
 * The variable part of `make cost`: the marginal price of 1,000 of each user action and of each metered unit, from
 * the same usage model as the scenarios (shared/cost/usage-cost.ts).
 */
import { RegionPrices } from "./price-table";
import {
  ASSUMPTIONS,
  Usage,
  UsageFacts,
  VariableUnitCost,
  requestsOf,
  round,
  total,
  usageLines,
} from "./usage-cost";

const NO_USAGE: Usage = { uploads: 0, galleryViews: 0, fullViews: 0, storedGb: 0 };

/** The price of each metered unit (storage, transfer, KMS, logs, endpoints). */
function meteredUnitCosts(facts: UsageFacts, prices: RegionPrices): VariableUnitCost[] {
  const kmsPrice = prices.usd("kms.requests.per10k") / 10000;
  const kmsPer1000 = (calls: number) => round(calls * kmsPrice);
  const uploadCalls = requestsOf({ ...NO_USAGE, uploads: 1000 }).kmsCalls;
  return [
    { unit: "GB stored a month", unitPriceUsd: prices.usd("s3.standard.gbMonth"), note: "S3 Standard" },
    {
      unit: "GB served",
      unitPriceUsd: prices.usd("dataTransfer.internetOut.gb"),
      note: "data transfer out to the internet (first 10 TB tier; the 100 GB/month free tier not applied)",
    },
    {
      unit: "1,000 uploads: KMS without Bucket Keys",
      unitPriceUsd: kmsPer1000(uploadCalls),
      note: `${uploadCalls} KMS calls (1 per PUT and per object GET)`,
    },
    {
      unit: "1,000 uploads: KMS with Bucket Keys",
      unitPriceUsd: kmsPer1000(uploadCalls * ASSUMPTIONS.bucketKeyKmsFraction),
      note: `99% fewer calls; this stack: Bucket Keys ${facts.bucketKeys ? "on" : "off"}`,
    },
    {
      unit: "GB of logs",
      unitPriceUsd: round(
        prices.usd("cloudwatch.logs.ingestGb") +
          (facts.interfaceEndpoints > 0 ? prices.usd("vpc.interfaceEndpoint.gb") : 0) +
          (prices.usd("cloudwatch.logs.storageGbMonth") * facts.logRetentionDays) / ASSUMPTIONS.daysPerMonth,
      ),
      note: `ingestion + logs-endpoint processing + ${facts.logRetentionDays} days of storage`,
    },
    {
      unit: "GB through interface endpoints",
      unitPriceUsd: prices.usd("vpc.interfaceEndpoint.gb"),
      note: "data processed (first 1 PB)",
    },
    {
      unit: "GB of flow logs",
      unitPriceUsd: prices.usd("cloudwatch.logs.vendedGb"),
      note: "vended-log ingestion into CloudWatch Logs",
    },
  ];
}

/** Marginal cost of 1,000 of each user action and of each metered unit, from the same model as the scenarios. */
export function variableUnitCosts(
  facts: UsageFacts,
  prices: RegionPrices,
  hours: number,
): VariableUnitCost[] {
  const idle = { ...facts, instances: 0 }; // health checks are the same whatever the traffic
  const marginal = (usage: Partial<Usage>) =>
    round(total(usageLines(idle, prices, hours, { ...NO_USAGE, ...usage })));
  const units: VariableUnitCost[] = [
    {
      unit: "1,000 uploads",
      unitPriceUsd: marginal({ uploads: 1000 }),
      note: "2 PUT + 2 LIST + 1 HEAD + 24 thumbnail GET each, KMS, logs, transfer out (storage not included)",
    },
    {
      unit: "1,000 gallery pages",
      unitPriceUsd: marginal({ galleryViews: 1000 }),
      note: `1 LIST + ${ASSUMPTIONS.thumbnailsPerPage} thumbnail GET each (no browser cache), KMS, logs, ${
        ASSUMPTIONS.thumbnailsPerPage * ASSUMPTIONS.thumbnailKb + ASSUMPTIONS.htmlPageKb
      } KB out each`,
    },
    {
      unit: "1,000 full-size views",
      unitPriceUsd: marginal({ fullViews: 1000 }),
      note: `1 LIST + 1 GET each, KMS, logs, ${ASSUMPTIONS.averageImageMb} MB out each`,
    },
    ...meteredUnitCosts(facts, prices),
  ];
  if (facts.wafWebAcls > 0) {
    units.push({
      unit: "1,000,000 requests through WAF",
      unitPriceUsd: prices.usd("waf.requests.perMillion"),
      note: "per web ACL",
    });
  }
  return units;
}
