import { judgeNpmAudit, judgePipAudit } from "../../tools/audit";

const npmReport = (vulnerabilities: Record<string, number>) =>
  JSON.stringify({ auditReportVersion: 2, metadata: { vulnerabilities } });

describe("npm audit verdict", () => {
  test("a high or critical advisory fails", () => {
    expect(judgeNpmAudit(npmReport({ low: 3, high: 1, critical: 0, total: 4 })).status).toBe("vulnerable");
    expect(judgeNpmAudit(npmReport({ critical: 1, total: 1 })).status).toBe("vulnerable");
  });

  test("low and moderate advisories are reported, not fatal", () => {
    const outcome = judgeNpmAudit(npmReport({ low: 2, moderate: 1, high: 0, critical: 0, total: 3 }));
    expect(outcome).toEqual({ status: "clean", summary: "npm: 2 low, 1 moderate, 0 high, 0 critical" });
  });

  test("report-only mode never fails", () => {
    expect(judgeNpmAudit(npmReport({ critical: 5, total: 5 }), []).status).toBe("clean");
  });

  test("an endpoint error is 'unreachable', not clean", () => {
    const outcome = judgeNpmAudit(
      JSON.stringify({ message: "405 Method Not Allowed - POST .../advisories/bulk" }),
    );
    expect(outcome.status).toBe("unreachable");
    expect(outcome.summary).toContain("405");
  });
});

describe("pip-audit verdict", () => {
  const dep = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    version: "1.0",
    vulns: [],
    ...extra,
  });

  test("any known vulnerability fails and names the fix", () => {
    const outcome = judgePipAudit(
      JSON.stringify({
        dependencies: [dep("flask"), dep("pillow", { vulns: [{ id: "GHSA-x", fix_versions: ["1.1"] }] })],
      }),
    );
    expect(outcome).toEqual({ status: "vulnerable", summary: "pip: pillow 1.0: GHSA-x (fix 1.1)" });
  });

  test("no vulnerability is clean", () => {
    expect(judgePipAudit(JSON.stringify({ dependencies: [dep("flask"), dep("boto3")] })).status).toBe(
      "clean",
    );
  });

  test("every dependency skipped means the service was unreachable", () => {
    const skipped = { name: "flask", version: "3.1", skip_reason: "Dependency not found on PyPI" };
    expect(judgePipAudit(JSON.stringify({ dependencies: [skipped] })).status).toBe("unreachable");
  });
});
