import * as fs from "fs";
import * as path from "path";
import {
  INSTANCE_LAYOUT,
  fillTemplate,
  renderSocket,
  renderUnit,
  renderUserData,
} from "../../../../constructs/compute/ec2/user-data";

const PROPS = {
  al2023Release: "2023.9.20251208",
  region: "eu-west-1",
  bundle: { bucket: "imageshare-dev-ec2-artifacts", key: "ec2-bundles/abc.tar", sha256: "ab".repeat(32) },
  appPort: 8000,
  logGroupName: "/imageshare/dev-ec2/app",
  appEnvironment: { AWS_REGION: "eu-west-1", IMAGES_BUCKET: "imageshare-dev-ec2-images" },
};
const script = renderUserData(PROPS);
const unit = renderUnit();
const socket = renderSocket(8000);
const directives = (name: string) =>
  unit
    .split("\n")
    .filter((line) => line.startsWith(`${name}=`))
    .map((line) => line.slice(name.length + 1));

describe("the boot script", () => {
  test("every placeholder is filled, and nothing Terraform would read as a template", () => {
    expect(script).not.toMatch(/@@[A-Z0-9_]+@@/);
    expect(script).not.toContain("${");
    expect(script).not.toContain("%{");
    // EC2 user data is at most 16 KB before base64 (EC2 user guide, "Run commands when you launch an instance").
    expect(Buffer.byteLength(script)).toBeLessThan(16 * 1024);
  });

  test("installs Python 3.11 and the CloudWatch agent from the AL2023 repositories at the pinned release", () => {
    expect(script).toContain("readonly AL2023_RELEASE='2023.9.20251208'");
    expect(script).toMatch(
      /dnf --assumeyes --releasever="\$AL2023_RELEASE" install python3.11 python3.11-pip amazon-cloudwatch-agent/,
    );
  });

  test("fetches the bundle and refuses it unless its SHA-256 is the one synthesis computed", () => {
    expect(script).toContain(`readonly BUNDLE_SHA256='${"ab".repeat(32)}'`);
    expect(script).toContain("readonly BUNDLE_KEY='ec2-bundles/abc.tar'");
    expect(script).toMatch(/aws s3api get-object .*--bucket "\$BUNDLE_BUCKET" --key "\$BUNDLE_KEY"/);
    expect(script).toContain("sha256sum --check --strict --quiet -");
    expect(script).toMatch(/^set -euo pipefail$/m);
  });

  test("installs offline: a venv from the bundle's wheels only, hashes required", () => {
    expect(script).toContain("python3.11 -m venv");
    expect(script).toMatch(/pip" install .*--no-index/);
    expect(script).toContain("--require-hashes");
  });

  test("writes the environment, the unit and the agent configuration, then starts the unit", () => {
    expect(script).toContain("AWS_REGION=eu-west-1\nIMAGES_BUCKET=imageshare-dev-ec2-images\nAPP_ENV");
    expect(script).toContain(unit);
    expect(script).toContain(socket);
    expect(script).toContain('"log_group_name": "/imageshare/dev-ec2/app"');
    expect(script).toContain('systemctl enable --now "$SOCKET" "$UNIT"');
  });

  test("refuses values that would break out of their quotes, and malformed pins", () => {
    expect(() => renderUserData({ ...PROPS, region: "eu-west-1'; rm -rf /" })).toThrow(/REGION/);
    expect(() => renderUserData({ ...PROPS, appEnvironment: { IMAGES_BUCKET: "x\nEVIL=1" } })).toThrow(
      /IMAGES_BUCKET/,
    );
    expect(() => renderUserData({ ...PROPS, al2023Release: "latest" })).toThrow(/al2023Release/);
    expect(() => renderUserData({ ...PROPS, bundle: { ...PROPS.bundle, sha256: "abc" } })).toThrow(/sha256/);
  });

  test("fillTemplate fails on a missing or an unused value", () => {
    expect(() => fillTemplate("@@A@@", {})).toThrow(/@@A@@/);
    expect(() => fillTemplate("x", { A: "1" })).toThrow(/never used: A/);
  });
});

describe("the systemd unit", () => {
  test("runs as its own unprivileged user, restarted on failure", () => {
    expect(directives("User")).toEqual([INSTANCE_LAYOUT.appUser]);
    expect(directives("Group")).toEqual([INSTANCE_LAYOUT.appUser]);
    expect(directives("Restart")).toEqual(["on-failure"]);
  });

  test("sandboxed: no new privileges, read-only system, private /tmp, writes nowhere else, no capabilities", () => {
    expect(directives("NoNewPrivileges")).toEqual(["yes"]);
    expect(directives("ProtectSystem")).toEqual(["strict"]);
    expect(directives("PrivateTmp")).toEqual(["yes"]);
    expect(directives("ProtectHome")).toEqual(["yes"]);
    expect(directives("ReadWritePaths")).toEqual([]);
    expect(directives("CapabilityBoundingSet")).toEqual([""]);
  });

  test("serves the socket systemd binds on the app port (no capability needed below port 1024)", () => {
    expect(directives("ExecStart")[0]).toMatch(
      /venv\/bin\/gunicorn --config gunicorn\.conf\.py application:application$/,
    );
    expect(directives("ExecStart")[0]).not.toContain("--bind");
    expect(directives("Requires")).toEqual([INSTANCE_LAYOUT.socketName]);
    expect(socket).toMatch(/^ListenStream=8000$/m);
    expect(() => renderSocket(0)).toThrow(/not a TCP port/);
  });

  test("logs to the file the CloudWatch agent ships", () => {
    expect(directives("StandardOutput")).toEqual([`append:${INSTANCE_LAYOUT.appLog}`]);
    expect(directives("StandardError")).toEqual([`append:${INSTANCE_LAYOUT.appLog}`]);
  });

  test("the templates beside the renderer are the ones shipped", () => {
    const dir = path.join(__dirname, "../../../../constructs/compute/ec2");
    expect(fs.existsSync(path.join(dir, "boot.sh"))).toBe(true);
    expect(fs.existsSync(path.join(dir, "imageshare.service"))).toBe(true);
    expect(fs.existsSync(path.join(dir, "imageshare.socket"))).toBe(true);
  });
});
