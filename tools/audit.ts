/**
 * `make audit`: known vulnerabilities in the npm dependencies (npm audit) and in the app's locked Python
 * dependencies (pip-audit on app/requirements.lock). Fails on a high or critical npm advisory in a runtime
 * dependency and on any known Python vulnerability (PyPI advisories carry no severity). Both need their
 * vulnerability service: when it cannot be reached the check says so and is skipped, unless AUDIT_REQUIRED=1.
 */
import { spawnSync } from "child_process";

export type AuditOutcome =
  | { status: "clean"; summary: string }
  | { status: "vulnerable"; summary: string }
  | { status: "unreachable"; summary: string };

/** npm audit --json: `metadata.vulnerabilities` counts by severity, or `error` when the endpoint failed. */
export function judgeNpmAudit(json: string, failOn: readonly string[] = ["high", "critical"]): AuditOutcome {
  let report: {
    message?: string;
    error?: { summary?: string; code?: string };
    metadata?: { vulnerabilities?: Record<string, number> };
  };
  try {
    report = JSON.parse(json);
  } catch {
    return { status: "unreachable", summary: `npm audit printed no report: ${json.slice(0, 200)}` };
  }
  if (report.error || !report.metadata?.vulnerabilities) {
    return {
      status: "unreachable",
      summary: `npm audit endpoint failed: ${report.error?.summary || report.error?.code || report.message || "no metadata"}`,
    };
  }
  const counts = report.metadata.vulnerabilities;
  const listed = Object.entries(counts)
    .filter(([severity]) => severity !== "total")
    .map(([severity, n]) => `${n} ${severity}`)
    .join(", ");
  const failing = failOn.reduce((n, severity) => n + (counts[severity] ?? 0), 0);
  return failing > 0
    ? { status: "vulnerable", summary: `npm: ${listed} (fails on ${failOn.join("/")})` }
    : { status: "clean", summary: `npm: ${listed}` };
}

interface PipAuditReport {
  dependencies: {
    name: string;
    version: string;
    vulns?: { id: string; fix_versions?: string[] }[];
    skip_reason?: string;
  }[];
}

/** pip-audit --format json: every dependency skipped means the vulnerability service was not reachable. */
export function judgePipAudit(json: string): AuditOutcome {
  let report: PipAuditReport;
  try {
    report = JSON.parse(json) as PipAuditReport;
  } catch {
    return { status: "unreachable", summary: `pip-audit printed no report: ${json.slice(0, 200)}` };
  }
  const audited = report.dependencies.filter((d) => d.skip_reason === undefined);
  if (audited.length === 0) {
    return {
      status: "unreachable",
      summary: "pip-audit could not look up any dependency (vulnerability service)",
    };
  }
  const vulnerable = audited.filter((d) => (d.vulns ?? []).length > 0);
  const skipped = report.dependencies.length - audited.length;
  const tail = skipped > 0 ? `, ${skipped} could not be looked up` : "";
  if (vulnerable.length === 0)
    return { status: "clean", summary: `pip: ${audited.length} packages, none vulnerable${tail}` };
  const detail = vulnerable
    .map(
      (d) =>
        `${d.name} ${d.version}: ${(d.vulns ?? []).map((v) => `${v.id} (fix ${v.fix_versions?.join("/") || "none"})`).join(", ")}`,
    )
    .join("; ");
  return { status: "vulnerable", summary: `pip: ${detail}${tail}` };
}

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: "utf8", timeout: 300_000 });
  return result.stdout || result.stderr || String(result.error ?? "");
}

if (require.main === module) {
  const [pipAudit, lockFile] = process.argv.slice(2);
  const required = process.env.AUDIT_REQUIRED === "1";
  const outcomes: [string, AuditOutcome][] = [
    ["npm runtime dependencies", judgeNpmAudit(run("npm", ["audit", "--json", "--omit=dev"]))],
    // Dev tooling (cdktf-cli, jest, eslint) runs only on developer and CI machines, and cdktf-cli is archived:
    // its advisories are reported, not fatal.
    ["npm dev dependencies (report only)", judgeNpmAudit(run("npm", ["audit", "--json"]), [])],
    [
      `python ${lockFile}`,
      judgePipAudit(
        run(pipAudit, [
          "--format",
          "json",
          "--progress-spinner",
          "off",
          "--disable-pip",
          "--require-hashes",
          "-r",
          lockFile,
        ]),
      ),
    ],
  ];
  let failed = false;
  for (const [what, outcome] of outcomes) {
    console.log(`audit ${what}: ${outcome.status.toUpperCase()}: ${outcome.summary}`);
    if (outcome.status === "vulnerable" || (outcome.status === "unreachable" && required)) failed = true;
  }
  if (outcomes.some(([, o]) => o.status === "unreachable") && !required) {
    console.log(
      "audit: a vulnerability service was unreachable and was skipped (AUDIT_REQUIRED=1 makes that fatal)",
    );
  }
  process.exit(failed ? 1 : 0);
}
