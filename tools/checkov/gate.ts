/**
 * `make checkov`: judges checkov's JSON report (`checkov -o json`, read from stdin) against
 * tools/checkov/accepted-findings.json and the synthesized stacks, and prints an honest summary.
 *
 * Why not checkov's own `--baseline`: checkov 3.3.30 matches a baseline entry on the resource name and check id
 * only, ignoring the entry's "file" (checkov/common/output/baseline.py, `_is_check_in_baseline`), so a dev-only
 * acceptance would hide the same finding in prod; and with a baseline it keeps only the passed checks that are in
 * the baseline, so its summary read "Passed checks: 4". Here an acceptance holds for one stack file only.
 *
 * Fails when: a finding is not accepted for that file; an acceptance no longer matches a finding (stale); a
 * stack was not scanned; a resource of a type checkov has checks for, or one that runs the app's compute (found
 * through the seam, shared/synthesized/compute.ts, which throws for a compute it does not know), got no result (a
 * parsing regression would otherwise look green); checkov reports parsing errors.
 */
import { readFileSync } from "fs";
import { join } from "path";
import { computeOf, readSynthesizedStacks, SynthesizedStackFile } from "../../shared/synthesized";

/** One check result as checkov's JSON output lists it. */
export interface CheckovRecord {
  readonly check_id: string;
  readonly check_name?: string;
  /** Relative to the scanned directory: `/stacks/<stack>/cdk.tf.json`. */
  readonly file_path: string;
  /** `type.name`, or `resource.name` for some terraform_json checks. */
  readonly resource: string;
}

export interface CheckovReport {
  readonly check_type: string;
  readonly results: {
    readonly passed_checks: CheckovRecord[];
    readonly failed_checks: CheckovRecord[];
    readonly skipped_checks: CheckovRecord[];
    readonly parsing_errors: string[];
  };
}

export interface AcceptedFinding {
  /** Stack names (directories under cdktf.out/stacks) the acceptance holds for; no other stack. */
  readonly stacks: string[];
  readonly resource: string;
  readonly check_ids: string[];
  readonly reason: string;
  /** Our test that covers the property when checkov cannot see it. */
  readonly coveredBy?: { readonly file: string; readonly test: string };
}

export interface AcceptedFindings {
  readonly accepted: AcceptedFinding[];
}

/**
 * Resource types checkov 3.3.30 has checks for in these stacks: each synthesized resource of these types must get
 * at least one result, or checkov did not really read the stack.
 */
export const MUST_BE_SCANNED = [
  "aws_s3_bucket",
  "aws_kms_key",
  "aws_security_group",
  "aws_security_group_rule",
  "aws_vpc_security_group_ingress_rule",
  "aws_vpc_security_group_egress_rule",
  "aws_network_acl",
  "aws_iam_role",
  "aws_iam_role_policy",
  "aws_lb",
  "aws_lb_listener",
  "aws_vpc",
  "aws_subnet",
  "aws_route_table",
  "aws_cloudwatch_log_group",
  "aws_dynamodb_table",
  "aws_elastic_beanstalk_environment",
  "aws_wafv2_web_acl",
];

export interface GateResult {
  readonly passed: number;
  readonly accepted: CheckovRecord[];
  readonly failed: CheckovRecord[];
  /** `file resource check_id` of acceptances that matched no finding. */
  readonly stale: string[];
  /** Per stack file: resources with at least one result / resources synthesized. */
  readonly scanned: { file: string; checked: number; synthesized: number }[];
  /** `file address` of resources of a MUST_BE_SCANNED type without any result, and stacks not scanned at all. */
  readonly unscanned: string[];
  readonly parsingErrors: string[];
}

export const stackFile = (stack: string): string => `/stacks/${stack}/cdk.tf.json`;
const nameOf = (resource: string): string => resource.slice(resource.indexOf(".") + 1);

/** Whether `record` is accepted for its own file (never for another stack's file). */
export function isAccepted(record: CheckovRecord, accepted: AcceptedFindings): boolean {
  return accepted.accepted.some(
    (a) =>
      a.stacks.map(stackFile).includes(record.file_path) &&
      a.resource === record.resource &&
      a.check_ids.includes(record.check_id),
  );
}

