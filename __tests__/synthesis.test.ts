import { execFileSync } from "child_process";
import {
  accessSync,
  constants,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from "fs";
import { tmpdir } from "os";
import { delimiter, join } from "path";

/** PATH without any directory that holds a terraform binary. */
function pathWithoutTerraform(): string {
  return (process.env.PATH ?? "")
    .split(delimiter)
    .filter((dir) => {
      try {
        accessSync(join(dir, "terraform"), constants.X_OK);
        return false;
      } catch {
        return true;
      }
    })
    .join(delimiter);
}

/** Every TypeScript source of the project, outside dependencies and build output. */
function sources(dir = "."): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (["node_modules", "cdktf.out", "app", ".git", "coverage"].includes(name)) return [];
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

describe("synthesis", () => {
  test("cdktf synth needs no terraform binary", () => {
    const outdir = mkdtempSync(join(tmpdir(), "synth-"));
    try {
      const env = { ...process.env, PATH: pathWithoutTerraform(), CHECKPOINT_DISABLE: "1" };
      expect(() => execFileSync("which", ["terraform"], { env, stdio: "pipe" })).toThrow();
      execFileSync(join("node_modules", ".bin", "cdktf"), ["synth", "--output", outdir], {
        env,
        stdio: "pipe",
      });
      for (const stack of ["state", "app-dev", "app-prod"]) {
        const file = join(outdir, "stacks", stack, "cdk.tf.json");
        expect(existsSync(file)).toBe(true);
        expect(JSON.parse(readFileSync(file, "utf8")).terraform.required_providers.aws).toBeDefined();
      }
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  test("no source imports @cdktf/provider-aws from its package root", () => {
    const offenders = sources().filter((file) =>
      /from\s+["']@cdktf\/provider-aws(\/lib(\/index)?)?["']|require\(["']@cdktf\/provider-aws["']\)/.test(
        readFileSync(file, "utf8"),
      ),
    );
    expect(offenders).toEqual([]);
    expect(sources().length).toBeGreaterThan(10);
  });
});
