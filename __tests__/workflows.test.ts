import { readFileSync } from "fs";
import { parse } from "yaml";

interface Step {
  name?: string;
  if?: string;
  shell?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface Job {
  if?: string;
  needs?: string;
  environment?: string;
  permissions?: Record<string, string>;
  strategy?: { matrix: { stack: string[] } };
  steps: Step[];
}

const workflow = parse(readFileSync(".github/workflows/infrastructure.yml", "utf8")) as {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
};

describe("GitHub workflow for users of the repo", () => {
  test("runs on pull requests and on pushes to main, read-only by default", () => {
    expect(Object.keys(workflow.on).sort()).toEqual(["pull_request", "push"]);
    expect(workflow.permissions).toEqual({ contents: "read" });
  });

  test("every pull request runs make test", () => {
    const makeTest = workflow.jobs.test.steps.find((s) => s.run === "make test");
    expect(makeTest?.env).toEqual({ AUDIT_REQUIRED: "1" });
  });

  test("pull requests diff every app stack with OIDC credentials and post the plan", () => {
    const diff = workflow.jobs.diff;
    expect(diff.if).toContain("pull_request");
    expect(diff.permissions).toMatchObject({ "id-token": "write", "pull-requests": "write" });
    expect(diff.strategy?.matrix.stack).toEqual(["app-dev", "app-prod"]);
    const credentials = diff.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials"));
    expect(credentials?.with?.["role-to-assume"]).toBe("${{ vars.AWS_DEPLOY_ROLE_ARN }}");
    const plan = diff.steps.find((s) => s.name === "cdktf diff");
    expect(plan?.run).toBe("scripts/pr-diff.sh ${{ matrix.stack }}");
    const post = diff.steps.find((s) => s.uses?.startsWith("actions/github-script"));
    expect(post?.if).toContain("!cancelled()");
  });

  test("the PR diff script fails a failed plan and keeps it in plan.txt; make e2e runs the same script", () => {
    const script = readFileSync("scripts/pr-diff.sh", "utf8");
    // Without pipefail a failed plan would pass through `tee`.
    expect(script).toMatch(/^set -euo pipefail$/m);
    expect(script).toMatch(
      /npx cdktf diff "\$stack" --no-color "\$@" 2>&1 \| tee "\$\{PLAN_FILE:-plan.txt\}"/,
    );
    expect(readFileSync("tools/e2e/run.sh", "utf8")).toContain('scripts/pr-diff.sh "$APP_STACK"');
  });

  test("every job sets up the Node.js of .nvmrc (the LTS that make pins in tools/node.mk)", () => {
    for (const job of Object.values(workflow.jobs)) {
      const setup = job.steps.filter((s) => s.uses?.startsWith("actions/setup-node"));
      expect(setup).toHaveLength(1);
      expect(setup[0].with).toMatchObject({ "node-version-file": ".nvmrc" });
      expect(setup[0].with?.["node-version"]).toBeUndefined();
    }
  });

  test("the test job has terraform for make e2e", () => {
    expect(workflow.jobs.test.steps.some((s) => s.uses?.startsWith("hashicorp/setup-terraform"))).toBe(true);
  });

  test("main deploys behind a protected environment after the tests", () => {
    const deploy = workflow.jobs.deploy;
    expect(deploy.if).toContain("refs/heads/main");
    expect(deploy.needs).toBe("test");
    expect(deploy.environment).toBe("${{ matrix.stack }}");
    expect(deploy.steps.some((s) => s.run?.includes("cdktf deploy ${{ matrix.stack }}"))).toBe(true);
  });
});

describe(".ci/run", () => {
  const script = readFileSync(".ci/run", "utf8");
  const lines = script.split("\n").map((l) => l.trim());

  test("is strict bash and ends with make test", () => {
    expect(lines[0]).toBe("#!/usr/bin/env bash");
    expect(lines).toContain("set -euo pipefail");
    expect(lines.filter((l) => l && !l.startsWith("#")).at(-1)).toBe("make test");
  });

  test("installs missing system packages non-interactively, after apt-get update", () => {
    const update = lines.findIndex((l) => l.includes("apt-get update"));
    const install = lines.findIndex((l) => l.includes("apt-get install"));
    expect(update).toBeGreaterThan(-1);
    expect(install).toBeGreaterThan(update);
    expect(lines[install]).toContain("DEBIAN_FRONTEND=noninteractive");
    expect(lines[install]).toContain("-y");
  });

  test("make test runs every check, e2e included, and does not need the bench tools (wrk)", () => {
    const makefile = readFileSync("Makefile", "utf8");
    // Prerequisites, then the targets its recipe runs through $(MAKE) (app-test, e2e and e2e-faults side by side).
    const [, prerequisites, recipe] = /^test:([^#\n]*)[^\n]*\n((?:\t[^\n]*\n)*)/m.exec(makefile) ?? [];
    const submake = [...(recipe ?? "").matchAll(/^\t\$\(MAKE\)([^\n]*)$/gm)].flatMap(([, args]) =>
      args
        .trim()
        .split(/\s+/)
        .filter((word) => /^[a-z][a-z0-9-]*$/.test(word)),
    );
    const targets = [...(prerequisites ?? "").trim().split(/\s+/), ...submake];
    expect(targets).toEqual(
      expect.arrayContaining([
        "lint",
        "typecheck",
        "unit",
        "synth",
        "checkov",
        "audit",
        "app-test",
        "e2e",
        "e2e-faults",
      ]),
    );
    expect(targets).not.toContain("bench");
  });
});
