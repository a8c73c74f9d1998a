import { execFileSync } from "child_process";
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
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
  test("cdktf synth needs no terraform binary: only the CLI's version probes look for one", () => {
    const outdir = mkdtempSync(join(tmpdir(), "synth-"));
    // The only `terraform` left on the PATH is a tripwire that records who called it and fails like a missing
    // binary, so a call whose failure is swallowed is caught too.
    const tripwireDir = mkdtempSync(join(tmpdir(), "tripwire-"));
    const calls = join(tripwireDir, "calls");
    const tripwire = join(tripwireDir, "terraform");
    writeFileSync(tripwire, `#!/bin/sh\necho "$* <- $(ps -o args= -p $PPID)" >> "${calls}"\nexit 127\n`);
    chmodSync(tripwire, 0o755);
    try {
      const env = {
        ...process.env,
        PATH: [tripwireDir, pathWithoutTerraform()].join(delimiter),
        CHECKPOINT_DISABLE: "1",
      };
      expect(execFileSync("which", ["-a", "terraform"], { env, encoding: "utf8" }).trim()).toBe(tripwire);
      execFileSync(join("node_modules", ".bin", "cdktf"), ["synth", "--output", outdir], {
        env,
        stdio: "pipe",
      });
      for (const stack of ["state", "app-dev", "app-prod"]) {
        const file = join(outdir, "stacks", stack, "cdk.tf.json");
        expect(existsSync(file)).toBe(true);
        expect(JSON.parse(readFileSync(file, "utf8")).terraform.required_providers.aws).toBeDefined();
      }
      // cdktf-cli asks `terraform version` for its debug information and carries on without an answer; the app
      // (main.ts, run by ts-node) never calls terraform at all.
      const recorded = existsSync(calls) ? readFileSync(calls, "utf8").trim().split("\n") : [];
      for (const call of recorded) expect(call).toMatch(/^(version -json|-v) <- node \S*cdktf synth /);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
      rmSync(tripwireDir, { recursive: true, force: true });
    }
  });

  test("eslint rejects importing @cdktf/provider-aws from its root or its lib barrel, and accepts a path", () => {
    const lint = (source: string): { status: number; output: string } => {
      try {
        const output = execFileSync(
          join("node_modules", ".bin", "eslint"),
          ["--stdin", "--stdin-filename", join("constructs", "probe.ts")],
          { input: source, stdio: "pipe", encoding: "utf8" },
        );
        return { status: 0, output };
      } catch (error) {
        const failed = error as { status: number; stdout: string };
        return { status: failed.status, output: failed.stdout };
      }
    };
    for (const barrel of ["@cdktf/provider-aws", "@cdktf/provider-aws/lib"]) {
      const result = lint(`import { vpc } from "${barrel}";\nexport const used = vpc;\n`);
      expect({ barrel, ...result }).toEqual({
        barrel,
        status: 1,
        output: expect.stringContaining("no-restricted-imports"),
      });
    }
    expect(lint(`import { Vpc } from "@cdktf/provider-aws/lib/vpc";\nexport const used = Vpc;\n`)).toEqual({
      status: 0,
      output: "",
    });
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
