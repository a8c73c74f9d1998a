import { readFileSync } from "fs";
import { estimateStacks } from "../../shared/cost/estimate";
import { compareStacks } from "../../shared/cost/compare";
import { SynthesizedStackFile } from "../../shared/synthesized";
import { CHART_PATH, DOCS, expectedFiles, fillBlocks } from "../../tools/cost-docs";
import { synthProject } from "../../test-support/synth";

const read = (path: string) => readFileSync(path, "utf8");
const guide = read("docs/variants.md");

describe("make cost-chart keeps the chart and the docs' figures in step with the estimator", () => {
  const expected = expectedFiles();

  test.each([CHART_PATH, ...DOCS])(
    "%s is what make cost-chart writes now (else: run make cost-chart)",
    (path) => {
      expect(read(path) === expected[path]).toBe(true);
    },
  );

  test("the chart is the same bytes on a second run, and an SVG with a bar per compute and profile", () => {
    expect(expectedFiles()[CHART_PATH]).toBe(expected[CHART_PATH]);
    const svg = expected[CHART_PATH];
    expect(svg.startsWith("<svg xmlns=")).toBe(true);
    for (const label of [
      "Elastic Beanstalk dev",
      "Elastic Beanstalk prod",
      "EKS dev (on paper)",
      "EKS prod (on paper)",
    ]) {
      expect(svg).toContain(`>${label}</text>`);
    }
  });

  test("a block without a generator fails instead of keeping stale text", () => {
    expect(() => fillBlocks("<!-- gen:nothing:begin -->\nold\n<!-- gen:nothing:end -->", {})).toThrow(
      /no generated block named nothing/,
    );
  });
});

describe("docs/variants.md, the decision guide", () => {
  test("quotes every built stack's fixed monthly cost as make cost's comparison computes it", () => {
    const stacks = Object.entries(synthProject()).map(([name, json]) => ({
      name,
      json: json as SynthesizedStackFile["json"],
    }));
    const columns = compareStacks(stacks, estimateStacks(stacks));
    expect(columns.length).toBeGreaterThan(0);
    for (const column of columns) {
      expect(guide).toContain(`(\`${column.stack}\`): fixed **$${column.fixedMonthlyUsd.toFixed(2)}/month**`);
      expect(guide).toContain(`$${column.per1000.uploads} per 1,000 uploads`);
    }
  });

  test("has one section per compute, each with time, cost, maintenance, limits, security and failure modes", () => {
    const sections = guide.split(/^## /m).slice(1);
    for (const title of ["Elastic Beanstalk", "ECS on Fargate", "EC2 Auto Scaling", "EKS (on paper"]) {
      const section = sections.find((s) => s.startsWith(title));
      expect([title, section !== undefined]).toEqual([title, true]);
      const topics =
        title === "EKS (on paper"
          ? ["What a private cluster needs", "The estimate", "Maintenance", "Why not built here"]
          : ["Time to build", "Time to deploy", "Maintenance", "Limits", "Security posture", "Failure modes"];
      for (const topic of topics) expect([title, section!.includes(`**${topic}`)]).toEqual([title, true]);
      expect(section).toMatch(/<!-- gen:figures-[a-z0-9]+:begin/);
    }
    expect(guide).toMatch(/^## Choose this when\n\n\| compute \| choose it when \| avoid it when \|/m);
  });

  test("the deploy time it quotes is the one README measured", () => {
    const readme = read("README.md");
    const quoted = /applied (\d+) resources in (\d+) s against the emulator/.exec(guide);
    expect(quoted).not.toBeNull();
    expect(readme).toContain(`app-dev ${quoted![1]} in ${quoted![2]} s`);
  });
});
