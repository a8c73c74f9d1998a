import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { bundleArchive, writeBundleArchive } from "../../../../constructs/compute/ec2/bundle-archive";

function fakeBundle(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ec2-bundle-"));
  fs.mkdirSync(path.join(dir, "imageshare/templates"), { recursive: true });
  fs.mkdirSync(path.join(dir, "imageshare/__pycache__"));
  fs.mkdirSync(path.join(dir, "wheels"));
  fs.mkdirSync(path.join(dir, ".platform/nginx"), { recursive: true });
  fs.writeFileSync(path.join(dir, "application.py"), "application = None\n");
  fs.writeFileSync(path.join(dir, "gunicorn.conf.py"), "workers = 1\n");
  fs.writeFileSync(path.join(dir, "requirements.txt"), "--no-index\n");
  fs.writeFileSync(path.join(dir, "imageshare/__init__.py"), "");
  fs.writeFileSync(path.join(dir, "imageshare/__pycache__/x.pyc"), "stale");
  fs.writeFileSync(path.join(dir, "imageshare/templates/base.html"), "<html></html>");
  const longName = `wheels/${"a".repeat(75)}-1.0-py3-none-any.whl`;
  fs.writeFileSync(path.join(dir, longName), crypto.randomBytes(700));
  fs.writeFileSync(path.join(dir, ".platform/nginx/x.conf"), "nginx only");
  return dir;
}

describe("the EC2 release bundle archive", () => {
  const dir = fakeBundle();

  test("is reproducible: same content, same bytes, whatever the file times", () => {
    const first = bundleArchive(dir);
    fs.utimesSync(path.join(dir, "application.py"), new Date(2001, 1, 1), new Date(2001, 1, 1));
    expect(bundleArchive(dir).equals(first)).toBe(true);
  });

  test("tar reads it: the app, requirements and wheels, no bytecode and no nginx settings", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "ec2-bundle-out-"));
    const { file, sha256 } = writeBundleArchive(dir, out);
    expect(path.basename(file)).toBe(`${sha256}.tar`);
    expect(crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex")).toBe(sha256);
    const listing = execFileSync("tar", ["--list", "--file", file], { encoding: "utf8" }).split("\n");
    expect(listing).toEqual(
      expect.arrayContaining([
        "application.py",
        "imageshare/templates/base.html",
        expect.stringMatching(/^wheels\/a{75}-1\.0-py3-none-any\.whl$/),
      ]),
    );
    expect(listing.join("\n")).not.toMatch(/__pycache__|\.platform/);
    execFileSync("tar", ["--extract", "--file", file, "--directory", out]);
    expect(fs.readFileSync(path.join(out, "application.py"), "utf8")).toBe("application = None\n");
  });

  test("fails when the bundle has not been built", () => {
    expect(() => bundleArchive(path.join(dir, "missing"))).toThrow(/make bundle/);
  });
});
