/**
 * The folder boundaries of eslint.config.mjs fire: each forbidden import is reported where it is written, and the
 * imports the layering allows are not. Among them: compute folders never import one another, policy modules never
 * import constructs, main.ts reaches config/ and stacks/ only. ESLint runs in a child process (its flat config is an ES module, which
 * jest's module system cannot load).
 */
import { execFileSync } from "child_process";
import { join } from "path";

const root = join(__dirname, "..");

interface Probe {
  readonly file: string;
  readonly from: string;
}

/** The no-restricted-imports messages ESLint gives each probe, `import { x } from "<from>"` written in `file`. */
function restrictedImportMessages(probes: readonly Probe[]): string[][] {
  const script = `
    const { ESLint } = require("eslint");
    (async () => {
      const eslint = new ESLint({ cwd: process.cwd() });
      const out = [];
      for (const { file, from } of JSON.parse(process.argv[1])) {
        const source = "import { x } from " + JSON.stringify(from) + ";\\nexport const used = x;\\n";
        const [result] = await eslint.lintText(source, { filePath: file });
        out.push(result.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message));
      }
      process.stdout.write(JSON.stringify(out));
    })().catch((error) => { console.error(error); process.exit(2); });`;
  const output = execFileSync(process.execPath, ["-e", script, JSON.stringify(probes)], {
    cwd: root,
    encoding: "utf8",
  });
  return JSON.parse(output) as string[][];
}

const FORBIDDEN: Probe[] = [
  { file: "constructs/probe.ts", from: "../config" },
  { file: "constructs/probe.ts", from: "../config/types" },
  { file: "constructs/probe.ts", from: "../stacks/app-stack" },
  { file: "constructs/probe.ts", from: "../tools/cost" },
  { file: "constructs/probe.ts", from: "../test-support/synth" },
  { file: "constructs/probe.ts", from: "../main" },
  { file: "constructs/policies/probe.ts", from: "../../config/validate" },
  { file: "stacks/probe.ts", from: "../tools/cost" },
  { file: "stacks/probe.ts", from: "../test-support/synth" },
  { file: "stacks/probe.ts", from: "@cdktf/provider-aws" },
  { file: "tools/probe.ts", from: "../test-support/synth" },
  { file: "tools/checkov/probe.ts", from: "../../test-support/concrete-values" },
  { file: "config/probe.ts", from: "../constructs/network" },
  { file: "shared/probe.ts", from: "../config" },
  // Compute folders never import one another.
  { file: "constructs/compute/beanstalk/probe.ts", from: "../fargate" },
  { file: "constructs/compute/beanstalk/probe.ts", from: "../ec2/policies" },
  { file: "constructs/compute/fargate/probe.ts", from: "../beanstalk/beanstalk" },
  { file: "constructs/compute/ec2/probe.ts", from: "../../compute/fargate/endpoints" },
  // Policy modules never import constructs (nor the constructs library, nor a provider resource).
  { file: "constructs/policies/probe.ts", from: "../storage/encryption-key" },
  { file: "constructs/policies/probe.ts", from: "../compute/seam" },
  { file: "constructs/policies/probe.ts", from: "constructs" },
  { file: "constructs/policies/probe.ts", from: "@cdktf/provider-aws/lib/iam-role" },
  { file: "constructs/compute/beanstalk/policies.ts", from: "./beanstalk" },
  { file: "constructs/compute/beanstalk/endpoints.ts", from: "../../network/endpoints" },
  { file: "constructs/compute/fargate/policies.ts", from: "../seam" },
  // main.ts builds the stacks; it never reaches past them.
  { file: "main.ts", from: "./constructs/network/network" },
  { file: "main.ts", from: "./shared/synthesized" },
  { file: "main.ts", from: "./tools/cost" },
];

const ALLOWED: Probe[] = [
  { file: "constructs/probe.ts", from: "../shared/types" },
  { file: "constructs/probe.ts", from: "./policies/document" },
  { file: "constructs/policies/probe.ts", from: "./document" },
  { file: "stacks/probe.ts", from: "../config" },
  { file: "stacks/probe.ts", from: "../constructs/network" },
  { file: "tools/probe.ts", from: "../shared/synthesized" },
  { file: "stacks/probe.ts", from: "../shared/cost/estimate" },
  { file: "tools/probe.ts", from: "../constructs/policies/document" },
  { file: "config/probe.ts", from: "../shared/cidr" },
  { file: "test-support/probe.ts", from: "../shared/synthesized" },
  { file: "__tests__/probe.test.ts", from: "../test-support/synth" },
  { file: "constructs/compute/beanstalk/probe.ts", from: "../seam" },
  { file: "constructs/compute/beanstalk/probe.ts", from: "../../network/security-group-rules" },
  { file: "constructs/compute/fargate/probe.ts", from: "../../../shared/compute-config" },
  { file: "constructs/policies/probe.ts", from: "./json-text" },
  { file: "constructs/policies/probe.ts", from: "../../shared/policy-document" },
  { file: "constructs/policies/probe.ts", from: "cdktf" },
  { file: "constructs/compute/beanstalk/endpoints.ts", from: "./policies" },
  { file: "constructs/compute/beanstalk/endpoints.ts", from: "../../policies/vpc-endpoints" },
  { file: "constructs/compute/ec2/policies.ts", from: "../../../shared/app-contract" },
  { file: "stacks/probe.ts", from: "../constructs/compute/beanstalk" },
  { file: "main.ts", from: "./config" },
  { file: "main.ts", from: "./stacks/app-stack" },
];

test("eslint reports every import across a folder boundary, and none that the layering allows", () => {
  const messages = restrictedImportMessages([...FORBIDDEN, ...ALLOWED]);
  const verdicts = [...FORBIDDEN, ...ALLOWED].map((probe, i) => ({
    ...probe,
    reported: messages[i].length > 0,
  }));
  expect(verdicts).toEqual([
    ...FORBIDDEN.map((probe) => ({ ...probe, reported: true })),
    ...ALLOWED.map((probe) => ({ ...probe, reported: false })),
  ]);
  expect(messages[0]).toEqual([expect.stringContaining("must not import config/")]);
  const message = (file: string, from: string) =>
    messages[FORBIDDEN.findIndex((p) => p.file === file && p.from === from)];
  expect(message("constructs/compute/beanstalk/probe.ts", "../fargate")).toEqual([
    expect.stringContaining("must not import another compute's folder"),
  ]);
  expect(message("constructs/policies/probe.ts", "constructs")).toEqual([
    expect.stringContaining("A policy module imports only policy modules and shared/"),
  ]);
  expect(message("main.ts", "./tools/cost")).toEqual([expect.stringContaining("main.ts imports config/")]);
});