export function judge(
  reports: CheckovReport[],
  accepted: AcceptedFindings,
  stacks: SynthesizedStackFile[],
): GateResult {
  const all = (k: "passed_checks" | "failed_checks" | "skipped_checks"): CheckovRecord[] =>
    reports.flatMap((r) => r.results[k]);
  const failedAll = [...all("failed_checks"), ...all("skipped_checks")];
  const stale = accepted.accepted.flatMap((a) =>
    a.stacks.flatMap((stack) =>
      a.check_ids
        .filter(
          (id) =>
            !failedAll.some(
              (r) => r.file_path === stackFile(stack) && r.resource === a.resource && r.check_id === id,
            ),
        )
        .map((id) => `${stackFile(stack)} ${a.resource} ${id}`),
    ),
  );
  const results = [...all("passed_checks"), ...failedAll];
  const scanned: GateResult["scanned"] = [];
  const unscanned: string[] = [];
  for (const stack of stacks) {
    const file = stackFile(stack.name);
    const checkedNames = new Set(results.filter((r) => r.file_path === file).map((r) => nameOf(r.resource)));
    const addresses = Object.entries(stack.json.resource ?? {}).flatMap(([type, byName]) =>
      Object.keys(byName).map((name) => ({ type, name })),
    );
    scanned.push({
      file,
      checked: addresses.filter((a) => checkedNames.has(a.name)).length,
      synthesized: addresses.length,
    });
    if (checkedNames.size === 0) unscanned.push(`${file} (no result at all)`);
    const runtime = computeOf(stack.json)?.runtime ?? [];
    for (const a of addresses) {
      const mustBeScanned = MUST_BE_SCANNED.includes(a.type) || runtime.includes(`${a.type}.${a.name}`);
      if (mustBeScanned && !checkedNames.has(a.name)) unscanned.push(`${file} ${a.type}.${a.name}`);
    }
  }
  return {
    passed: all("passed_checks").length,
    accepted: failedAll.filter((r) => isAccepted(r, accepted)),
    failed: failedAll.filter((r) => !isAccepted(r, accepted)),
    stale,
    scanned,
    unscanned,
    parsingErrors: reports.flatMap((r) => r.results.parsing_errors),
  };
}

export const gatePasses = (g: GateResult): boolean =>
  g.failed.length === 0 && g.stale.length === 0 && g.unscanned.length === 0 && g.parsingErrors.length === 0;

export function formatGate(g: GateResult): string {
  const lines = [
    `checkov: ${g.passed} checks passed, ${g.accepted.length} failed but accepted ` +
      `(tools/checkov/accepted-findings.json), ${g.failed.length} failed.`,
    ...g.scanned.map((s) => `  ${s.file}: ${s.checked} of ${s.synthesized} resources got at least one check`),
  ];
  const list = (title: string, items: string[]): void => {
    if (items.length) lines.push(title, ...items.map((i) => `  ${i}`));
  };
  list(
    "FAILED (fix it, or accept it for this file with a reason):",
    g.failed.map((r) => `${r.file_path} ${r.resource} ${r.check_id} ${r.check_name ?? ""}`.trimEnd()),
  );
  list("STALE acceptances (no longer failing: remove them):", g.stale);
  list("NOT SCANNED (checkov did not read these; a parsing regression?):", g.unscanned);
  list("PARSING ERRORS:", g.parsingErrors);
  return lines.join("\n");
}

/** checkov prints one report object, or a list when several frameworks ran. */
export function parseCheckovOutput(text: string): CheckovReport[] {
  const parsed = JSON.parse(text) as CheckovReport | CheckovReport[];
  return Array.isArray(parsed) ? parsed : [parsed];
}

export function loadAcceptedFindings(root = "."): AcceptedFindings {
  return JSON.parse(
    readFileSync(join(root, "tools/checkov/accepted-findings.json"), "utf8"),
  ) as AcceptedFindings;
}

if (require.main === module) {
  let reports: CheckovReport[];
  try {
    reports = parseCheckovOutput(readFileSync(0, "utf8"));
  } catch (e) {
    console.error(`checkov did not print a JSON report on stdout: ${(e as Error).message}`);
    process.exit(1);
  }
  const result = judge(reports, loadAcceptedFindings(), readSynthesizedStacks());
  console.log(formatGate(result));
  process.exit(gatePasses(result) ? 0 : 1);
}
