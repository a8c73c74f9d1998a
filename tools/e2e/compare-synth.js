// Prints how two synthesized cdktf.out directories differ, stack by stack, as JSON paths (ignoring the "//"
// metadata blocks, which name the tool). Usage: node compare-synth.js OUT_A OUT_B
const fs = require("fs");
const path = require("path");

function flatten(value, prefix, into) {
  if (value && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      if (key === "//") continue;
      flatten(child, prefix ? `${prefix}.${key}` : key, into);
    }
  } else {
    into[prefix] = value;
  }
  return into;
}

const [a, b] = process.argv.slice(2);
const stacks = fs.readdirSync(path.join(a, "stacks")).sort();
for (const stack of stacks) {
  const read = (dir) => JSON.parse(fs.readFileSync(path.join(dir, "stacks", stack, "cdk.tf.json"), "utf8"));
  const left = flatten(read(a), "", {});
  const right = flatten(read(b), "", {});
  const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
  const changed = keys.filter((k) => JSON.stringify(left[k]) !== JSON.stringify(right[k]));
  console.log(`${stack}: ${changed.length} of ${keys.length} values differ`);
  for (const key of changed) {
    console.log(`  ${key}: ${JSON.stringify(left[key])} -> ${JSON.stringify(right[key])}`);
  }
}
