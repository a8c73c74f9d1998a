import { summarize } from "../../tools/summary";
import { synthProject } from "../../test-support/synth";

describe("make demo's summary", () => {
  test("names each app stack's compute next to its fixed cost, and points at the comparison", () => {
    const stacks = synthProject();
    const text = summarize(Object.entries(stacks).map(([name, json]) => ({ name, json })));
    for (const name of Object.keys(stacks).filter((n) => n.startsWith("app-"))) {
      expect(text).toMatch(
        new RegExp(`^ {2}${name} \\((beanstalk|fargate|ec2)\\): fixed \\$[\\d.]+/month`, "m"),
      );
    }
    expect(text).toMatch(/^ {2}state: fixed \$[\d.]+\/month/m);
    expect(text).toContain("docs/variants.md");
  });
});
