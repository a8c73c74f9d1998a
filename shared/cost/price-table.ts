/** The versioned price table (shared/cost/prices.json) and lookups that fail loudly when a price is missing. */
import { readFileSync } from "fs";
import { join } from "path";

/** One list price: where it applies, what it is per, when and where it was read. */
export interface PriceEntry {
  readonly region: string;
  /** Dotted name, e.g. `vpc.interfaceEndpoint.hour` or `ec2.t4g.small.hour`. */
  readonly key: string;
  readonly usd: number;
  /** What one unit is, e.g. `endpoint-AZ-hour`. */
  readonly unit: string;
  /** ISO date the price was read. */
  readonly date: string;
  /** AWS pricing page the price comes from. */
  readonly source: string;
  /** How the figure was checked when the page alone does not show it (price-list usage type, SKU, who read it). */
  readonly evidence?: string;
}

export interface PriceTable {
  /** Date-stamped version of the whole table. */
  readonly version: string;
  readonly currency: string;
  /** Hours billed in an average month (AWS calculators use 730). */
  readonly hoursPerMonth: number;
  readonly method: string;
  readonly entries: readonly PriceEntry[];
}

export const PRICE_TABLE_PATH = join(__dirname, "prices.json");

export function loadPriceTable(path = PRICE_TABLE_PATH): PriceTable {
  return JSON.parse(readFileSync(path, "utf8")) as PriceTable;
}

/** Prices of one region; every lookup of a missing price throws with the key, the region and the file to edit. */
export class RegionPrices {
  private readonly byKey = new Map<string, PriceEntry>();

  constructor(
    readonly table: PriceTable,
    readonly region: string,
  ) {
    for (const entry of table.entries) if (entry.region === region) this.byKey.set(entry.key, entry);
    if (this.byKey.size === 0) {
      const known = [...new Set(table.entries.map((e) => e.region))].sort().join(", ");
      throw new Error(
        `No prices for region ${region} in shared/cost/prices.json (it has: ${known}). ` +
          `Add that region's entries (key, usd, unit, date, source) before estimating a stack there.`,
      );
    }
  }

  /** The entry for `key`; throws when the table has none for this region. */
  entry(key: string): PriceEntry {
    const entry = this.byKey.get(key);
    if (!entry) throw new Error(`No price "${key}" for region ${this.region} in shared/cost/prices.json`);
    return entry;
  }

  usd(key: string): number {
    return this.entry(key).usd;
  }

  /** Latest `date` among this region's entries: the date the estimate's prices were read. */
  get priceDate(): string {
    return [...this.byKey.values()].map((e) => e.date).sort()[this.byKey.size - 1];
  }
}
