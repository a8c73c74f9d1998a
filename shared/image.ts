/**
 * What the stacks know of the image `make image` built (app/image/build.py writes an OCI image layout per platform,
 * app/build/image/<os>-<arch>/, with a `digest` file): read once at synthesis (stacks/image.ts) and handed to the
 * Fargate compute, so the task definition follows the image instead of restating it.
 */
import { CpuArchitecture } from "./types";

/** The layout directory of one architecture, relative to app/ (app/image/image.mk IMAGE_OUT). */
export function imageLayoutInApp(architecture: CpuArchitecture): string {
  return `build/image/linux-${architecture === "arm64" ? "arm64" : "amd64"}`;
}

/** The facts of one built image the task definition needs, all read from its layout. */
export interface BuiltImage {
  /** `sha256:...` of the image manifest: the task definition names the image by it. */
  readonly digest: string;
  /** The image's `User` (`uid:gid`): the container runs as it, never as root. */
  readonly user: string;
  /** The one TCP port the image exposes: the container port the ALB forwards to. */
  readonly port: number;
  /** The image's `Volumes`: the only writable paths of a read-only root (the upload spool). */
  readonly writablePaths: readonly string[];
  /** The container health check command (exec form, without ECS's leading "CMD"). */
  readonly healthCheckCommand: readonly string[];
  /** Total size of the compressed layers, in bytes (what ECR stores). */
  readonly compressedBytes: number;
}
