/**
 * `make bundle`: the distinct source bundles the configuration needs, one line each:
 * `<pip architecture> <upload limit MiB> <directory in app/>` (app/Makefile BUNDLE_ARCH, MAX_UPLOAD_MB, BUNDLE_DIR).
 */
import { ProjectConfig, projectConfig, validateConfig } from "../config";
import { WHEEL_ARCHITECTURE, bundleDirectoryInApp } from "../shared/bundle";
import { computeArchitecture } from "../shared/compute-config";

export function bundlesNeeded(config: ProjectConfig): string[] {
  const lines = validateConfig(config).environments.map(
    (env) =>
      `${WHEEL_ARCHITECTURE[computeArchitecture(env.compute)]} ${env.uploadLimitMb} ` +
      bundleDirectoryInApp(computeArchitecture(env.compute), env.uploadLimitMb),
  );
  return [...new Set(lines)];
}

if (require.main === module) process.stdout.write(bundlesNeeded(projectConfig).join("\n") + "\n");
