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

/** The mission's requirements, as the table words them: each must keep a row. */
const MISSION = [
  "every resource created as code",
  "least-privilege security groups",
  "least-privilege NACLs",
  "least-privilege IAM",
  "SSE-KMS on the images bucket, our key only",
  "block all public access",
  "no 0.0.0.0/0 to an IGW or NAT on the compute route tables",
];

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/**
 * A jest test (or describe) title, or the `name:` of a row in a table-driven test, that starts with `name` (a title
 * may add detail after it) in a .ts file; a pytest function in a .py file: not just any mention.
 */
function declaresTest(source: string, file: string, name: string): boolean {
  const pattern = file.endsWith(".py")
    ? new RegExp(`^\\s*def ${escape(name)}\\(`, "m")
    : new RegExp(`(\\b(test|it|describe)(\\.each\\([^)]*\\))?\\(\\s*|\\bname: )["'\`]${escape(name)}`);
  return pattern.test(source);
}

describe("README requirement-to-evidence table", () => {
  test("lists every requirement of the mission", () => {
    expect(rows.map((r) => r.requirement)).toEqual(expect.arrayContaining(MISSION));
  });

  test("matches test declarations, not mere mentions", () => {
    expect(declaresTest('test("a b", () => {', "x.test.ts", "a b")).toBe(true);
    expect(declaresTest('  name: "a b",', "x.test.ts", "a b")).toBe(true);
    expect(declaresTest('// see "a b"', "x.test.ts", "a b")).toBe(false);
    expect(declaresTest("def test_x(tmp_path):", "test_x.py", "test_x")).toBe(true);
    expect(declaresTest("    test_x_y()", "test_x.py", "test_x")).toBe(false);
  });

  test.each(rows.map((r) => [r.requirement, r] as const))(
    "%s: the named test exists",
    (_requirement, row) => {
      expect(row.file).toBeDefined();
      expect(row.test).toBeDefined();
      const file = join(root, row.file!);
      expect(existsSync(file)).toBe(true);
      expect(declaresTest(readFileSync(file, "utf8"), row.file!, row.test!)).toBe(true);
    },
  );
});
