import { spawnSync } from "child_process";
import { fakePath } from "../../test-support/fake-path";

/** make doctor's script, as tools/doctor.mk runs it, on a PATH of our choosing. */
const doctor = (path: string) => {
  const run = spawnSync("tools/doctor.sh", {
    encoding: "utf8",
    env: {
      ...process.env,
      PATH: path,
      NODE_HOME: "/nonexistent/node-home",
      NODE_VERSION: process.versions.node,
      NODE_NPM_VERSION: "11.19.1",
      USE_MACHINE_NODE: "",
    },
  });
  const lines = Object.fromEntries(
    run.stdout
      .split("\n")
      .filter(Boolean)
      .map((l) => [l.slice(0, 15).trim(), l.slice(16).trim()]),
  );
  return { status: run.status, lines, stdout: run.stdout };
};

describe("make doctor", () => {
  test("prints one line for each tool the project uses", () => {
    const { lines } = doctor(fakePath([], { terraform: 'echo "Terraform v1.11.4"' }));
    for (const tool of [
      "node",
      "npm",
      "c++",
      "terraform",
      "aws provider",
      "python",
      "checkov",
      "moto",
      "chromium",
    ])
      expect(Object.keys(lines)).toContain(tool);
    for (const tool of ["skopeo", "umoci", "mmdebstrap", "docker-registry"])
      expect(Object.keys(lines)).toContain(tool);
    expect(lines.terraform).toMatch(/^ok +1\.11\.4/);
  });

  test("a PATH without terraform fails, naming what is missing and how to get it", () => {
    const { status, lines, stdout } = doctor(fakePath(["terraform"]));
    expect(status).toBe(1);
    expect(lines.terraform).toMatch(/^MISSING .*install Terraform >= 1\.10/);
    expect(stdout).toContain("make test cannot run here");
  });

  test("a terraform older than 1.10 fails", () => {
    const { status, lines } = doctor(fakePath([], { terraform: 'echo "Terraform v1.9.8"' }));
    expect(status).toBe(1);
    expect(lines.terraform).toMatch(/^MISSING +1\.9\.8 is older than 1\.10/);
  });

  test("a node of another major is not a failure: make installs the pinned one, and says so", () => {
    const { lines } = doctor(
      fakePath(["node"], { node: "echo v20.20.2", terraform: 'echo "Terraform v1.11.4"' }),
    );
    expect(lines.node).toMatch(/^(todo .*make node|MISSING .*nvm install)/);
  });
});
