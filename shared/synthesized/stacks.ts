/** Synthesized stacks on disk, the resources inside one, and their policy documents. */
import { existsSync, readdirSync, readFileSync } from "fs";
import { join } from "path";
import type { PolicyDocument } from "../policy-document";

export type Resource = Record<string, unknown>;

export interface SynthesizedStack {
  resource?: Record<string, Record<string, Resource>>;
  data?: Record<string, Record<string, Resource>>;
  output?: Record<string, { value: unknown }>;
  locals?: Record<string, unknown>;
  terraform?: Record<string, unknown>;
  provider?: Record<string, unknown[]>;
}

export interface SynthesizedStackFile {
  name: string;
  json: SynthesizedStack;
}

/** All resources of one type, keyed by their logical name. */
export function resourcesOf(stack: SynthesizedStack, type: string): Record<string, Resource> {
  return stack.resource?.[type] ?? {};
}

/** Normalizes an Action/Resource field (or any one-or-many value) to an array. */
export function asList<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
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

/** Parses a JSON policy string (or takes a policy document already parsed) and checks its shape. */
export function parsePolicy(policy: unknown): PolicyDocument {
  if (typeof policy !== "string" && (typeof policy !== "object" || policy === null)) {
    throw new Error(`policy is not a JSON string: ${JSON.stringify(policy)}`);
  }
  const document = (typeof policy === "string" ? JSON.parse(policy) : policy) as PolicyDocument;
  if (document.Version !== "2012-10-17" || !Array.isArray(document.Statement)) {
    throw new Error(`not a policy document: ${JSON.stringify(policy).slice(0, 200)}`);
  }
  return document;
}
