import { readFileSync } from "fs";
import { estimateStack } from "../../shared/cost/estimate";
import { SynthesizedStackFile } from "../../shared/synthesized";
import { synthProject } from "../../test-support/synth";

/** `stack → fixed total` as pasted from `make cost` into docs/cost.md. */
function documentedFixedTotals(markdown: string): Record<string, string> {
  const totals: Record<string, string> = {};
  for (const [, stack, total] of markdown.matchAll(
    /^== ([a-z0-9-]+) \([\s\S]*?TOTAL fixed\s+(\$[\d,]+\.\d{2})/gm,
  )) {
    totals[stack] = total;
  }
  return totals;
}

describe("docs/cost.md quotes what make cost computes", () => {
  const documented = documentedFixedTotals(readFileSync("docs/cost.md", "utf8"));
  const stacks = synthProject();

  test("every stack's fixed total in the doc matches the current stacks (else: run make cost, paste the output)", () => {
    expect(Object.keys(documented).sort()).toEqual(Object.keys(stacks).sort());
    for (const [name, json] of Object.entries(stacks)) {
      const estimate = estimateStack({ name, json: json as SynthesizedStackFile["json"] });
      expect([name, documented[name]]).toEqual([name, `$${estimate.fixedMonthlyUsd.toFixed(2)}`]);
    }
  });
});
