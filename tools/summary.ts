/** `make demo` summary: what each synthesized stack contains, its security claims and its fixed cost. */
import { readSynthesizedStacks, resourceCounts, SynthesizedStackFile } from "../shared/synthesized";
import { fixedMonthlyLine } from "./cost";
import { estimateStack } from "../shared/cost/estimate";
import { securityLines } from "./security-summary";
import { computeKindOf } from "../shared/cost/compare";

/** The fixed monthly figure of a stack, or why it could not be estimated (the demo goes on either way). */
export function fixedCostLine(stack: SynthesizedStackFile): string {
  try {
    return fixedMonthlyLine(estimateStack(stack), computeKindOf(stack));
  } catch (error) {
    return `${stack.name}: no cost estimate: ${(error as Error).message}`;
  }
}

export function summarize(stacks: SynthesizedStackFile[]): string {
  const lines: string[] = [];
  for (const stack of stacks) {
    const counts = resourceCounts(stack);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    lines.push(`${stack.name}: ${total} resources`);
    for (const [type, count] of Object.entries(counts).sort())
      lines.push(`  ${String(count).padStart(3)}  ${type}`);
  }
  lines.push("Security (checked on the synthesized JSON; `make test` proves each claim in depth)");
  for (const stack of stacks.filter((s) => s.name.startsWith("app-"))) {
    lines.push(...securityLines(stack.name, stack.json).map((line) => `  ${line}`));
  }
  lines.push("Fixed monthly cost (make cost for the breakdown, usage and scenarios)");
  for (const stack of stacks) lines.push(`  ${fixedCostLine(stack)}`);
  lines.push("  every compute side by side: make cost (docs/cost.md); which to choose: docs/variants.md");
  return lines.join("\n");
}

if (require.main === module) {
  console.log(summarize(readSynthesizedStacks(process.argv[2])));
}
