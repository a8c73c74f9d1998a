import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../config";
import { BuiltImage, imageLayoutInApp } from "../shared/image";
import { CpuArchitecture } from "../shared/types";

const APP_DIRECTORY = path.resolve(__dirname, "..", "app");

interface Descriptor {
  readonly digest: string;
  readonly size: number;
  readonly platform?: { architecture?: string };
}

/**
 * The image `make image` built for an architecture, read from its OCI layout (OCI image-spec: index.json, the
 * manifest and config blobs under blobs/sha256/). The `digest` file must name the layout's manifest; the config
 * gives the user, the exposed port, the volumes and the health check (label `healthcheck`, app/image/build.py).
 * A missing or inconsistent layout fails synthesis naming the setting that asks for it.
 */
export function builtImage(
  setting: string,
  architecture: CpuArchitecture,
  appDirectory = APP_DIRECTORY,
): BuiltImage {
  const layout = path.join(appDirectory, imageLayoutInApp(architecture));
  try {
    return readLayout(layout, architecture);
  } catch (error) {
    throw new ConfigError([
      `${setting} (fargate, ${architecture}) needs the image app/${imageLayoutInApp(architecture)}, which ` +
        `\`make image\` builds: ${(error as Error).message}`,
    ]);
  }
}

function blob(layout: string, digest: string): Record<string, unknown> {
  const [algorithm, hex] = digest.split(":");
  return JSON.parse(fs.readFileSync(path.join(layout, "blobs", algorithm, hex), "utf8")) as Record<
    string,
    unknown
  >;
}

function readLayout(layout: string, architecture: CpuArchitecture): BuiltImage {
  const digest = fs.readFileSync(path.join(layout, "digest"), "utf8").trim();
  const index = JSON.parse(fs.readFileSync(path.join(layout, "index.json"), "utf8")) as {
    manifests: Descriptor[];
  };
  const entry = index.manifests.find((m) => m.digest === digest);
  if (!entry) throw new Error(`the digest file names ${digest}, which index.json does not list`);
  const expected = architecture === "arm64" ? "arm64" : "amd64";
  if (entry.platform?.architecture !== expected)
    throw new Error(`${digest} is built for ${entry.platform?.architecture}, not ${expected}`);
  const manifest = blob(layout, digest) as { config: Descriptor; layers: Descriptor[] };
  const config = (blob(layout, manifest.config.digest) as { config: Record<string, unknown> }).config;
  const ports = Object.keys((config.ExposedPorts as Record<string, unknown>) ?? {});
  if (ports.length !== 1 || !ports[0].endsWith("/tcp"))
    throw new Error(`expected one TCP port, got ${ports}`);
  const user = String(config.User ?? "");
  if (!/^[1-9]\d*:[1-9]\d*$/.test(user)) throw new Error(`User "${user}" is not a non-root uid:gid`);
  const labels = (config.Labels as Record<string, string>) ?? {};
  if (!labels.healthcheck) throw new Error("the image has no healthcheck label");
  return {
    digest,
    user,
    port: Number(ports[0].split("/")[0]),
    writablePaths: Object.keys((config.Volumes as Record<string, unknown>) ?? {}),
    healthCheckCommand: JSON.parse(labels.healthcheck) as string[],
    compressedBytes: manifest.layers.reduce((sum, layer) => sum + layer.size, 0),
  };
}
