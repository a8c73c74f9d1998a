/** tools/checkov/gate.ts: acceptances hold per stack, stale ones and unscanned resources fail the gate. */
import { SynthesizedStackFile } from "../../shared/synthesized";
import {
  CheckovRecord,
  CheckovReport,
  gatePasses,
  isAccepted,
  judge,
  loadAcceptedFindings,
  parseCheckovOutput,
  stackFile,
} from "../../tools/checkov/gate";

const accepted = loadAcceptedFindings();
const record = (stack: string, resource: string, check_id: string): CheckovRecord => ({
  file_path: stackFile(stack),
  resource,
  check_id,
});
const report = (failed: CheckovRecord[], passed: CheckovRecord[] = []): CheckovReport => ({
  check_type: "terraform_json",
  results: { passed_checks: passed, failed_checks: failed, skipped_checks: [], parsing_errors: [] },
});
const stack = (name: string, resource: SynthesizedStackFile["json"]["resource"]): SynthesizedStackFile => ({
  name,
  json: { resource },
});
const ALB = "aws_lb.load-balancer_alb_15AADC07";

describe("checkov gate", () => {
  test("an acceptance for dev does not hide the same finding in prod", () => {
    // No WAF in dev is accepted; prod without WAF (CKV2_AWS_28) must fail.
    expect(isAccepted(record("app-dev", ALB, "CKV2_AWS_28"), accepted)).toBe(true);
    expect(isAccepted(record("app-prod", ALB, "CKV2_AWS_28"), accepted)).toBe(false);
    const devOnly = accepted.accepted.filter((a) => !a.stacks.includes("app-prod"));
    expect(devOnly.length).toBeGreaterThan(0);
    for (const a of devOnly)
      for (const id of a.check_ids)
        expect(isAccepted(record("app-prod", a.resource, id), accepted)).toBe(false);
  });

  test("fails on an unaccepted finding and names it", () => {
    const prodNoWaf = record("app-prod", ALB, "CKV2_AWS_28");
    const result = judge([report([prodNoWaf])], { accepted: [] }, []);
    expect(result.failed).toEqual([prodNoWaf]);
    expect(gatePasses(result)).toBe(false);
  });

  test("fails on an acceptance that no longer matches a finding", () => {
    const result = judge(
      [report([])],
      { accepted: [{ stacks: ["app-dev"], resource: ALB, check_ids: ["CKV2_AWS_28"], reason: "x" }] },
      [],
    );
    expect(result.stale).toEqual([`/stacks/app-dev/cdk.tf.json ${ALB} CKV2_AWS_28`]);
    expect(gatePasses(result)).toBe(false);
  });

  test("fails when checkov gave no result for a stack or a resource type it has checks for", () => {
    const synthesized = [
      stack("app-dev", { aws_s3_bucket: { images: {}, logs: {} }, aws_route_table_association: { a: {} } }),
      stack("app-prod", { aws_s3_bucket: { images: {} } }),
    ];
    const result = judge(
      [report([], [record("app-dev", "aws_s3_bucket.images", "CKV_AWS_21")])],
      { accepted: [] },
      synthesized,
    );
    expect(result.unscanned).toEqual([
      "/stacks/app-dev/cdk.tf.json aws_s3_bucket.logs",
      "/stacks/app-prod/cdk.tf.json (no result at all)",
      "/stacks/app-prod/cdk.tf.json aws_s3_bucket.images",
    ]);
    expect(result.scanned[0]).toEqual({ file: "/stacks/app-dev/cdk.tf.json", checked: 1, synthesized: 3 });
    expect(gatePasses(result)).toBe(false);
  });

  test("passes with every finding accepted for its stack and every resource scanned, counting all passes", () => {
    const synthesized = [stack("app-dev", { aws_lb: { "load-balancer_alb_15AADC07": {} } })];
    const passed = [record("app-dev", ALB, "CKV_AWS_91"), record("app-dev", ALB, "CKV_AWS_131")];
    const result = judge([report([record("app-dev", ALB, "CKV2_AWS_28")], passed)], accepted, synthesized);
    expect(result.failed).toEqual([]);
    expect(result.passed).toBe(2);
    expect(result.accepted).toHaveLength(1);
    expect(result.unscanned).toEqual([]);
  });

  test("reads checkov's single report or list of reports, and refuses anything else", () => {
    expect(parseCheckovOutput(JSON.stringify(report([])))).toHaveLength(1);
    expect(parseCheckovOutput(JSON.stringify([report([]), report([])]))).toHaveLength(2);
    expect(() => parseCheckovOutput("Traceback (most recent call last):")).toThrow();
  });
});
