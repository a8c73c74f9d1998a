/** Writes a throw-away OCI image layout shaped like `make image` output (app/image/build.py), for stack tests. */
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export interface ImageFixture {
  /** `architecture` of the index entry. @default "arm64" */
  readonly architecture?: string;
  /** The config's User. @default "10001:10001" */
  readonly user?: string;
  /** The config's ExposedPorts keys. @default ["8000/tcp"] */
  readonly ports?: readonly string[];
  /** The digest file's content instead of the manifest's digest. @default the manifest's digest */
  readonly digestFile?: string;
}

function writeBlob(layout: string, content: string): { digest: string; size: number } {
  const hex = crypto.createHash("sha256").update(content).digest("hex");
  fs.writeFileSync(path.join(layout, "blobs", "sha256", hex), content);
  return { digest: `sha256:${hex}`, size: Buffer.byteLength(content) };
}

/** An app/ directory holding build/image/linux-<arch>/ for the architecture; returns the app directory. */
export function makeImageFixture(fixture: ImageFixture = {}): string {
  const architecture = fixture.architecture ?? "arm64";
  const app = fs.mkdtempSync(path.join(os.tmpdir(), "image-layout-"));
  const layout = path.join(app, "build", "image", `linux-${architecture === "arm64" ? "arm64" : "amd64"}`);
  fs.mkdirSync(path.join(layout, "blobs", "sha256"), { recursive: true });
  const config = writeBlob(
    layout,
    JSON.stringify({
      architecture,
      os: "linux",
      config: {
        User: fixture.user ?? "10001:10001",
        ExposedPorts: Object.fromEntries((fixture.ports ?? ["8000/tcp"]).map((p) => [p, {}])),
        Volumes: { "/tmp": {} },
        Labels: { healthcheck: JSON.stringify(["/usr/bin/python3.11", "/app/healthcheck.py"]) },
      },
    }),
  );
  const layer = writeBlob(layout, "layer bytes");
  const manifest = writeBlob(
    layout,
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: { mediaType: "application/vnd.oci.image.config.v1+json", ...config },
      layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", ...layer }],
    }),
  );
  fs.writeFileSync(
    path.join(layout, "index.json"),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: "application/vnd.oci.image.manifest.v1+json",
          ...manifest,
          platform: { architecture, os: "linux" },
        },
      ],
    }),
  );
  fs.writeFileSync(path.join(layout, "digest"), `${fixture.digestFile ?? manifest.digest}\n`);
  return app;
}
