/** `make demo` summary: what each synthesized stack contains. */
import { readSynthesizedStacks, resourceCounts, SynthesizedStackFile } from "./synthesized";

export function summarize(stacks: SynthesizedStackFile[]): string {
  const lines: string[] = [];
  for (const stack of stacks) {
    const counts = resourceCounts(stack);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    lines.push(`${stack.name}: ${total} resources`);
    for (const [type, count] of Object.entries(counts).sort())
      lines.push(`  ${String(count).padStart(3)}  ${type}`);
  }
  return lines.join("\n");
}

if (require.main === module) {
  console.log(summarize(readSynthesizedStacks(process.argv[2])));
}
