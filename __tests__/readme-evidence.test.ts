/** The README's "Requirements and evidence" table must name test files and test names that exist. */
import { existsSync, readFileSync } from "fs";
import { join } from "path";

const root = join(__dirname, "..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const section = readme.split(/^## Requirements and evidence$/m)[1]?.split(/^## /m)[0] ?? "";
const rows = section
  .split("\n")
  .filter((line) => line.startsWith("| ") && !line.startsWith("| requirement") && !line.startsWith("|---"))
  .map((line) => {
    const [requirement, evidence] = line.split(" | ").map((cell) => cell.replace(/^\| |\s*\|$/g, ""));
    const match = /^`([^`]+)`: (.+)$/.exec(evidence ?? "");
    return { requirement, file: match?.[1], test: match?.[2] };
  });

describe("README requirement-to-evidence table", () => {
  test("lists the mission's requirements", () => {
    expect(rows.length).toBeGreaterThanOrEqual(20);
    for (const requirement of ["least-privilege IAM", "block all public access", "key rotation", "IMDSv2"])
      expect(rows.map((r) => r.requirement)).toContain(requirement);
  });

  test.each(rows.map((r) => [r.requirement, r] as const))(
    "%s: the named test exists",
    (_requirement, row) => {
      expect(row.file).toBeDefined();
      expect(row.test).toBeDefined();
      const file = join(root, row.file!);
      expect(existsSync(file)).toBe(true);
      expect(readFileSync(file, "utf8")).toContain(row.test!);
    },
  );
});
