/** Builds a throw-away source bundle directory shaped like `make bundle` output, for construct tests. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export interface BundleFixture {
  /** First lines of requirements.txt. @default the offline header */
  readonly requirementsHeader?: string;
  /** Wheel file names. @default one pure-Python and one aarch64 cp311 wheel */
  readonly wheels?: readonly string[];
  /** client_max_body_size in KiB, or undefined for no nginx file. @default 10304 (10 MiB + form overhead) */
  readonly clientMaxBodyKib?: number | null;
  /** Extra content that changes the bundle's hash. @default "" */
  readonly appCode?: string;
}

export function makeBundleFixture(fixture: BundleFixture = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eb-bundle-"));
  fs.writeFileSync(
    path.join(dir, "requirements.txt"),
    `${fixture.requirementsHeader ?? "--no-index\n--find-links wheels"}\nflask==3.1.3\n`,
  );
  fs.writeFileSync(path.join(dir, "application.py"), `application = None\n${fixture.appCode ?? ""}`);
  fs.mkdirSync(path.join(dir, "wheels"));
  const wheels = fixture.wheels ?? [
    "flask-3.1.3-py3-none-any.whl",
    "pillow-13.0.0-cp311-cp311-manylinux_2_27_aarch64.manylinux_2_28_aarch64.whl",
  ];
  for (const wheel of wheels) fs.writeFileSync(path.join(dir, "wheels", wheel), wheel);
  const kib = fixture.clientMaxBodyKib === undefined ? 10304 : fixture.clientMaxBodyKib;
  if (kib !== null) {
    const conf = path.join(dir, ".platform", "nginx", "conf.d");
    fs.mkdirSync(conf, { recursive: true });
    fs.writeFileSync(path.join(conf, "upload-size.conf"), `client_max_body_size ${kib}k;\n`);
  }
  return dir;
}
