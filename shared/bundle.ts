/**
 * Where `make bundle` puts the source bundle of one configuration. The name holds everything that shapes a bundle,
 * the instances' CPU (its wheels) and the upload limit (its nginx body limit), so two environments that differ in
 * either never share one.
 */
import { CpuArchitecture } from "./types";

/** pip's platform tag of each architecture (app/scripts/build_bundle.py --arch). */
export const WHEEL_ARCHITECTURE: Record<CpuArchitecture, string> = { arm64: "aarch64", x86_64: "x86_64" };

/** The bundle directory relative to app/ (app/Makefile BUNDLE_DIR). */
export function bundleDirectoryInApp(architecture: CpuArchitecture, uploadLimitMb: number): string {
  return `build/bundles/${architecture}-upload-${uploadLimitMb}mb`;
}
