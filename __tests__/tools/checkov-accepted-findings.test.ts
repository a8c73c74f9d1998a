/**
 * Guards tools/checkov/accepted-findings.json, the only place where a checkov finding may be accepted: each entry
 * names one resource, gives a reason, never touches a core control, and names the test of ours that covers the
 * property when checkov cannot see it.
 */
import { existsSync, readFileSync } from "fs";
import { join } from "path";
import { projectConfig } from "../../config/environments";
import { appStackName } from "../../stacks/app-stack";
import { loadAcceptedFindings } from "../../tools/checkov/gate";

const root = join(__dirname, "../..");
const findings = loadAcceptedFindings(root).accepted;
const stackNames = [...projectConfig.environments.map(appStackName), "state"];

/** Never accepted, for any resource: IAM wildcards/escalation/exposure, public access, rotation, flow logs,
 * default SG, public IPs, ALB header dropping and logging, managed updates, DynamoDB backup and encryption,
 * SG/NACL admin ports, KMS key policies, log-group encryption. */
const CORE = [
  ...["CKV_AWS_1", "CKV_AWS_40", "CKV_AWS_49", "CKV_AWS_62", "CKV_AWS_63", "CKV_AWS_107", "CKV_AWS_108"],
  ...[
    "CKV_AWS_109",
    "CKV_AWS_110",
    "CKV_AWS_111",
    "CKV_AWS_286",
    "CKV_AWS_287",
    "CKV_AWS_288",
    "CKV_AWS_289",
  ],
  ...["CKV_AWS_290", "CKV_AWS_355", "CKV_AWS_356", "CKV2_AWS_40", "CKV_AWS_33", "CKV_AWS_227"],
  ...["CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56", "CKV2_AWS_6", "CKV_AWS_19", "CKV_AWS_93"],
  ...["CKV_AWS_7", "CKV2_AWS_11", "CKV2_AWS_12", "CKV_AWS_88", "CKV_AWS_130", "CKV_AWS_131", "CKV_AWS_91"],
  ...["CKV_AWS_340", "CKV_AWS_28", "CKV_AWS_119", "CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_277", "CKV_AWS_229"],
  ...[
    "CKV_AWS_230",
    "CKV_AWS_231",
    "CKV_AWS_232",
    "CKV_AWS_158",
    "CKV_AWS_66",
    "CKV_AWS_79",
    "CKV_AWS_8",
    "CKV_AWS_21",
  ],
];
/** Accepted only for a named resource AWS forces the choice on, and only with a test of ours covering it. */
const NEEDS_OWN_TEST = ["CKV_AWS_145", "CKV_AWS_260", "CKV_AWS_2", "CKV_AWS_103", "CKV_AWS_312"];

describe("checkov accepted findings", () => {
  test("each entry names its stacks, one resource and gives a reason of a sentence or more", () => {
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      expect(f.stacks.length).toBeGreaterThan(0);
      for (const stack of f.stacks) expect(stackNames).toContain(stack);
      expect(f.resource).toMatch(/^(aws_[a-z0-9_]+|resource|data)\.[A-Za-z0-9_-]+$/);
      expect(f.check_ids.length).toBeGreaterThan(0);
      expect((f.reason ?? "").length).toBeGreaterThanOrEqual(40);
    }
  });

  test("no core control is ever accepted", () => {
    const core = findings.flatMap((f) =>
      f.check_ids.filter((id) => CORE.includes(id)).map((id) => `${f.resource} ${id}`),
    );
    expect(core).toEqual([]);
  });

  test("checks checkov cannot judge here name the test of ours that covers the property, and that test exists", () => {
    for (const f of findings) {
      if (f.check_ids.some((id) => NEEDS_OWN_TEST.includes(id))) expect(f.coveredBy).toBeDefined();
      if (!f.coveredBy) continue;
      const file = join(root, f.coveredBy.file);
      expect(existsSync(file)).toBe(true);
      expect(readFileSync(file, "utf8")).toContain(f.coveredBy.test);
    }
  });
});
