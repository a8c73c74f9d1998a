/** Reads the stacks that `cdktf synth` wrote; shared by the project tools (summary, cost). */
import { existsSync, readdirSync, readFileSync } from "fs";
import { join } from "path";

export type SynthesizedResources = Record<string, Record<string, Record<string, unknown>>>;

export interface SynthesizedStackFile {
  name: string;
  json: {
    resource?: SynthesizedResources;
    data?: SynthesizedResources;
    output?: Record<string, { value: unknown }>;
  };
}

/** Every stack under `<outdir>/stacks`, sorted by name; fails with a hint when nothing was synthesized. */
export function readSynthesizedStacks(outdir = "cdktf.out"): SynthesizedStackFile[] {
  const stacksDir = join(outdir, "stacks");
  if (!existsSync(stacksDir)) throw new Error(`${stacksDir} does not exist: run \`make synth\` first`);
  return readdirSync(stacksDir)
    .filter((name) => existsSync(join(stacksDir, name, "cdk.tf.json")))
    .sort()
    .map((name) => ({ name, json: JSON.parse(readFileSync(join(stacksDir, name, "cdk.tf.json"), "utf8")) }));
}

/** Number of resources of each type in one stack. */
export function resourceCounts(stack: SynthesizedStackFile): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [type, byName] of Object.entries(stack.json.resource ?? {}))
    counts[type] = Object.keys(byName).length;
  return counts;
}
