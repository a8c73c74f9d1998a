import { readFileSync } from "fs";
import { parse } from "yaml";

interface Step {
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
    expect(diff.steps.some((s) => s.run?.includes("cdktf diff ${{ matrix.stack }}"))).toBe(true);
    expect(diff.steps.some((s) => s.uses?.startsWith("actions/github-script"))).toBe(true);
  });

  test("main deploys behind a protected environment after the tests", () => {
    const deploy = workflow.jobs.deploy;
    expect(deploy.if).toContain("refs/heads/main");
    expect(deploy.needs).toBe("test");
    expect(deploy.environment).toBe("${{ matrix.stack }}");
    expect(deploy.steps.some((s) => s.run?.includes("cdktf deploy ${{ matrix.stack }}"))).toBe(true);
  });
});
