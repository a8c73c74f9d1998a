/**
 * How two synthesized output directories differ, stack by stack, as JSON paths; the `//` metadata blocks (which name
 * the tool that synthesized them) are ignored. Used by tools/e2e/cdktn-check.sh.
 * Usage: ts-node tools/e2e/compare-synth.ts OUT_A OUT_B
 */
import * as fs from "fs";
import * as path from "path";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Leaf values by dotted path, without `//` blocks. */
export function flatten(value: Json, prefix = "", into: Record<string, Json> = {}): Record<string, Json> {
  if (value !== null && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      if (key !== "//") flatten(child, prefix ? `${prefix}.${key}` : key, into);
    }
  } else {
    into[prefix] = value;
  }
  return into;
}

/** `path: before -> after` for every leaf that differs. */
export function differences(before: Json, after: Json): string[] {
  const left = flatten(before);
  const right = flatten(after);
  const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
  return keys
    .filter((k) => JSON.stringify(left[k]) !== JSON.stringify(right[k]))
    .map((k) => `${k}: ${JSON.stringify(left[k])} -> ${JSON.stringify(right[k])}`);
}

if (require.main === module) {
  const [a, b] = process.argv.slice(2);
  const read = (dir: string, stack: string): Json =>
    JSON.parse(fs.readFileSync(path.join(dir, "stacks", stack, "cdk.tf.json"), "utf8")) as Json;
  for (const stack of fs.readdirSync(path.join(a, "stacks")).sort()) {
    const changed = differences(read(a, stack), read(b, stack));
    console.log(`${stack}: ${changed.length} values differ`);
    for (const line of changed) console.log(`  ${line}`);
  }
}
